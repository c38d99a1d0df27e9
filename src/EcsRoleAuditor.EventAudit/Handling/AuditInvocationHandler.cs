using EcsRoleAuditor.Audit;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The auditor's invocation handler: classifies the event, audits the task definitions it concerns, publishes one SNS
/// alert per task definition whose unsuppressed findings reach MIN_SEVERITY, and, when the deadline or an error leaves
/// work undone, an "audit incomplete" (ERA005) alert naming it. Unrelated events are acknowledged; a failed publish
/// throws so that Lambda retries and the dead-letter queue keeps the event.
/// </summary>
public sealed class AuditInvocationHandler : IInvocationHandler
{
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
            _dependencies.Log.Write(LogLevel.Info, $"Ignored {ignored.EventName}: {ignored.Reason}.", new AuditLogFields(ignored.EventName));
            return InvocationResponse.Ignored(ignored);
        }
        _dependencies.Log.Write(LogLevel.Info, $"Handling {auditEvent.Name}.", new AuditLogFields(auditEvent.Name));
        // Every request of the invocation, the store's before and after the audit run included (the run counts its own).
        var calls = new Aws.Resolution.ApiCallCounter();
        using var counting = Aws.Resolution.ApiCallCounting.Begin(calls);
        var scope = AlertScope.FromArn(context.InvokedFunctionArn) ?? new AlertScope("aws", "unknown", "unknown");
        using var deadline = new InvocationDeadline(context, _dependencies.Time, cancellationToken);
        var sink = new AlertingSink(_settings, _dependencies, auditEvent, EventClaim.Of(payload), scope, deadline.Publish);
        var startedAt = _dependencies.Time.GetUtcNow();
        if (auditEvent is AuditEvent.SweepRequested)
        {
            await sink.SweepStartingAsync(scope, startedAt).ConfigureAwait(false);
        }
        // With the store, role events find their task definitions in the family heads it keeps for this account and region.
        var sources = _dependencies.Findings is { } store
            ? _dependencies.Sources with { Heads = store.HeadIndex(scope.AccountId, scope.Region), Revisions = store.RevisionCache(scope.AccountId, scope.Region), Clock = _dependencies.Time }
            : _dependencies.Sources;
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
            _dependencies.Log.Write(LogLevel.Info, "No task definition to audit.", new AuditLogFields(auditEvent.Name, AwsApiCalls: outcome.Calls.Total));
        }
        _dependencies.Log.Write(LogLevel.Info, $"Handled {auditEvent.Name}: {calls}.", new AuditLogFields(auditEvent.Name, AwsApiCalls: calls.Total));
        return auditEvent is AuditEvent.DirectAudit
            ? InvocationResponse.Report(outcome.Reports, outcome.UnfinishedReports)
            : InvocationResponse.Summary(auditEvent, outcome.Reports.Length, sink.AlertsPublished, outcome.Unfinished.Length);
    }

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
