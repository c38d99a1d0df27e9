using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Reporting.SecurityHub;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The function's Security Hub sink (SECURITY_HUB=true): every audit imports its findings above INFO through the one
/// ASFF mapping (docs/security-hub.md), ACTIVE; a finding the newest audit no longer shows is re-imported PASSED and
/// ARCHIVED, at once with the findings store, else when a complete sweep reconciles the account and region. A
/// suppression that comes after a finding was imported is set with BatchUpdateFindings (BatchImportFindings ignores
/// Workflow on a finding that exists). Security Hub failing never fails the audit nor silences an SNS alert: the error
/// is logged, and the next sweep imports the account's findings again.
/// </summary>
/// <param name="hub">Security Hub of the audited account and region (in organization mode, through its reader role).</param>
/// <param name="scope">That account and region: a finding of another (a task definition named by ARN elsewhere) cannot be imported there.</param>
/// <param name="log">Log lines.</param>
/// <param name="time">The clock: <c>UpdatedAt</c>.</param>
/// <param name="eventName">The event, for the log.</param>
internal sealed class SecurityHubExport(ISecurityHubApi hub, AlertScope scope, IAuditLog log, TimeProvider time, string eventName)
{
    private static readonly AsffImportLimits Limits = new(SecurityHubLimits.MaxFindingsPerImport, SecurityHubLimits.MaxFindingBytes, SecurityHubLimits.MaxImportBytes);

    // What this invocation imported ACTIVE, by account and region: a sweep's reconciliation archives the rest.
    private readonly HashSet<string> _imported = new(StringComparer.Ordinal);
    // Findings wait for a full call (BatchImportFindings takes 100; Security Hub's rate limit for it is low), so a
    // sweep costs a call per 100 findings rather than one per task definition; FlushAsync sends the rest.
    private readonly List<AsffFinding> _pending = [];
    private readonly List<SecurityHubFindingId> _toSuppress = [];
    private bool _failed;

    /// <summary>The findings imported (ACTIVE or ARCHIVED) and the imports Security Hub refused, in this invocation.</summary>
    public (int Imported, int Refused) Counts { get; private set; }

