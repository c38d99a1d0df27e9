using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The metrics the handler emits. Bound at composition to the runtime's Embedded Metric Format writer (metrics
/// AuditsCompleted, FindingsBySeverity, AuditIncomplete, AuditDurationMs under the function's namespace).
/// AuditIncomplete counts each task definition whose audit cannot be trusted once: audited with an incomplete report,
/// or not audited at all. An alarm on it sees an IAM outage, which ends in reports full of ERA005 findings.
/// </summary>
public interface IAuditMetrics
{
    /// <summary>
    /// One task definition was audited: AuditsCompleted +1, FindingsBySeverity per severity of its unsuppressed findings,
    /// AuditDurationMs, and AuditIncomplete +1 when the report <see cref="TaskDefinitionReport.IsIncomplete"/>.
    /// </summary>
    void AuditCompleted(TaskDefinitionReport report, TimeSpan duration);

    /// <summary>An invocation could not audit <paramref name="unfinished"/> task definitions at all (AuditIncomplete).</summary>
    void AuditIncomplete(int unfinished);
}
