using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.Pipeline;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The function's sink: each report is counted in the metrics, logged finding by finding, and alerted at once when its
/// unsuppressed findings reach MIN_SEVERITY. With the findings store, only what the store says this invocation alerts
/// (new, reopened, severity rose) is alerted, and findings a complete audit no longer shows get a resolved notice.
/// A store that fails (throttled past retries, access denied, an item it cannot read) never silences an alert: the
/// error is logged and the rest of the invocation alerts as without a store.
/// </summary>
/// <param name="settings">The configuration.</param>
/// <param name="dependencies">SNS, log, metrics and the store.</param>
/// <param name="auditEvent">The event, for the log.</param>
/// <param name="claim">The invocation's claim in the store (<see cref="EventClaim"/>).</param>
/// <param name="fallbackScope">The scope of alerts whose report has no ARN.</param>
/// <param name="publishDeadline">When publishing (and the store's writes) must stop.</param>
/// <param name="securityHub">Security Hub of the audited account and region, when findings are imported there.</param>
internal sealed class AlertingSink(AuditorSettings settings, AuditDependencies dependencies, AuditEvent auditEvent, string claim, AlertScope fallbackScope, CancellationToken publishDeadline,
    SecurityHubExport? securityHub = null) : IAuditSink
{
    private readonly FindingLedger? _ledger = dependencies.Findings is { } store
        // A run-time role override says nothing about the task definition as registered: kept out of its record.
        && auditEvent is not AuditEvent.TaskStartedWithRoleOverrides ? new FindingLedger(store, dependencies.Time) : null;
    private long _reportedCalls;
    private IReadOnlyList<StoredFinding>? _sweepSnapshot;
    private DateTimeOffset? _listedAt;
    private bool _storeFailed;

    public int AlertsPublished { get; private set; }

    /// <summary>Before a sweep: what the store holds for the account, read once for every family the sweep records.</summary>
    /// <param name="scope">The account and region swept.</param>
    /// <param name="startedAt">Before the sweep's listing began.</param>
    public async Task SweepStartingAsync(AlertScope scope, DateTimeOffset startedAt)
    {
        // Each report of a sweep is its family's newest ACTIVE revision as the listing found it; with every revision
        // swept, older revisions are reported too and speak for nothing newer.
        _listedAt = settings.SweepAllRevisions ? null : startedAt;
        if (_ledger is not null)
        {
            _sweepSnapshot = await FromStoreAsync("reading the account's findings", () => _ledger.SnapshotAsync(scope.AccountId, publishDeadline)).ConfigureAwait(false);
        }
    }

    public async Task ReportedAsync(TaskDefinitionReport report, TaskDefinition definition, TimeSpan duration, long apiCallsSoFar)
    {
        dependencies.Metrics.AuditCompleted(report, duration, CallsSinceLastMetric(apiCallsSoFar));
        var scope = AlertScope.FromArn(report.TaskDefinitionArn) ?? fallbackScope;
        var entry = _ledger is null ? null
            : await FromStoreAsync($"recording {report.DisplayName}", () => _ledger.RecordAsync(report, f => Alert.IsAlerted(f, settings.MinSeverity), claim, mayResolve: true, publishDeadline, _listedAt)).ConfigureAwait(false);
        LogReport(report, duration, apiCallsSoFar, entry);
        if (entry is null)
        {
            if (Alert.ForViolations(report, settings.MinSeverity, scope) is { } alert)
            {
                await PublishAsync(WithFix(alert, definition)).ConfigureAwait(false);
            }
            await ToSecurityHubAsync(report, null).ConfigureAwait(false);
            return;
        }
        if (Alert.ForNews(report, entry, scope) is { } news)
        {
            await PublishAsync(WithFix(news, definition)).ConfigureAwait(false);
        }
        if (Alert.ForResolved(report, entry, scope) is { } resolved)
        {
            await PublishAsync(resolved).ConfigureAwait(false);
        }
        // Reminders are a digest: the daily sweep sends them, one message per family.
        if (auditEvent is AuditEvent.SweepRequested && settings.RemindAfterDays is { } days
            && await FromStoreAsync("claiming reminders", () => _ledger!.RemindAsync(entry, TimeSpan.FromDays(days), publishDeadline)).ConfigureAwait(false) is { } reminding)
        {
            entry = reminding;
            if (Alert.ForReminder(report, entry, scope) is { } reminder)
            {
                await PublishAsync(WithFix(reminder, definition)).ConfigureAwait(false);
            }
        }
        // Only after publishing: an invocation that fails before this point is retried and publishes again.
        await ConfirmAsync(entry).ConfigureAwait(false);
        await ToSecurityHubAsync(report, entry).ConfigureAwait(false);
    }

    // After the alert: Security Hub's calls (and their retries) never delay or hold back an SNS alert. A run-time role
    // override says nothing of the task definition as registered: not a finding of it in Security Hub.
    private async Task ToSecurityHubAsync(TaskDefinitionReport report, LedgerEntry? entry)
    {
        if (securityHub is null || auditEvent is AuditEvent.TaskStartedWithRoleOverrides)
        {
            return;
        }
        try
        {
            await securityHub.ReportedAsync(report, entry, publishDeadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (publishDeadline.IsCancellationRequested)
        {
            Log(LogLevel.Warn, $"Security Hub: the deadline came before {report.DisplayName}'s findings were imported; the next sweep imports them.", new AuditLogFields(auditEvent.Name, report.Family));
        }
    }

    // The fix command for what the alert names; in organization mode it assumes the reader role in the task definition's account.
    private Alert WithFix(Alert alert, TaskDefinition definition) =>
        alert with { Fix = AlertFix.For(alert, definition, settings.Organization?.ReaderRoleName) };

    /// <summary>A family listing answered: the report that follows speaks for the family as of that listing.</summary>
    public void FamilyListed(DateTimeOffset listedAt) => _listedAt = listedAt;

    /// <summary>
    /// After a complete sweep of <paramref name="scope"/>'s region: families the store holds open findings for but the
    /// sweep did not list have no ACTIVE task definition left, so their findings are closed with a resolved notice.
    /// Only findings last seen before the sweep began: a family registered meanwhile is not closed by a listing that
    /// predates it.
    /// </summary>
    public async Task SweepCompletedAsync(AuditOutcome outcome, DateTimeOffset startedAt, AlertScope scope)
    {
        // A listing that failed says nothing of which families exist; a task definition that could not be described
        // leaves only its own family unknown (Security Hub's reconciliation spares it).
        if (outcome.Unfinished.Any(u => u.IsStep))
        {
            return;
        }
        securityHub?.Unaudited(outcome.Unfinished.Select(u => Audit.Model.TaskDefinitionReference.Parse(u.Reference).Family));
        if (outcome.Unfinished.IsEmpty && _ledger is not null && _sweepSnapshot is { } held)
        {
            var swept = outcome.Reports.Select(FamilyKey.Of).OfType<FamilyKey>().ToHashSet();
            // The snapshot from before the sweep is current for these: the sweep did not audit their families.
            var gone = held.Where(f => f.Family.Region == scope.Region && !swept.Contains(f.Family) && f.LastSeen < startedAt)
                .GroupBy(f => f.Family).OrderBy(g => g.Key.Family, StringComparer.Ordinal);
            await CloseFamiliesAsync(gone.Select(g => (g.Key, (IReadOnlyList<StoredFinding>)[.. g])), scope).ConfigureAwait(false);
        }
        // Last: what the store closed is archived already; the rest Security Hub holds and the sweep did not show is stale.
        // A store that could not be read leaves the sweep without the evidence that protects newer revisions' findings.
        if (securityHub is not null && (_ledger is null || _sweepSnapshot is not null))
        {
            // With the store, what it holds open stays: the sweep lists a family's newest ACTIVE revision, which may be older
            // than the revision whose audit the store holds (the store's evidence rules, docs/state.md).
            var openInStore = _sweepSnapshot?.Where(f => f.Status is FindingStatus.Open or FindingStatus.Suppressed && f.Severity > Severity.Info && f.Family.Region == scope.Region)
                .Select(f => f.Fingerprint).ToHashSet(StringComparer.Ordinal);
            try
            {
                await securityHub.ReconcileAsync(startedAt, openInStore, publishDeadline).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (publishDeadline.IsCancellationRequested)
            {
                Log(LogLevel.Warn, "Security Hub: the deadline came before the sweep was reconciled; the next sweep does it.", new AuditLogFields(auditEvent.Name));
            }
        }
    }

    /// <summary>
    /// After a listing of a family found no ACTIVE revision (a deregistration event): its findings are closed as a
    /// sweep closes them. Only findings whose revision was last audited more than the listing margin before the listing
    /// began: a revision seen later may have been registered while ECS was listed.
    /// </summary>
    public async Task FamiliesWithoutActiveAsync(AuditOutcome outcome, AlertScope scope)
    {
        if (_ledger is null || _listedAt is not { } listedAt)
        {
            return;
        }
        var families = new List<(FamilyKey, IReadOnlyList<StoredFinding>)>();
        foreach (var family in outcome.FamiliesWithoutActive.Select(f => new FamilyKey(scope.AccountId, scope.Region, f)))
        {
            if (await FromStoreAsync($"reading {family.Family}", () => _ledger.Store.FamilyFindingsAsync(family, publishDeadline)).ConfigureAwait(false) is not { } held)
            {
                return;
            }
            families.Add((family, [.. held.Where(f => FindingLedger.EvidenceSeen(f) < listedAt - StoreRules.ListingMargin)]));
        }
        await CloseFamiliesAsync(families, scope).ConfigureAwait(false);
    }

    // Closes each family's findings with one FamilyGone notice per family.
    private async Task CloseFamiliesAsync(IEnumerable<(FamilyKey Family, IReadOnlyList<StoredFinding> Findings)> gone, AlertScope scope)
    {
        foreach (var (family, findings) in gone)
        {
            if (await FromStoreAsync($"closing {family.Family}", () => _ledger!.CloseFamilyAsync(family, findings, claim, publishDeadline)).ConfigureAwait(false) is not { } entry)
            {
                return;
            }
            if (securityHub is not null)
            {
                await securityHub.FamilyClosedAsync(family, entry.ToAnnounce, publishDeadline).ConfigureAwait(false);
            }
            var familyReport = new TaskDefinitionReport(null, family.Family, null, null, null, []);
            if (Alert.ForResolved(familyReport, entry, scope) is { } notice)
            {
                await PublishAsync(notice with { FamilyGone = true }).ConfigureAwait(false);
            }
            await ConfirmAsync(entry).ConfigureAwait(false);
            foreach (var closed in entry.ToAnnounce)
            {
                Log(LogLevel.Info, $"{family.Family}: {closed.RuleId} {closed.Severity.Name()} resolved: the family has no ACTIVE task definition.", new AuditLogFields(auditEvent.Name, family.Family));
            }
        }
    }

    /// <summary>At the end of the run: the Security Hub imports still waiting for a full call.</summary>
    public async Task FinishAsync()
    {
        if (securityHub is null)
        {
            return;
        }
        try
        {
            await securityHub.FlushAsync(publishDeadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (publishDeadline.IsCancellationRequested)
        {
            Log(LogLevel.Warn, "Security Hub: the deadline came before the last findings were imported; the next sweep imports them.", new AuditLogFields(auditEvent.Name));
        }
    }

    /// <summary>Counts the task definitions nothing could be said about, then alerts them as ERA005.</summary>
    public async Task UnfinishedAsync(AuditOutcome outcome)
    {
        foreach (var item in outcome.Unfinished)
        {
            Log(LogLevel.Warn, $"Not audited: {item.Reference}: {item.Reason}.", new AuditLogFields(auditEvent.Name, AwsApiCalls: outcome.Calls.Total));
        }
        dependencies.Metrics.AuditIncomplete(outcome.Unfinished.Length, CallsSinceLastMetric(outcome.Calls.Total));
        await PublishAsync(new Alert(AlertKind.Incomplete, outcome.UnfinishedReports, fallbackScope)
        {
            Steps = [.. outcome.Unfinished.Where(item => item.IsStep).Select(item => item.Reference)],
        }).ConfigureAwait(false);
    }

    private async Task PublishAsync(Alert alert)
    {
        var message = AlertComposer.Compose(alert, settings.AlertTopicArn);
        // Publish failures are not caught: the invocation fails, Lambda retries, and the dead-letter queue keeps the event.
        await dependencies.Sns.PublishAsync(message, publishDeadline).ConfigureAwait(false);
        AlertsPublished++;
        Log(LogLevel.Info, $"Published the alert \"{message.Subject}\".", new AuditLogFields(auditEvent.Name, alert.Family));
    }

    // A confirmation that fails leaves the claim pending: another invocation takes it over after the claim timeout and
    // alerts once more, which beats an alert lost.
    private Task<LedgerEntry?> ConfirmAsync(LedgerEntry entry) =>
        FromStoreAsync("confirming what was published", async () =>
        {
            await _ledger!.DeliveredAsync(entry, publishDeadline).ConfigureAwait(false);
            return (LedgerEntry?)entry;
        });

    // The store's answer, or null once it has failed in this invocation (logged once; then stateless).
    private async Task<T?> FromStoreAsync<T>(string doing, Func<Task<T>> call)
        where T : class?
    {
        if (_storeFailed)
        {
            return null;
        }
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Aws.Resolution.AwsFailure.IsAwsError(e) || e is InvalidDataException)
        {
            _storeFailed = true;
            dependencies.Metrics.FindingsStoreFailed();
            // The error code only: a service's message may quote the item's values.
            var what = e is Amazon.Runtime.AmazonServiceException { ErrorCode: { Length: > 0 } code } ? code : e.GetType().Name;
            Log(LogLevel.Error, $"The findings store failed while {doing} ({what}): this invocation alerts without it, so some findings may be alerted again.",
                new AuditLogFields(auditEvent.Name));
            return null;
        }
    }

    private long CallsSinceLastMetric(long soFar) => soFar - Interlocked.Exchange(ref _reportedCalls, soFar);

    private void LogReport(TaskDefinitionReport report, TimeSpan duration, long apiCallsSoFar, LedgerEntry? entry)
    {
        var alerted = entry?.ToAlert.ToDictionary(a => (object)a.Finding, a => StoreRules.Name(a.Reason), ReferenceEqualityComparer.Instance);
        var bySeverity = report.ActiveFindings.GroupBy(f => f.Severity.Name()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Log(LogLevel.Info, $"Audited {report.DisplayName}: {FindingFactory.Count(report.Findings.Length, "finding")}, {report.Findings.Count(f => f.Suppressed)} suppressed.",
            new AuditLogFields(auditEvent.Name, report.Family, bySeverity, (long)duration.TotalMilliseconds, apiCallsSoFar));
        foreach (var finding in report.Findings)
        {
            // Every finding is logged, including those alerts leave out (suppressed, below MIN_SEVERITY).
            var status = finding.Suppressed ? $"suppressed ({finding.SuppressionReason})"
                : !Alert.IsAlerted(finding, settings.MinSeverity) ? "below MIN_SEVERITY"
                : alerted is null ? "alerted"
                : alerted.TryGetValue(finding, out var reason) ? $"alerted ({reason})"
                : "open, alerted earlier";
            Log(LogLevel.Info, $"{report.DisplayName}: {finding.RuleId} {finding.Severity.Name()} {status}: {finding.Message}",
                new AuditLogFields(auditEvent.Name, report.Family));
        }
        foreach (var resolved in entry?.ToAnnounce ?? [])
        {
            Log(LogLevel.Info, $"{report.DisplayName}: {resolved.RuleId} {resolved.Severity.Name()} resolved: {resolved.Message}", new AuditLogFields(auditEvent.Name, report.Family));
        }
    }

    private void Log(LogLevel level, string message, AuditLogFields fields) => dependencies.Log.Write(level, message, fields);
}
