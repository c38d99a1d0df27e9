using System.Collections.Immutable;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA001–ERA005: which roles the task definition names, and whether they could be read.</summary>
public static class RoleReferenceRules
{
    /// <summary>The rules of this group, by ID.</summary>
    public static ImmutableArray<IAuditRule> All { get; } =
    [
        new SameRoleForTaskAndExecutionRule(),
        new ServiceLinkedRoleRule(),
        new MissingExecutionRoleRule(),
        new MissingRoleRule(),
        new IncompleteAuditRule(),
    ];
}
