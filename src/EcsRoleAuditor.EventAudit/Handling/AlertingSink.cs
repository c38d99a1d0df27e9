using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The function's sink: each report is counted in the metrics, logged finding by finding, and alerted at once when its
/// unsuppressed findings reach MIN_SEVERITY.
/// </summary>
internal sealed class AlertingSink(AuditorSettings settings, AuditDependencies dependencies, AuditEvent auditEvent, AlertScope fallbackScope, CancellationToken publishDeadline) : IAuditSink
{
    private long _reportedCalls;

    public int AlertsPublished { get; private set; }

    public async Task ReportedAsync(TaskDefinitionReport report, TimeSpan duration, long apiCallsSoFar)
    {
        dependencies.Metrics.AuditCompleted(report, duration, CallsSinceLastMetric(apiCallsSoFar));
        LogReport(report, duration, apiCallsSoFar);
        if (Alert.ForViolations(report, settings.MinSeverity, AlertScope.FromArn(report.TaskDefinitionArn) ?? fallbackScope) is { } alert)
        {
            await PublishAsync(alert).ConfigureAwait(false);
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
        await PublishAsync(new Alert(AlertKind.Incomplete, outcome.UnfinishedReports, fallbackScope)).ConfigureAwait(false);
    }

    private async Task PublishAsync(Alert alert)
    {
        var message = AlertComposer.Compose(alert, settings.AlertTopicArn);
        // Publish failures are not caught: the invocation fails, Lambda retries, and the dead-letter queue keeps the event.
        await dependencies.Sns.PublishAsync(message, publishDeadline).ConfigureAwait(false);
        AlertsPublished++;
        Log(LogLevel.Info, $"Published the alert \"{message.Subject}\".", new AuditLogFields(auditEvent.Name, alert.Family));
    }

    private long CallsSinceLastMetric(long soFar) => soFar - Interlocked.Exchange(ref _reportedCalls, soFar);

    private void LogReport(TaskDefinitionReport report, TimeSpan duration, long apiCallsSoFar)
    {
        var bySeverity = report.ActiveFindings.GroupBy(f => f.Severity.Name()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Log(LogLevel.Info, $"Audited {report.DisplayName}: {FindingFactory.Count(report.Findings.Length, "finding")}, {report.Findings.Count(f => f.Suppressed)} suppressed.",
            new AuditLogFields(auditEvent.Name, report.Family, bySeverity, (long)duration.TotalMilliseconds, apiCallsSoFar));
        foreach (var finding in report.Findings)
        {
            // Every finding is logged, including those alerts leave out (suppressed, below MIN_SEVERITY).
            var status = finding.Suppressed ? $"suppressed ({finding.SuppressionReason})"
                : !Alert.IsAlerted(finding, settings.MinSeverity) ? "below MIN_SEVERITY" : "alerted";
            Log(LogLevel.Info, $"{report.DisplayName}: {finding.RuleId} {finding.Severity.Name()} {status}: {finding.Message}",
                new AuditLogFields(auditEvent.Name, report.Family));
        }
    }

    private void Log(LogLevel level, string message, AuditLogFields fields) => dependencies.Log.Write(level, message, fields);
}
