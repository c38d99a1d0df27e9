using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Pipeline;

/// <summary>
/// Receives each task definition's report as soon as it is known (an alert is published before the next audit starts,
/// so a deadline that cuts the run short loses no alert already earned). Printing, exit codes and the "audit incomplete"
/// alert read the <see cref="AuditOutcome"/> instead.
/// </summary>
public interface IAuditSink
{
    /// <summary>
    /// One report, the task definition it is about (role overrides applied), how long its audit took, and the run's AWS
    /// calls so far. An exception ends the run (a failed publish must be retried by Lambda).
    /// </summary>
    Task ReportedAsync(TaskDefinitionReport report, TaskDefinition definition, TimeSpan duration, long apiCallsSoFar);

    /// <summary>
    /// A listing of one family (<see cref="AuditTargets.NewestActive"/>) answered: the report that follows, if any, is
    /// the family's newest ACTIVE revision as a listing sent no earlier than <paramref name="listedAt"/> found it.
    /// </summary>
    void FamilyListed(DateTimeOffset listedAt)
    {
    }
}