    /// <summary>
    /// Imports <paramref name="report"/>'s findings above INFO, and archives the findings <paramref name="entry"/> (the
    /// findings store's record of it, null without a store) says it resolved: sent once 100 wait, the rest by
    /// <see cref="FlushAsync"/>.
    /// </summary>
    public async Task ReportedAsync(TaskDefinitionReport report, LedgerEntry? entry, CancellationToken cancellationToken)
    {
        if (report.TaskDefinitionArn is not { } arn || !Arn.TryParse(arn, out var parsed))
        {
            return; // an unfinished item names no task definition ARN: the ERA005 alert says it, Security Hub cannot hold it
        }
        if (parsed.Account != scope.AccountId || parsed.Region != scope.Region)
        {
            // BatchImportFindings takes the default product's findings only from its own account and region.
            log.Write(LogLevel.Warn, $"Security Hub: {report.DisplayName} is not in account {scope.AccountId}, {scope.Region}; its findings are not imported.", new AuditLogFields(eventName));
            return;
        }
        var now = time.GetUtcNow();
        var findings = new List<AsffFinding>();
        var suppressed = new List<SecurityHubFindingId>();
        foreach (var finding in report.Findings.Where(AsffFindingWriter.IsImported))
        {
            var fingerprint = FindingFingerprint.Of(report, finding);
            if (entry?.Outdated.Contains(fingerprint) == true)
            {
                continue; // a newer revision's audit settled it: an older revision does not reopen it in Security Hub either
            }
            if (!_imported.Add(fingerprint))
            {
                continue; // one identity twice in a report (or two revisions of the family in a sweep): one finding
            }
            var first = entry?.FirstSeen.GetValueOrDefault(fingerprint) is { } seen && seen != default ? seen : now;
            var written = AsffFindingWriter.Active(report, finding, new AsffTimes(first, now, now), ReportOptions.Default.ToolVersion);
            _pending.Add(written);
            // Without the store the import cannot know whether the finding existed: setting it again is harmless.
            if (finding.Suppressed && (entry is null || entry.NewlySuppressed.Contains(fingerprint)))
            {
                _toSuppress.Add(new SecurityHubFindingId(written.Id, written.ProductArn));
            }
        }
        foreach (var resolved in entry?.ToAnnounce ?? [])
        {
            if (Resolution(resolved, arn) is { } resolution)
            {
                _pending.Add(AsffFindingWriter.Resolved(resolution, new AsffTimes(resolved.FirstSeen, resolved.LastSeen, now), ReportOptions.Default.ToolVersion));
            }
        }
        if (_pending.Count >= SecurityHubLimits.MaxFindingsPerImport)
        {
            await FlushAsync(cancellationToken, whole: false).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends what waits: the imports, then the workflow of findings suppressed after they were imported (an update
    /// needs the finding to exist). With <paramref name="whole"/> false only full calls go, the rest keeps waiting.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken, bool whole = true)
    {
        var batches = AsffBatches.Split(_pending, Limits);
        var sending = whole ? batches : [.. batches.Where(b => b.Count >= SecurityHubLimits.MaxFindingsPerImport)];
        var sent = sending.SelectMany(b => b).ToHashSet();
        _pending.RemoveAll(sent.Contains);
        await ImportAsync(sending, cancellationToken).ConfigureAwait(false);
        if (whole && _toSuppress.Count > 0)
        {
            var suppress = _toSuppress.ToList();
            _toSuppress.Clear();
            await SuppressAsync(suppress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Archives the findings of families the findings store closed (no ACTIVE task definition left).</summary>
    public Task FamilyClosedAsync(FamilyKey family, IEnumerable<StoredFinding> closed, CancellationToken cancellationToken)
    {
        if (family.Account != scope.AccountId || family.Region != scope.Region)
        {
            return Task.CompletedTask;
        }
        var now = time.GetUtcNow();
        // A task definition of the family names its account and region for the product ARN; which revision does not matter.
        var arn = Arn.Create(scope.Partition, "ecs", family.Region, family.Account, $"task-definition/{family.Family}").ToString();
        _pending.AddRange(closed.Select(f => (Stored: f, Resolution: Resolution(f, arn))).Where(r => r.Resolution is not null)
            .Select(r => AsffFindingWriter.Resolved(r.Resolution!, new AsffTimes(r.Stored.FirstSeen, r.Stored.LastSeen, now), ReportOptions.Default.ToolVersion)));
        return _pending.Count >= SecurityHubLimits.MaxFindingsPerImport ? FlushAsync(cancellationToken, whole: false) : Task.CompletedTask;
    }

    /// <summary>
    /// After a complete sweep of the account and region: Security Hub's ACTIVE findings of this auditor in the account
    /// and region that the sweep did not import, and that were last updated before it began, are archived (their task
    /// definition is gone or no longer shows them), unless the findings store holds them open (<paramref name="openInStore"/>:
    /// a newer revision's evidence that the sweep's older listing cannot overrule). Reads the findings page by page (GetFindings).
    /// </summary>
    public async Task ReconcileAsync(DateTimeOffset startedAt, IReadOnlySet<string>? openInStore, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_failed)
        {
            return; // an import failed: what Security Hub holds may be this sweep's missing imports, not stale findings
        }
        var productArn = ProductArn(scope);
        var query = new SecurityHubFindingsQuery(
            [new("ProductArn", productArn), new("AwsAccountId", scope.AccountId), new("RecordState", "ACTIVE")],
            [new("Id", FindingFingerprint.Version + "-")],
            []);
        var stale = new List<AsffFinding>();
        var now = time.GetUtcNow();
        try
        {
            string? token = null;
            do
            {
                var page = await hub.GetFindingsAsync(query, token, cancellationToken).ConfigureAwait(false);
                foreach (var held in page.Findings.Where(f => !_imported.Contains(f.Id) && f.UpdatedAt < startedAt && openInStore?.Contains(f.Id) != true))
                {
                    if (FromHub(held) is { } resolution)
                    {
                        stale.Add(AsffFindingWriter.Resolved(resolution, new AsffTimes(held.CreatedAt, held.UpdatedAt, now), ReportOptions.Default.ToolVersion));
                    }
                }
                token = page.NextToken;
            }
            while (token is not null);
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            Failed("reading its findings to reconcile", AwsFailure.From(e, AwsActions.GetFindings, productArn));
            return;
        }
        await ImportAsync(AsffBatches.Split(stale, Limits), cancellationToken).ConfigureAwait(false);
        if (stale.Count > 0)
        {
            log.Write(LogLevel.Info, $"Security Hub: archived {stale.Count} findings the sweep of account {scope.AccountId} in {scope.Region} no longer shows.", new AuditLogFields(eventName));
        }
    }

    /// <summary>The default product of the account and region: the only product a customer's own findings may be imported under.</summary>
    public static string ProductArn(AlertScope scope) =>
        Arn.Create(scope.Partition, "securityhub", scope.Region, scope.AccountId, $"product/{scope.AccountId}/default").ToString();

    private async Task ImportAsync(IReadOnlyList<IReadOnlyList<AsffFinding>> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            var what = batch.Count == 1 ? batch[0].Subject : $"{batch.Count} findings ({batch[0].Subject}, ...)";
            try
            {
                var result = await hub.BatchImportFindingsAsync([.. batch.Select(f => f.Json)], cancellationToken).ConfigureAwait(false);
                Counts = (Counts.Imported + result.SuccessCount, Counts.Refused + result.Failed.Count);
                foreach (var failed in result.Failed.Take(3))
                {
                    log.Write(LogLevel.Error, $"Security Hub refused finding {failed.Id} of {what}: {failed.ErrorCode}.", new AuditLogFields(eventName));
                }
                _failed |= result.Failed.Count > 0;
            }
            catch (Exception e) when (AwsFailure.IsAwsError(e))
            {
                Counts = (Counts.Imported, Counts.Refused + batch.Count);
                Failed($"importing the findings of {what}", AwsFailure.From(e, AwsActions.BatchImportFindings, batch[0].ProductArn));
            }
        }
    }

    private async Task SuppressAsync(List<SecurityHubFindingId> findings, CancellationToken cancellationToken)
    {
        foreach (var chunk in findings.Chunk(SecurityHubLimits.MaxFindingsPerUpdate))
        {
            try
            {
                var result = await hub.BatchUpdateFindingsAsync(new SecurityHubFindingsUpdate(chunk, "SUPPRESSED",
                    "Suppressed by the auditor's configuration (SUPPRESSIONS or a task definition tag).", ReportOptions.ToolName), cancellationToken).ConfigureAwait(false);
                if (result.Unprocessed.Count > 0)
                {
                    log.Write(LogLevel.Error, $"Security Hub did not suppress {result.Unprocessed.Count} findings ({result.Unprocessed[0].Id}: {result.Unprocessed[0].ErrorCode}).", new AuditLogFields(eventName));
                }
            }
            catch (Exception e) when (AwsFailure.IsAwsError(e))
            {
                Failed($"suppressing {chunk.Length} findings", AwsFailure.From(e, AwsActions.BatchUpdateFindings, chunk[0].ProductArn));
            }
        }
    }

    private void Failed(string doing, AwsFailure failure)
    {
        _failed = true;
        log.Write(LogLevel.Error, $"Security Hub failed {doing}: {failure.Brief}; the next sweep imports the findings again.", new AuditLogFields(eventName));
    }

    // A resolved finding from the store's record; null for a rule this version no longer has (nothing true to write).
    private static AsffResolution? Resolution(StoredFinding stored, string taskDefinitionArn) =>
        RuleCatalog.Find(stored.RuleId) is { } rule
            ? new AsffResolution(stored.Fingerprint, taskDefinitionArn, stored.Family.Family, rule.Descriptor, stored.Severity, stored.Slot, stored.RoleArn, stored.Message, stored.Source)
            : null;

    // A resolved finding from what Security Hub holds of it (the sweep's reconciliation, with or without the store).
    private static AsffResolution? FromHub(SecurityHubFinding held)
    {
        var fields = held.ProductFields;
        if (RuleCatalog.Find(held.GeneratorId) is not { } rule
            || !fields.TryGetValue(AsffProductFields.TaskDefinitionArn, out var taskDefinition)
            || !fields.TryGetValue(AsffProductFields.Family, out var family)
            || !fields.TryGetValue(AsffProductFields.RoleSlot, out var slotText) || !ReportVocabulary.TryParseSlot(slotText, out var slot))
        {
            return null; // not written by this auditor's mapping: left alone
        }
        var severity = held.SeverityLabel switch
        {
            "CRITICAL" => Severity.Critical,
            "HIGH" => Severity.High,
            "MEDIUM" => Severity.Medium,
            "LOW" => Severity.Low,
            _ => Severity.Info,
        };
        var roleArn = held.ResourceIds.FirstOrDefault(id => Arn.TryParse(id, out var parsed) && parsed.Service == "iam");
        // The description the mapping wrote starts with the finding's sentence and then says where it sits.
        var message = held.Description is { } description && description.IndexOf(" Where: ", StringComparison.Ordinal) is var where and > 0
            ? description[..where] : held.Description ?? rule.Descriptor.Title;
        return new AsffResolution(held.Id, taskDefinition, family, rule.Descriptor, severity, slot, roleArn, message,
            fields.GetValueOrDefault(AsffProductFields.Source) ?? "");
    }
}
