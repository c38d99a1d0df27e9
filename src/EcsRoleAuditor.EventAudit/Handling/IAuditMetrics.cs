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
    /// AuditDurationMs, and AuditIncomplete +1 when the report <see cref="TaskDefinitionReport.IsIncomplete"/>;
    /// <paramref name="awsApiCalls"/> the calls made since the previous metric of the invocation.
    /// </summary>
    void AuditCompleted(TaskDefinitionReport report, TimeSpan duration, long awsApiCalls);

    /// <summary>An invocation could not audit <paramref name="unfinished"/> task definitions at all (AuditIncomplete); <paramref name="awsApiCalls"/> as above.</summary>
    void AuditIncomplete(int unfinished, long awsApiCalls);

    /// <summary>The findings store failed and the invocation alerts without it (FindingsStoreErrors +1): alerts may repeat until it is fixed.</summary>
    void FindingsStoreFailed();

    /// <summary>Organization mode: one account and region swept from the queue (AccountsSwept +1), or not completely (AccountsIncomplete +1).</summary>
    /// <remarks>Only organization mode calls it; observers of a single account need not count it.</remarks>
    void AccountSwept(bool complete)
    {
    }

    /// <summary>Organization mode: the schedule queued <paramref name="queued"/> sweep messages (SweepMessagesQueued) and failed to queue <paramref name="failed"/> (SweepMessagesFailed).</summary>
    /// <remarks>Only organization mode calls it.</remarks>
    void SweepPlanned(int queued, int failed)
    {
    }
}
