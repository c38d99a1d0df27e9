using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Composition;

/// <summary>The handler's log port bound to the runtime's JSON line logger (which adds timestamp and requestId, and redacts).</summary>
internal sealed class JsonLineAuditLog(JsonLineLogger lines) : IAuditLog
{
    /// <inheritdoc/>
    public void Write(LogLevel level, string message, AuditLogFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var findings = fields.FindingsBySeverity is { } counts
            ? new SeverityCounts(Count(counts, Severity.Critical), Count(counts, Severity.High), Count(counts, Severity.Medium), Count(counts, Severity.Low), Count(counts, Severity.Info))
            : (SeverityCounts?)null;
        lines.Write(level, message, new LogFields(fields.EventName, fields.Family, findings, fields.AwsApiCalls is { } calls ? (int)Math.Min(calls, int.MaxValue) : null, fields.DurationMs));
    }

    private static int Count(IReadOnlyDictionary<string, int> counts, Severity severity) =>
        counts.TryGetValue(severity.Name(), out var count) ? count : 0;
}

/// <summary>The handler's metrics port bound to the Embedded Metric Format writer.</summary>
internal sealed class EmbeddedAuditMetrics(EmbeddedMetricsWriter writer) : IAuditMetrics
{
    /// <inheritdoc/>
    public void AuditCompleted(TaskDefinitionReport report, TimeSpan duration, long awsApiCalls)
    {
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteAudit(new AuditMetrics(1, report.IsIncomplete ? 1 : 0, Clamped(awsApiCalls), duration.TotalMilliseconds, SeverityCounts.Of(report.ActiveFindings.Select(f => f.Severity))));
    }

    /// <inheritdoc/>
    public void AuditIncomplete(int unfinished, long awsApiCalls) =>
        writer.WriteAudit(new AuditMetrics(0, unfinished, Clamped(awsApiCalls), 0, default));

    /// <inheritdoc/>
    public void FindingsStoreFailed() => writer.WriteFindingsStoreError();

    /// <inheritdoc/>
    public void AccountSwept(bool complete) => writer.WriteAccountSwept(complete);

    /// <inheritdoc/>
    public void SweepPlanned(int queued, int failed) => writer.WriteSweepPlanned(queued, failed);

    private static int Clamped(long calls) => (int)Math.Clamp(calls, 0, int.MaxValue);
}
