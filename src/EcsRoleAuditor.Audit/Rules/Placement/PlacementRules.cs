using System.Collections.Immutable;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA020–ERA031: permissions on the wrong role, and permissions the task definition needs but its role lacks.</summary>
public static class PlacementRules
{
    /// <summary>The rules of this group, by ID.</summary>
    public static ImmutableArray<IAuditRule> All { get; } =
    [
        new ApplicationPermissionsOnExecutionRoleRule(),
        new MissingNeededPermissionRule(),
        new SecretsBeyondReferencesRule(),
        new ExecutionPermissionsOnTaskRoleRule(),
        new ControlPlanePowersRule(),
    ];
}
