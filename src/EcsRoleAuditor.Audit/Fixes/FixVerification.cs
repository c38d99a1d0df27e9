using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// Whether the written roles do their job, decided by the audit itself rather than assumed: the task definition is
/// audited again with the written execution role (built from the JSON as printed) and, when the current task role is
/// known, the task role as fixed. The execution role holds when no finding on it or its trust is above INFO, no need of
/// it is left unmet (ERA021), and nothing is left for a reader to fill in; the task role holds when no ERA030 or ERA031
/// finding is left on it.
/// </summary>
/// <param name="Holds">True when the roles do their job.</param>
/// <param name="Failures">The findings above INFO on the execution role or its trust (ERA021 among them for each unmet need), and ERA030/ERA031 left on the task role.</param>
/// <param name="Unfinished">What the written role leaves to fill in (<see cref="ExecutionRoleFix.Placeholders"/>), in words.</param>
/// <param name="Remaining">The task role's other findings above INFO (its own breadth: the fix does not decide what the application needs).</param>
public sealed record FixVerification(bool Holds, ImmutableArray<Finding> Failures, ImmutableArray<string> Unfinished, ImmutableArray<Finding> Remaining)
{
    /// <summary>Audits <paramref name="definition"/> with the execution role <paramref name="fix"/> writes, through <paramref name="auditor"/>.</summary>
    public static Task<FixVerification> VerifyAsync(Auditor auditor, TaskDefinition definition, ExecutionRoleFix fix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fix);
        return VerifyAsync(auditor, definition, new RoleFixes(fix, null, null, null, []), roles: null, cancellationToken);
    }

    /// <summary>Audits <paramref name="definition"/> with the roles <paramref name="fixes"/> write; other roles are read from <paramref name="roles"/> (null: none is).</summary>
    public static async Task<FixVerification> VerifyAsync(Auditor auditor, TaskDefinition definition, RoleFixes fixes, IRoleDirectory? roles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditor);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(fixes);
        var fix = fixes.Execution;
        List<Role> written = [fix.ToRole()];
        if (fixes is { Task: { } taskFix, CurrentTaskRole: { } current })
        {
            written.Add(taskFix.Apply(current));
        }
        // The task definition as it will be registered: naming the written role as its execution role.
        var report = await auditor.AuditAsync(definition with { ExecutionRoleArn = fix.RoleArn }, new WrittenRoles(written, roles), cancellationToken).ConfigureAwait(false);
        var taskRoleArn = fixes.Task?.RoleArn;
        ImmutableArray<Finding> failures = [.. report.ActiveFindings.Where(f =>
            (f.Severity > Severity.Info && IsOnExecutionRole(f, fix.RoleArn))
            || (taskRoleArn is not null && IsOnRole(f, taskRoleArn) && TaskRoleFix.Rules.Contains(f.Rule)))];
        ImmutableArray<Finding> remaining = taskRoleArn is null
            ? []
            : [.. report.ActiveFindings.Where(f => f.Severity > Severity.Info && IsOnRole(f, taskRoleArn) && !failures.Contains(f))];
        ImmutableArray<string> unfinished = [.. fix.Placeholders.Select(p => $"the trust policy names {p}, a placeholder, where the task's account belongs")];
        return new FixVerification(failures.IsEmpty && unfinished.IsEmpty, failures, unfinished, remaining);
    }

    private static bool IsOnExecutionRole(Finding finding, string roleArn) =>
        finding.RoleSlot == RoleSlot.Execution || IsOnRole(finding, roleArn);

    private static bool IsOnRole(Finding finding, string roleArn) => string.Equals(finding.RoleArn, roleArn, StringComparison.OrdinalIgnoreCase);
}
