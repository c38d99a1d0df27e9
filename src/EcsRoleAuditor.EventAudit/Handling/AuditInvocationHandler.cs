using EcsRoleAuditor.Audit;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Events;

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
    /// <param name="dependencies">AWS clients, role directories, log and metrics.</param>
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
        var scope = AlertScope.FromArn(context.InvokedFunctionArn) ?? new AlertScope("aws", "unknown", "unknown");
        using var deadline = new InvocationDeadline(context, _dependencies.Time, cancellationToken);
        using var run = new AuditRun(_settings, _dependencies, _auditor, auditEvent, scope, deadline);
        await run.ExecuteAsync().ConfigureAwait(false);
        var incomplete = IncompleteAuditAlert.For(run.Unfinished, scope);
        if (run.Unfinished.Count > 0)
        {
            _dependencies.Metrics.AuditIncomplete(run.Unfinished.Count);
            await run.PublishAsync(incomplete).ConfigureAwait(false);
        }
        return auditEvent is AuditEvent.DirectAudit
            ? InvocationResponse.Report(run.Reports, incomplete.Reports)
            : InvocationResponse.Summary(auditEvent, run.Reports.Count, run.AlertsPublished, run.Unfinished.Count);
    }
}
