using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The metrics the handler emits. Bound at composition to the runtime's Embedded Metric Format writer (metrics
/// AuditsCompleted, FindingsBySeverity, AuditIncomplete, AuditDurationMs under the function's namespace).
/// </summary>
public interface IAuditMetrics
{
    /// <summary>One task definition was audited: AuditsCompleted +1, FindingsBySeverity per severity of its unsuppressed findings, AuditDurationMs.</summary>
    void AuditCompleted(TaskDefinitionReport report, TimeSpan duration);

    /// <summary>An invocation could not finish <paramref name="unfinished"/> task definitions (AuditIncomplete).</summary>
    void AuditIncomplete(int unfinished);
}
