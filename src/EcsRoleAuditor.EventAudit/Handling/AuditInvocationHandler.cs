using EcsRoleAuditor.Audit;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.Pipeline;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The auditor's invocation handler: classifies the event, audits the task definitions it concerns, publishes one SNS
/// alert per task definition whose unsuppressed findings reach MIN_SEVERITY, and, when the deadline or an error leaves
/// work undone, an "audit incomplete" (ERA005) alert naming it. Unrelated events are acknowledged; a failed publish
/// throws so that Lambda retries and the dead-letter queue keeps the event.
/// </summary>
public sealed class AuditInvocationHandler : IInvocationHandler
{
    // SendMessageBatch calls in flight when the schedule plans a sweep.
    private const int ConcurrentSends = 4;

    private readonly AuditorSettings _settings;
    private readonly AuditDependencies _dependencies;
    private readonly Auditor _auditor;

    /// <summary>A handler with the configuration and the bound dependencies.</summary>
    /// <param name="settings">From the environment.</param>
    /// <param name="dependencies">ECS and IAM sources, SNS, log and metrics.</param>
    public AuditInvocationHandler(AuditorSettings settings, AuditDependencies dependencies)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(dependencies);
        _settings = settings;
        _dependencies = dependencies;
        _auditor = Auditor.WithAllRules(settings.Suppressions);
    }

    /// <inheritdoc/>
    public async Task<string> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var auditEvent = EventClassifier.Classify(payload);
        if (auditEvent is AuditEvent.Ignored ignored)
        {
            return Ignore(ignored);
        }
        _dependencies.Log.Write(LogLevel.Info, $"Handling {auditEvent.Name}.", new AuditLogFields(auditEvent.Name));
        // Every request of the invocation, the store's before and after the audit run included (the run counts its own).
        var calls = new Aws.Resolution.ApiCallCounter();
        using var counting = Aws.Resolution.ApiCallCounting.Begin(calls);
        var home = AlertScope.FromArn(context.InvokedFunctionArn) ?? new AlertScope("aws", "unknown", "unknown");
        using var deadline = new InvocationDeadline(context, _dependencies.Time, cancellationToken);
        var response = (auditEvent, _settings.Organization) switch
        {
            (AuditEvent.SweepBatch batch, _) => await SweepBatchAsync(batch, home, context, deadline).ConfigureAwait(false),
            (_, { } organization) => await InOrganizationAsync(auditEvent, organization, home, EventClaim.Of(payload), context, deadline).ConfigureAwait(false),
            _ => Respond(auditEvent, [await AuditAsync(auditEvent, home, _dependencies.Sources, _settings.SecurityHub ? _dependencies.SecurityHub : null, EventClaim.Of(payload), deadline).ConfigureAwait(false)]),
        };
        _dependencies.Log.Write(LogLevel.Info, $"Handled {auditEvent.Name}: {calls}.", new AuditLogFields(auditEvent.Name, AwsApiCalls: calls.Total));
        return response;
    }

    private string Ignore(AuditEvent.Ignored ignored)
    {
        _dependencies.Log.Write(LogLevel.Info, $"Ignored {ignored.EventName}: {ignored.Reason}.", new AuditLogFields(ignored.EventName));
        return InvocationResponse.Ignored(ignored);
    }

    // Organization mode: the event's account and region are audited with the reader role assumed there; an IAM event
    // (IAM is global, its events arrive from us-east-1) re-audits the account in every region of AUDIT_REGIONS; the
    // schedule plans the sweep instead of running it.
    private async Task<string> InOrganizationAsync(AuditEvent auditEvent, OrganizationSettings organization, AlertScope home, string claim, InvocationContext context, InvocationDeadline deadline)
    {
        if (auditEvent is AuditEvent.SweepRequested { Origin: null })
        {
            return await PlanSweepAsync(auditEvent, organization, home, claim, deadline).ConfigureAwait(false);
        }
        var origin = auditEvent switch
        {
            // An ARN names its account and region; one that names them badly is not read as the function's own account.
            AuditEvent.DirectAudit direct when Arn.TryParse(direct.TaskDefinition, out var arn) =>
                AwsNames.IsAccountId(arn.Account) && AwsNames.IsRegion(arn.Region) && arn.Partition == home.Partition ? new EventOrigin(arn.Account, arn.Region) : null,
            AuditEvent.DirectAudit => new EventOrigin(home.AccountId, home.Region),
            _ => auditEvent.Origin,
        };
        if (origin is null)
        {
            return Ignore(new AuditEvent.Ignored(auditEvent.Name, "the event names no account and region of the function's partition to audit"));
        }
        if (Unaudited(organization, origin, home) is { } why)
        {
            return Ignore(new AuditEvent.Ignored(auditEvent.Name, why));
        }
        var origins = auditEvent is AuditEvent.RoleChanged or AuditEvent.ManagedPolicyChanged
            ? organization.Regions.Select(region => origin with { Region = region })
            : [origin];
        var runs = new List<AuditRun>();
        foreach (var each in origins)
        {
            runs.Add(await AuditAccountAsync(auditEvent, each, home, claim, context, deadline).ConfigureAwait(false));
        }
        return Respond(auditEvent, runs);
    }

    // Why an event's account and region are not audited, or null. The central account's events are audited even when
    // ACCOUNTS leaves it out, but EXCLUDED_ACCOUNTS names what the operator wants left alone, the central account too.
    // A region of another partition cannot be read with this partition's credentials (the reader role's ARN is this
    // partition's): such an event did not come through this partition's buses.
    private static string? Unaudited(OrganizationSettings organization, EventOrigin origin, AlertScope home)
    {
        if (organization.ExcludedAccounts.Contains(origin.AccountId) || (!organization.Audits(origin.AccountId) && origin.AccountId != home.AccountId))
        {
            return $"account {origin.AccountId} is not audited (ACCOUNTS, EXCLUDED_ACCOUNTS)";
        }
        return Aws.Connection.AwsConnection.PartitionOf(origin.Region) != home.Partition
            ? $"region {origin.Region} is not in the function's partition ({home.Partition})"
            : null;
    }

    // The schedule in organization mode: one SQS message per account and region (the accounts from ACCOUNTS or the
    // organization's ACTIVE ones), ten to a call. Whatever cannot be planned or sent is alerted as "audit incomplete":
    // an account left out of a sweep must not look clean.
    private async Task<string> PlanSweepAsync(AuditEvent auditEvent, OrganizationSettings organization, AlertScope home, string claim, InvocationDeadline deadline)
    {
        IReadOnlyList<string> accounts = organization.Accounts;
        if (accounts.Count == 0)
        {
            var (listed, notAccountIds, unlisted) = await MemberAudit.ListAccountsAsync(
                _dependencies.Organizations ?? throw new InvalidOperationException("organization mode without ACCOUNTS needs the Organizations API"),
                "Deploy the central stack in the organization's management account or a delegated administrator account, or name the accounts in its Accounts parameter, ",
                deadline.Audit).ConfigureAwait(false);
            if (unlisted is not null)
            {
                var run = await UnreachableAsync(auditEvent, home, claim, deadline, unlisted).ConfigureAwait(false);
                return InvocationResponse.Planned(auditEvent, 0, organization.Regions.Length, 0, 0, run.AlertsPublished);
            }
            if (notAccountIds > 0)
            {
                _dependencies.Log.Write(LogLevel.Warn, $"ListAccounts returned {notAccountIds} account ids that are not 12 digits; they are not swept.", new AuditLogFields(auditEvent.Name));
            }
            accounts = listed;
        }
        accounts = [.. accounts.Where(organization.Audits)];
        var origins = accounts.SelectMany(account => organization.Regions.Select(region => new EventOrigin(account, region))).ToList();
        // A few batches at once: thousands of accounts x regions are hundreds of calls, sent one after the other a good part of the timeout.
        var chunks = origins.Chunk(Aws.Api.SqsLimits.MaxBatchEntries).ToArray();
        var failures = new List<(EventOrigin Origin, string Reason)>[chunks.Length];
        await Parallel.ForAsync(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentSends },
            async (i, _) => failures[i] = await SendAsync(organization.SweepQueueUrl, chunks[i], deadline.Audit).ConfigureAwait(false)).ConfigureAwait(false);
        var unsent = failures.SelectMany(f => f)
            .Select(f => new UnfinishedAudit(MemberAudit.Name(f.Origin.AccountId, f.Origin.Region), $"its sweep message could not be queued ({f.Reason})", IsStep: true)).ToList();
        var sent = origins.Count - unsent.Count;
        _dependencies.Metrics.SweepPlanned(sent, unsent.Count);
        _dependencies.Log.Write(unsent.Count == 0 ? LogLevel.Info : LogLevel.Error,
            $"Planned the sweep of {accounts.Count} accounts in {organization.Regions.Length} regions: {sent} messages queued, {unsent.Count} not.", new AuditLogFields(auditEvent.Name));
        var alerts = 0;
        if (unsent.Count > 0)
        {
            var sink = new AlertingSink(_settings, _dependencies, auditEvent, claim, home, deadline.Publish);
            await sink.UnfinishedAsync(new AuditOutcome([], [.. unsent], new Aws.Resolution.ApiCallCounter(), null)).ConfigureAwait(false);
            alerts = sink.AlertsPublished;
        }
        return InvocationResponse.Planned(auditEvent, accounts.Count, organization.Regions.Length, sent, unsent.Count, alerts);
    }

    // One SendMessageBatch, and once more for the entries SQS failed on its side; what still fails, and why.
    private async Task<List<(EventOrigin Origin, string Reason)>> SendAsync(string queueUrl, EventOrigin[] origins, CancellationToken cancellationToken)
    {
        var queue = _dependencies.SweepQueue ?? throw new InvalidOperationException("organization mode needs the sweep queue");
        var byId = origins.ToDictionary(SweepMessage.EntryId, StringComparer.Ordinal);
        var pending = origins;
        var failures = new List<(EventOrigin, string)>();
        for (var attempt = 0; attempt < 2 && pending.Length > 0; attempt++)
        {
            Aws.Api.SqsBatchResult result;
            try
            {
                result = await queue.SendMessageBatchAsync(queueUrl, [.. pending.Select(o => (SweepMessage.EntryId(o), SweepMessage.Body(o)))], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Aws.Resolution.AwsFailure.IsAwsError(e) || e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                var reason = e is OperationCanceledException { InnerException: not TimeoutException } ? "the invocation reached its deadline"
                    : Aws.Resolution.AwsFailure.From(e, Aws.Resolution.AwsActions.SendMessageBatch, queueUrl).ErrorCode;
                return [.. failures, .. pending.Select(o => (o, reason))];
            }
            var retry = result.Failed.Where(f => !f.SenderFault && attempt == 0 && byId.ContainsKey(f.Id)).Select(f => byId[f.Id]).ToArray();
            failures.AddRange(result.Failed.Where(f => byId.ContainsKey(f.Id) && !retry.Contains(byId[f.Id])).Select(f => (byId[f.Id], f.Code)));
            pending = retry;
        }
        return failures;
    }

    // SQS's sweep records, one account and region each, in turn: a record that fails (an alert that could not be
    // published) is named in batchItemFailures so SQS delivers it again, and never stops the others.
    private async Task<string> SweepBatchAsync(AuditEvent.SweepBatch batch, AlertScope home, InvocationContext context, InvocationDeadline deadline)
    {
        var failed = new List<string>();
        foreach (var record in batch.Records)
        {
            if (record.Origin is not { } origin || _settings.Organization is null)
            {
                // Delivered again, it would fail again: acknowledged, and the log says why.
                var why = record.Problem ?? "ORGANIZATION_ID is empty, so the function does not sweep other accounts";
                _dependencies.Log.Write(LogLevel.Error, $"Dropped sweep message {record.MessageId}: {why}.", new AuditLogFields(batch.Name));
                continue;
            }
            // The plan sends only ACCOUNTS (or the organization's) x AUDIT_REGIONS; a message for anything else was planned
            // under other settings (a redrive from the dead-letter queue after an account was excluded) or not by the plan.
            var organization = _settings.Organization;
            if (!organization.Audits(origin.AccountId) || !organization.Regions.Contains(origin.Region))
            {
                _dependencies.Log.Write(LogLevel.Warn, $"Dropped sweep message {record.MessageId}: {MemberAudit.Name(origin.AccountId, origin.Region)} is not swept (ACCOUNTS, EXCLUDED_ACCOUNTS, AUDIT_REGIONS).",
                    new AuditLogFields(batch.Name));
                continue;
            }
            if (deadline.Audit.IsCancellationRequested)
            {
                failed.Add(record.MessageId);
                continue;
            }
            try
            {
                var run = await AuditAccountAsync(new AuditEvent.SweepRequested { Origin = origin }, origin, home, "sqs:" + record.MessageId, context, deadline).ConfigureAwait(false);
                _dependencies.Metrics.AccountSwept(complete: run.Outcome.Unfinished.IsEmpty);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failed.Add(record.MessageId);
                _dependencies.Metrics.AccountSwept(complete: false);
                _dependencies.Log.Write(LogLevel.Error, $"The sweep of account {origin.AccountId} in {origin.Region} failed ({e.GetType().Name}); SQS delivers it again.",
                    new AuditLogFields(batch.Name));
            }
        }
        return InvocationResponse.BatchItemFailures(failed);
    }

    // One account and region, read with the reader role assumed there (the function's own account with its own
    // credentials): a role that cannot be assumed is an "audit incomplete" alert for that account, never silence.
    private async Task<AuditRun> AuditAccountAsync(AuditEvent auditEvent, EventOrigin origin, AlertScope home, string claim, InvocationContext context, InvocationDeadline deadline)
    {
        var scope = new AlertScope(home.Partition, origin.Region, origin.AccountId);
        var members = _dependencies.Members ?? throw new InvalidOperationException("organization mode needs the member accounts' access");
        var (sources, access, unreachable) = await MemberAudit.OpenAccessAsync(members, origin.AccountId, origin.Region, SessionName(context), deadline.Audit).ConfigureAwait(false);
        if (sources is null)
        {
            return await UnreachableAsync(auditEvent, scope, claim, deadline, unreachable!).ConfigureAwait(false);
        }
        // Each account imports its own findings (the default product takes only the caller's account), through the reader role.
        return await AuditAsync(auditEvent, scope, sources, _settings.SecurityHub ? access?.SecurityHub : null, claim, deadline).ConfigureAwait(false);
    }

    private async Task<AuditRun> UnreachableAsync(AuditEvent auditEvent, AlertScope scope, string claim, InvocationDeadline deadline, UnfinishedAudit unfinished)
    {
        var outcome = new AuditOutcome([], [unfinished], new Aws.Resolution.ApiCallCounter(), null);
        var sink = new AlertingSink(_settings, _dependencies, auditEvent, claim, scope, deadline.Publish);
        await sink.UnfinishedAsync(outcome).ConfigureAwait(false);
        return new AuditRun(outcome, sink.AlertsPublished);
    }

    // The role session name CloudTrail shows in the member account: the request id leads to this invocation's log.
    // STS allows 2 to 64 of letters, digits and +=,.@_- (STS API Reference, AssumeRole, RoleSessionName).
    private static string SessionName(InvocationContext context)
    {
        var id = new string([.. context.RequestId.Where(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '=' or ',' or '.' or '@' or '_' or '-')]);
        var name = id.Length > 0 ? "EcsRoleAuditor-" + id : "EcsRoleAuditor";
        return name.Length > 64 ? name[..64] : name;
    }

    // One audit of one account and region: the pipeline's run with the sink that alerts and records it.
    private async Task<AuditRun> AuditAsync(AuditEvent auditEvent, AlertScope scope, AuditSources sources, Aws.Api.ISecurityHubApi? hub, string claim, InvocationDeadline deadline)
    {
        var sink = new AlertingSink(_settings, _dependencies, auditEvent, claim, scope, deadline.Publish,
            hub is null ? null : new SecurityHubExport(hub, scope, _dependencies.Log, _dependencies.Time, auditEvent.Name));
        var startedAt = _dependencies.Time.GetUtcNow();
        if (auditEvent is AuditEvent.SweepRequested)
        {
            await sink.SweepStartingAsync(scope, startedAt).ConfigureAwait(false);
        }
        // With the store, role events find their task definitions in the family heads it keeps for this account and region.
        if (_dependencies.Findings is { } store)
        {
            sources = sources with { Heads = store.HeadIndex(scope.AccountId, scope.Region), Revisions = store.RevisionCache(scope.AccountId, scope.Region), Clock = _dependencies.Time };
        }
        var outcome = await new AuditPipeline(sources, _auditor).RunAsync(TargetsOf(auditEvent), sink, deadline.Audit).ConfigureAwait(false);
        if (auditEvent is AuditEvent.SweepRequested)
        {
            await sink.SweepCompletedAsync(outcome, startedAt, scope).ConfigureAwait(false);
        }
        if (!outcome.FamiliesWithoutActive.IsEmpty)
        {
            await sink.FamiliesWithoutActiveAsync(outcome, scope).ConfigureAwait(false);
        }
        if (!outcome.Unfinished.IsEmpty)
        {
            await sink.UnfinishedAsync(outcome).ConfigureAwait(false);
        }
        else if (outcome.Reports.IsEmpty)
        {
            _dependencies.Log.Write(LogLevel.Info, $"No task definition to audit in account {scope.AccountId}, {scope.Region}.", new AuditLogFields(auditEvent.Name, AwsApiCalls: outcome.Calls.Total));
        }
        await sink.FinishAsync().ConfigureAwait(false);
        return new AuditRun(outcome, sink.AlertsPublished);
    }

    private static string Respond(AuditEvent auditEvent, IReadOnlyList<AuditRun> runs) => auditEvent is AuditEvent.DirectAudit
        ? InvocationResponse.Report(runs.SelectMany(r => r.Outcome.Reports), runs.SelectMany(r => r.Outcome.UnfinishedReports))
        : InvocationResponse.Summary(auditEvent, runs.Sum(r => r.Outcome.Reports.Length), runs.Sum(r => r.AlertsPublished), runs.Sum(r => r.Outcome.Unfinished.Length));

    // What each event asks to audit; the pipeline does the rest the same way for every event.
    private AuditTargets TargetsOf(AuditEvent auditEvent) => auditEvent switch
    {
        AuditEvent.TaskDefinitionRegistered registered => new AuditTargets.Named([new TaskDefinitionTarget(registered.Reference, registered.Definition)]) { JustRegistered = true },
        AuditEvent.TaskStartedWithRoleOverrides started => new AuditTargets.Named(
            [new TaskDefinitionTarget(started.TaskDefinition, null, started.TaskRoleOverride, started.ExecutionRoleOverride)]),
        // The family, not the tagged ARN: its newest ACTIVE revision is what runs next; a tag on an old revision must
        // not make an old revision audited and alerted, and a family with none left has nothing to audit.
        AuditEvent.SuppressionTagChanged tagged => new AuditTargets.NewestActive(tagged.Family) { TagsChanged = true },
        AuditEvent.TaskDefinitionDeregistered deregistered => new AuditTargets.NewestActive(deregistered.Family) { Deregistered = deregistered.Revision },
        AuditEvent.DirectAudit direct => new AuditTargets.Named([new TaskDefinitionTarget(direct.TaskDefinition)]),
        AuditEvent.RoleChanged changed => new AuditTargets.UsingRole(changed.RoleName, _settings.SweepAllRevisions),
        AuditEvent.ManagedPolicyChanged policy => new AuditTargets.UsingManagedPolicy(policy.PolicyArn, _settings.SweepAllRevisions),
        AuditEvent.SweepRequested => new AuditTargets.AllActive(_settings.SweepAllRevisions),
        _ => throw new ArgumentOutOfRangeException(nameof(auditEvent), auditEvent.Name, "an event the classifier does not produce"),
    };
}

/// <summary>What one audit of one account and region did.</summary>
/// <param name="Outcome">The pipeline's outcome.</param>
/// <param name="AlertsPublished">The alerts it published.</param>
internal sealed record AuditRun(AuditOutcome Outcome, int AlertsPublished);
