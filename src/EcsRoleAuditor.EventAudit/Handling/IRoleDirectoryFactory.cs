using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// Creates the role directory one invocation audits against (port bound to the AWS resolution at composition).
/// A new directory per invocation: an IAM event must see the role as it is now, not as an earlier invocation cached it.
/// </summary>
public interface IRoleDirectoryFactory
{
    /// <summary>A directory for this invocation; <paramref name="scope"/> says how many roles it will be asked for.</summary>
    IRoleDirectory Create(RoleDirectoryScope scope);
}

/// <summary>How many roles an invocation looks up, so the resolution can choose its IAM path.</summary>
public enum RoleDirectoryScope
{
    /// <summary>A few task definitions (one event): per-role calls (GetRole, ListRolePolicies, ...).</summary>
    FewTaskDefinitions,
    /// <summary>Every ACTIVE task definition (the schedule): the bulk path (GetAccountAuthorizationDetails).</summary>
    Sweep,
}
