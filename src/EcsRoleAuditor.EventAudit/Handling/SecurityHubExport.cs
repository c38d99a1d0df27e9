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
/// Workflow on a finding that exists), and so is a suppression lifted (NEW). Security Hub failing, or a finding it holds
/// that cannot be read back, never fails the audit nor silences an SNS alert: the error is logged, and the next sweep
/// imports the account's findings again.
/// </summary>
/// <param name="hub">Security Hub of the audited account and region (in organization mode, through its reader role).</param>
/// <param name="scope">That account and region: a finding of another (a task definition named by ARN elsewhere) cannot be imported there.</param>
/// <param name="log">Log lines.</param>
/// <param name="time">The clock: <c>UpdatedAt</c>.</param>
/// <param name="eventName">The event, for the log.</param>
internal sealed class SecurityHubExport(ISecurityHubApi hub, AlertScope scope, IAuditLog log, TimeProvider time, string eventName)
{
    // GetFindings pages of 100: a bound far above any account's findings of this auditor, so a service that keeps
    // handing out markers cannot hold the invocation.
    private const int MaxReconcilePages = 1_000;

    // What this invocation imported ACTIVE: a sweep's reconciliation archives the rest, and with it whether suppressed.
    private readonly Dictionary<string, bool> _imported = new(StringComparer.Ordinal);
    // Archived by this invocation from the store's word: the reconciliation leaves them (GetFindings may lag the import).
    private readonly HashSet<string> _archived = new(StringComparer.Ordinal);
    // Families a report of this run could not read whole: nothing of theirs is archived on its silence.
    private readonly HashSet<string> _incompleteFamilies = new(StringComparer.Ordinal);
    // Findings wait for a full call (BatchImportFindings takes 100; Security Hub's rate limit for it is low), so a
    // sweep costs a call per 100 findings rather than one per task definition; FlushAsync sends the rest. One entry
    // per Id, the last word winning: two imports of one Id in one call have no documented order.
    private readonly OrderedDictionary<string, AsffFinding> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SecurityHubFindingId Finding, string Status, bool WithNote)> _workflow = new(StringComparer.Ordinal);
    private bool _failed;

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
        if (report.IsIncomplete)
        {
            _incompleteFamilies.Add(report.Family);
        }
        var now = time.GetUtcNow();
        foreach (var finding in report.Findings.Where(AsffFindingWriter.IsImported))
        {
            var fingerprint = FindingFingerprint.Of(report, finding);
            if (entry?.Outdated.Contains(fingerprint) == true || _imported.ContainsKey(fingerprint))
            {
                // A newer revision's audit settled it (an older revision does not reopen it in Security Hub either), or
                // one identity twice in a report or in two revisions of a sweep: one finding.
                continue;
            }
            // A clock a little behind the store's (another execution environment wrote it) must not make times run backwards.
            var first = entry?.FirstSeen.GetValueOrDefault(fingerprint) is { } seen && seen != default && seen < now ? seen : now;
            if (Written(() => AsffFindingWriter.Active(report, finding, new AsffTimes(first, now, now), ReportOptions.Default.ToolVersion)) is not { } written)
            {
                continue;
            }
            _imported[fingerprint] = finding.Suppressed;
            Queue(written);
            // The workflow of a finding that exists changes only through BatchUpdateFindings. Without the store the
            // import cannot tell whether it existed: suppressions are set again (without a note, so an analyst's stays).
            if (finding.Suppressed && (entry is null || entry.NewlySuppressed.Contains(fingerprint)))
            {
                _workflow[written.Id] = (new SecurityHubFindingId(written.Id, written.ProductArn), "SUPPRESSED", entry is not null);
            }
            else if (!finding.Suppressed && entry?.NewlyUnsuppressed.Contains(fingerprint) == true)
            {
                _workflow[written.Id] = (new SecurityHubFindingId(written.Id, written.ProductArn), "NEW", true);
            }
        }
        foreach (var resolved in entry?.ToAnnounce ?? [])
        {
            Archive(resolved, arn, now);
        }
        if (_pending.Count >= SecurityHubLimits.MaxFindingsPerImport)
        {
            await FlushAsync(cancellationToken, whole: false).ConfigureAwait(false);
        }
    }

    /// <summary>Families this run could not audit (a describe that failed): nothing of theirs is archived on their silence.</summary>
    public void Unaudited(IEnumerable<string> families) => _incompleteFamilies.UnionWith(families);

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
        foreach (var finding in closed)
        {
            Archive(finding, arn, now);
        }
        return _pending.Count >= SecurityHubLimits.MaxFindingsPerImport ? FlushAsync(cancellationToken, whole: false) : Task.CompletedTask;
    }

    /// <summary>
    /// Sends what waits: the imports, then the workflow changes (an update needs the finding to exist). With
    /// <paramref name="whole"/> false every call but the last goes, which keeps waiting for more.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken, bool whole = true)
    {
        var batches = AsffBatches.Split(_pending.Values, SecurityHubLimits.Import);
        var sending = whole ? batches : batches.Take(batches.Count - 1).ToList();
        foreach (var finding in sending.SelectMany(b => b))
        {
            _pending.Remove(finding.Id);
        }
        await ImportAsync(sending, cancellationToken).ConfigureAwait(false);
        if (whole && _workflow.Count > 0)
        {
            var changes = _workflow.Values.ToList();
            _workflow.Clear();
            await UpdateWorkflowAsync(changes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a sweep of the account and region whose listing completed: Security Hub's ACTIVE findings of this auditor in the account
    /// and region that the sweep did not import, and that were last updated before it began, are archived (their task
    /// definition is gone or no longer shows them), unless their family's audit was incomplete, or the findings store
    /// holds them open (<paramref name="openInStore"/>: a newer revision's evidence the sweep's older listing cannot
    /// overrule). A finding imported unsuppressed that Security Hub holds SUPPRESSED without the store is set NEW.
    /// </summary>
    public async Task ReconcileAsync(DateTimeOffset startedAt, IReadOnlySet<string>? openInStore, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_failed)
        {
            return; // an import failed: what Security Hub holds may be this sweep's missing imports, not stale findings
        }
        var productArn = AsffFindingWriter.DefaultProductArn(scope.Partition, scope.Region, scope.AccountId);
        var query = new SecurityHubFindingsQuery(
            [new("ProductArn", productArn), new("AwsAccountId", scope.AccountId), new("RecordState", "ACTIVE")],
            [new("Id", FindingFingerprint.Version + "-")],
            []);
        var now = time.GetUtcNow();
        var stale = 0;
        try
        {
            await foreach (var page in Pages.ReadAllAsync(AwsActions.GetFindings, (token, ct) => hub.GetFindingsAsync(query, token, ct), MaxReconcilePages, cancellationToken)
                .ConfigureAwait(false))
            {
                foreach (var held in page.Findings)
                {
                    if (_imported.TryGetValue(held.Id, out var suppressed))
                    {
                        if (!suppressed && openInStore is null && held.WorkflowStatus == "SUPPRESSED")
                        {
                            _workflow[held.Id] = (new SecurityHubFindingId(held.Id, held.ProductArn), "NEW", false);
                        }
                        continue;
                    }
                    if (_archived.Contains(held.Id) || held.UpdatedAt >= startedAt || openInStore?.Contains(held.Id) == true
                        || (held.ProductFields.TryGetValue(AsffProductFields.Family, out var family) && _incompleteFamilies.Contains(family)))
                    {
                        continue;
                    }
                    if (FromHub(held) is { } resolution
                        && Written(() => AsffFindingWriter.Resolved(resolution, new AsffTimes(Earlier(held.CreatedAt, now), Earlier(held.UpdatedAt, now), now), ReportOptions.Default.ToolVersion)) is { } archived)
                    {
                        Queue(archived);
                        stale++;
                    }
                }
            }
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            Failed("reading its findings to reconcile", AwsFailure.From(e, AwsActions.GetFindings, productArn));
            return;
        }
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (stale > 0)
        {
            log.Write(LogLevel.Info, $"Security Hub: archived {stale} findings the sweep of account {scope.AccountId} in {scope.Region} no longer shows.", new AuditLogFields(eventName));
        }
    }

    private void Queue(AsffFinding finding) => _pending[finding.Id] = finding;

    private void Archive(StoredFinding stored, string taskDefinitionArn, DateTimeOffset now)
    {
        if (RuleCatalog.Find(stored.RuleId) is not { } rule || stored.Severity <= Severity.Info)
        {
            return; // a retired rule has nothing true to write; an INFO finding was never imported
        }
        var resolution = new AsffResolution(stored.Fingerprint, taskDefinitionArn, stored.Family.Family, rule.Descriptor, stored.Severity, stored.Slot,
            stored.RoleArn, stored.Message, stored.Source);
        if (Written(() => AsffFindingWriter.Resolved(resolution, new AsffTimes(Earlier(stored.FirstSeen, now), Earlier(stored.LastSeen, now), now), ReportOptions.Default.ToolVersion)) is { } written)
        {
            _archived.Add(written.Id);
            Queue(written);
        }
    }

    private static DateTimeOffset Earlier(DateTimeOffset time, DateTimeOffset now) => time < now ? time : now;

    // One finding that cannot be written (a field Security Hub could never hold) is logged and skipped: never the run.
    private AsffFinding? Written(Func<AsffFinding> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is AsffMappingException or ArgumentException)
        {
            log.Write(LogLevel.Error, $"Security Hub: a finding was not written: {e.Message}", new AuditLogFields(eventName));
            return null;
        }
    }

    private async Task ImportAsync(IReadOnlyList<IReadOnlyList<AsffFinding>> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            var what = batch.Count == 1 ? batch[0].Subject : $"{batch.Count} findings ({batch[0].Subject}, ...)";
            try
            {
                var result = await hub.BatchImportFindingsAsync([.. batch.Select(f => f.Json)], cancellationToken).ConfigureAwait(false);
                foreach (var failed in result.Failed.Take(3))
                {
                    log.Write(LogLevel.Error, $"Security Hub refused finding {failed.Id} of {what}: {failed.ErrorCode}.", new AuditLogFields(eventName));
                }
                _failed |= result.Failed.Count > 0;
            }
            catch (Exception e) when (AwsFailure.IsAwsError(e))
            {
                Failed($"importing {what}", AwsFailure.From(e, AwsActions.BatchImportFindings, batch[0].ProductArn));
            }
        }
    }

    private async Task UpdateWorkflowAsync(List<(SecurityHubFindingId Finding, string Status, bool WithNote)> changes, CancellationToken cancellationToken)
    {
        foreach (var group in changes.GroupBy(c => (c.Status, c.WithNote)))
        {
            foreach (var chunk in group.Select(c => c.Finding).Chunk(SecurityHubLimits.MaxFindingsPerUpdate))
            {
                var note = !group.Key.WithNote ? null
                    : group.Key.Status == "SUPPRESSED" ? "Suppressed by the auditor's configuration (SUPPRESSIONS or a task definition tag)."
                    : "No longer suppressed by the auditor's configuration.";
                try
                {
                    var result = await hub.BatchUpdateFindingsAsync(new SecurityHubFindingsUpdate(chunk, group.Key.Status, note, note is null ? null : ReportOptions.ToolName),
                        cancellationToken).ConfigureAwait(false);
                    if (result.Unprocessed.Count > 0)
                    {
                        log.Write(LogLevel.Error, $"Security Hub did not set {result.Unprocessed.Count} findings {group.Key.Status} ({result.Unprocessed[0].Id}: {result.Unprocessed[0].ErrorCode}).",
                            new AuditLogFields(eventName));
                    }
                }
                catch (Exception e) when (AwsFailure.IsAwsError(e))
                {
                    Failed($"setting {chunk.Length} findings {group.Key.Status}", AwsFailure.From(e, AwsActions.BatchUpdateFindings, chunk[0].ProductArn));
                }
            }
        }
    }

    private void Failed(string doing, AwsFailure failure)
    {
        _failed = true;
        log.Write(LogLevel.Error, $"Security Hub failed {doing}: {failure.Brief}; the next sweep imports the findings again.", new AuditLogFields(eventName));
    }

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
        var severity = AsffFindingWriter.TryParseSeverityLabel(held.SeverityLabel, out var label) ? label : Severity.Info;
        var roleArn = held.ResourceIds.FirstOrDefault(id => Arn.TryParse(id, out var parsed) && parsed.Service == "iam");
        // The description the mapping wrote starts with the finding's sentence and then says where it sits.
        var message = held.Description is { } description && description.IndexOf(AsffFindingWriter.WhereSeparator, StringComparison.Ordinal) is var where and > 0
            ? description[..where] : held.Description ?? rule.Descriptor.Title;
        return new AsffResolution(held.Id, taskDefinition, family, rule.Descriptor, severity, slot, roleArn, message,
            fields.GetValueOrDefault(AsffProductFields.Source) ?? "");
    }
}
