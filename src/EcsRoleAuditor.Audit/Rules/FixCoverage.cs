using System.Collections.Frozen;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// Which findings <c>ecs-role-auditor fix</c> settles, by rule descriptor and role slot: where reports and alerts name
/// the command, and where they do not. The one home of that fact, so that it grows with <c>fix</c>. No task-role finding
/// is here: fix rewrites the task role only when it reads the current roles, and the file form of the command does not.
/// </summary>
public static class FixCoverage
{
    /// <summary>
    /// Rules whose findings on the execution role (or its trust) the written execution role settles. <c>fix --verify</c>
    /// holds only when no finding above INFO is left on that role or its trust, so the written role carries none of these:
    /// no missing need (ERA021), no missing role (ERA003, a new one is written), no service-linked role in the slot (ERA002),
    /// no trust problem (ERA010–ERA013), no application or unreferenced secret permission (ERA020, ERA022), nothing broad
    /// (ERA040–ERA046). Left out: findings saying something could not be read (ERA005, ERA047: the audit is incomplete, a
    /// new role does not make it complete), a named role that does not exist (ERA004: fix writes its policy, not the role),
    /// and the task definition's own contents (ERA050).
    /// </summary>
    public static readonly FrozenSet<RuleDescriptor> OnExecutionRole = FrozenSet.ToFrozenSet(
    [
        ServiceLinkedRoleRule.Rule,
        MissingExecutionRoleRule.Rule,
        EcsTasksNotTrustedRule.Rule,
        OtherPrincipalsTrustedRule.Rule,
        NoConfusedDeputyGuardRule.Rule,
        EcsTrustNeverMatchesRule.Rule,
        ApplicationPermissionsOnExecutionRoleRule.Rule,
        MissingNeededPermissionRule.Rule,
        SecretsBeyondReferencesRule.Rule,
        AdministratorAccessRule.Rule,
        PrivilegeEscalationRule.Rule,
        ServiceWideWildcardRule.Rule,
        WriteOnAnyResourceRule.Rule,
        NegatedAllowRule.Rule,
        SensitiveReadOnAnyResourceRule.Rule,
        UnknownActionRule.Rule,
    ]);

    /// <summary>
    /// Rules about the task definition's two slots whose finding the written execution role settles: one role in both
    /// slots (ERA001) gets an execution role of its own. A finding about a role in both slots otherwise (a broad shared
    /// role, the service-linked role in both) stays on the task role, which the command named does not always rewrite.
    /// </summary>
    public static readonly FrozenSet<RuleDescriptor> OnTaskDefinition = FrozenSet.ToFrozenSet([SameRoleForTaskAndExecutionRule.Rule]);

    /// <summary>True when applying what <c>fix</c> writes for the execution role settles <paramref name="finding"/>.</summary>
    public static bool Settles(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Settles(finding.Rule, finding.RoleSlot);
    }

    /// <summary>True when applying what <c>fix</c> writes settles a finding of <paramref name="rule"/> in <paramref name="slot"/> (a stored finding keeps no more).</summary>
    public static bool Settles(RuleDescriptor rule, RoleSlot slot)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return slot switch
        {
            RoleSlot.Execution => OnExecutionRole.Contains(rule),
            RoleSlot.TaskDefinition => OnTaskDefinition.Contains(rule),
            _ => false,
        };
    }

    /// <summary>True when <c>fix</c> settles one of the report's unsuppressed findings: the report names the command once.</summary>
    public static bool SettlesAny(TaskDefinitionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.ExecutionNeedsKnown && report.ActiveFindings.Any(Settles);
    }
}
