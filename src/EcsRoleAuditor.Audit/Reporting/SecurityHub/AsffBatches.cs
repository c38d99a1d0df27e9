namespace EcsRoleAuditor.Audit.Reporting.SecurityHub;

/// <summary>
/// Splits written findings into BatchImportFindings calls: each call within the limits, and each holding findings of
/// one account and region only (one <c>ProductArn</c>), since a call goes to one regional endpoint with one account's
/// credentials and that account must be the findings' <c>AwsAccountId</c>.
/// </summary>
public static class AsffBatches
{
    /// <summary>
    /// The bytes a request adds around its findings, <c>{"Findings":[</c> and <c>]}</c>, counted against the call limit
    /// with a comma between findings: a batch that fits is a request body that fits, whether sent by our client or by
    /// <c>aws securityhub batch-import-findings</c>.
    /// </summary>
    public const int RequestEnvelopeBytes = 15;

    /// <summary>
    /// The findings in batches, in their order within each account and region, the accounts and regions in the order
    /// they first appear.
    /// </summary>
    /// <exception cref="AsffMappingException">A finding is larger than <see cref="AsffImportLimits.MaxFindingBytes"/> (or than a whole call): it is named, nothing is dropped.</exception>
    public static IReadOnlyList<IReadOnlyList<AsffFinding>> Split(IEnumerable<AsffFinding> findings, AsffImportLimits limits)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(limits);
        var batches = new List<IReadOnlyList<AsffFinding>>();
        foreach (var group in findings.GroupBy(f => f.ProductArn, StringComparer.Ordinal))
        {
            var batch = new List<AsffFinding>();
            var bytes = RequestEnvelopeBytes;
            foreach (var finding in group)
            {
                var size = finding.Json.Length;
                if (size > limits.MaxFindingBytes || RequestEnvelopeBytes + size > limits.MaxCallBytes)
                {
                    throw new AsffMappingException(
                        $"finding {finding.Id} ({TerminalText.Escape(finding.Subject)}) is {size} bytes, more than Security Hub takes ({limits.MaxFindingBytes} per finding)");
                }
                var added = (batch.Count == 0 ? 0 : 1) + size;
                if (batch.Count == limits.MaxFindingsPerCall || bytes + added > limits.MaxCallBytes)
                {
                    batches.Add(batch);
                    batch = [];
                    bytes = RequestEnvelopeBytes;
                    added = size;
                }
                batch.Add(finding);
                bytes += added;
            }
            if (batch.Count > 0)
            {
                batches.Add(batch);
            }
        }
        return batches;
    }
}
