namespace EcsRoleAuditor.Audit.Reporting.SecurityHub;

/// <summary>One finding written in the AWS Security Finding Format, ready for BatchImportFindings.</summary>
/// <param name="Id">Its <c>Id</c>: the finding's <see cref="Findings.FindingFingerprint"/>.</param>
/// <param name="ProductArn">Its <c>ProductArn</c>, the account's default product in the task definition's region.</param>
/// <param name="AwsAccountId">The account it is imported into (the caller must hold that account's credentials).</param>
/// <param name="Region">The region it is imported into.</param>
/// <param name="Subject">What it is about, for messages: rule and task definition, e.g. <c>ERA021 of web:7</c>.</param>
/// <param name="Json">The finding as one UTF-8 JSON object, without indentation or line breaks.</param>
public sealed record AsffFinding(string Id, string ProductArn, string AwsAccountId, string Region, string Subject, ReadOnlyMemory<byte> Json);

/// <summary>
/// When an imported finding was seen, from the caller's clock and, when it has one, its findings store. Security Hub
/// ignores an import whose <paramref name="UpdatedAt"/> is not later than the one it holds for the same <c>Id</c>
/// (Security Hub User Guide, "BatchImportFindings for finding providers"): the caller must give each import of one
/// finding a later <paramref name="UpdatedAt"/> than the last, by at least a millisecond (the precision it is written
/// with).
/// </summary>
/// <param name="FirstObservedAt">When an audit first showed the finding; also its <c>CreatedAt</c>, so re-imports keep it.</param>
/// <param name="LastObservedAt">When an audit last showed it.</param>
/// <param name="UpdatedAt">This import's time; at or after <paramref name="LastObservedAt"/>.</param>
public sealed record AsffTimes(DateTimeOffset FirstObservedAt, DateTimeOffset LastObservedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>A finding first seen now, by a run that keeps no store (<c>audit --format asff</c>).</summary>
    public static AsffTimes SeenOnlyAt(DateTimeOffset now) => new(now, now, now);

    internal void Check()
    {
        if (FirstObservedAt > LastObservedAt || LastObservedAt > UpdatedAt)
        {
            throw new ArgumentException($"the times must not run backwards: first observed {FirstObservedAt:O}, last observed {LastObservedAt:O}, updated {UpdatedAt:O}");
        }
    }
}

/// <summary>
/// Security Hub's limits on one BatchImportFindings call. The numbers live with the Security Hub port
/// (<c>EcsRoleAuditor.Aws.Api.SecurityHubLimits</c>), which this assembly does not reference: callers pass them in.
/// </summary>
/// <param name="MaxFindingsPerCall">Findings in one call (100).</param>
/// <param name="MaxFindingBytes">One finding's UTF-8 JSON (240 KB).</param>
/// <param name="MaxCallBytes">One call's findings together (6 MB).</param>
public sealed record AsffImportLimits(int MaxFindingsPerCall, int MaxFindingBytes, int MaxCallBytes);

/// <summary>A finding that cannot be written or imported as ASFF: the message names it and why.</summary>
public sealed class AsffMappingException : Exception
{
    /// <summary>An exception with no message.</summary>
    public AsffMappingException()
    {
    }

    /// <summary>An exception with <paramref name="message"/>.</summary>
    public AsffMappingException(string message) : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public AsffMappingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
