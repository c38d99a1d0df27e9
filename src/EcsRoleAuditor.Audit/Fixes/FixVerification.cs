using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// Whether a written execution role does its job, decided by the audit itself rather than assumed: the task definition
/// is audited again with that role (built from the JSON as printed) as its execution role, and the role holds when no
/// finding on it or its trust is above INFO, no need of the execution role is left unmet (ERA021), and nothing is left
/// for a reader to fill in.
/// </summary>
/// <param name="Holds">True when the role does its job.</param>
/// <param name="Failures">The findings above INFO on the execution role or its trust (ERA021 among them for each unmet need).</param>
/// <param name="Unfinished">What the written role leaves to fill in (<see cref="ExecutionRoleFix.Placeholders"/>), in words.</param>
public sealed record FixVerification(bool Holds, ImmutableArray<Finding> Failures, ImmutableArray<string> Unfinished)
{
    /// <summary>Audits <paramref name="definition"/> with the execution role <paramref name="fix"/> writes, through <paramref name="auditor"/>.</summary>
    public static async Task<FixVerification> VerifyAsync(Auditor auditor, TaskDefinition definition, ExecutionRoleFix fix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditor);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(fix);
        var arn = Arn.Parse(fix.RoleArn);
        var role = new Role(fix.RoleArn, arn.ResourceName, "/" + arn.ResourceId[..^arn.ResourceName.Length],
            new RolePolicy(new FindingSource(SourceKind.TrustPolicy, "trust policy"), PolicyParser.Parse(fix.TrustPolicyJson, "trust policy", PolicyKind.Resource)),
            fix.PolicyJson is { } policy ? [new RolePolicy(new FindingSource(SourceKind.InlinePolicy, "execution"), PolicyParser.Parse(policy, "execution", PolicyKind.Identity))] : [],
            null, ImmutableDictionary<string, string>.Empty, []);
        // The task definition as it will be registered: naming the written role as its execution role.
        var report = await auditor.AuditAsync(definition with { ExecutionRoleArn = fix.RoleArn }, new OneRole(role), cancellationToken).ConfigureAwait(false);
        ImmutableArray<Finding> failures = [.. report.ActiveFindings.Where(f => f.Severity > Severity.Info && IsOnExecutionRole(f, fix.RoleArn))];
        ImmutableArray<string> unfinished = [.. fix.Placeholders.Select(p => $"the trust policy names {p}, a placeholder, where the task's account belongs")];
        return new FixVerification(failures.IsEmpty && unfinished.IsEmpty, failures, unfinished);
    }

    private static bool IsOnExecutionRole(Finding finding, string roleArn) =>
        finding.RoleSlot == RoleSlot.Execution || string.Equals(finding.RoleArn, roleArn, StringComparison.OrdinalIgnoreCase);

    // The written role, and no other: the task role is not written yet, so it is not found and its findings are the task role's.
    private sealed class OneRole(Role role) : IRoleDirectory
    {
        public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken) =>
            ValueTask.FromResult<RoleLookup>(string.Equals(roleReference, role.Arn, StringComparison.OrdinalIgnoreCase)
                ? new RoleLookup.Found(role)
                : new RoleLookup.NotFound(roleReference, "not written by fix"));
    }
}
