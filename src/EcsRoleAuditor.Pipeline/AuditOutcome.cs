using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Pipeline;

/// <summary>What a run produced: a report per audited task definition, what it could not finish and why, and what it cost.</summary>
/// <param name="Reports">The reports, in the order the task definitions were audited.</param>
/// <param name="Unfinished">What could not be audited (a failed read, the deadline), each an ERA005 in <see cref="UnfinishedReports"/>.</param>
/// <param name="Calls">The AWS requests this run sent, retries included (not the process's; none from recorded sources).</param>
/// <param name="RolePlan">How roles were read (per role or in bulk, and the two estimates); null when no task definition was audited.</param>
public sealed record AuditOutcome(ImmutableArray<TaskDefinitionReport> Reports, ImmutableArray<UnfinishedAudit> Unfinished, ApiCallCounter Calls, RoleReadPlan? RolePlan)
{
    /// <summary>One report with one ERA005 finding per unfinished item: what a reader, a printer or an alert shows for it.</summary>
    public ImmutableArray<TaskDefinitionReport> UnfinishedReports { get; } = [.. Unfinished.Select(item => item.ToReport())];

    /// <summary>Families a listing of the family (<see cref="AuditTargets.NewestActive"/>) found without any ACTIVE revision: nothing to audit, and not unfinished.</summary>
    public ImmutableArray<string> FamiliesWithoutActive { get; init; } = [];

    /// <summary>
    /// The audited reports followed by the unfinished ones: everything a report printer shows, and what an exit code
    /// reads (an unfinished item is an incomplete report, so such a run is never clean).
    /// </summary>
    public ImmutableArray<TaskDefinitionReport> AllReports => [.. Reports, .. UnfinishedReports];
}
