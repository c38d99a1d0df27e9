using System.Collections.Immutable;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA010–ERA013: who may assume the roles (trust policies).</summary>
public static class TrustRules
{
    /// <summary>The rules of this group, by ID.</summary>
    public static ImmutableArray<IAuditRule> All { get; } =
    [
        new EcsTasksNotTrustedRule(),
        new OtherPrincipalsTrustedRule(),
        new NoConfusedDeputyGuardRule(),
        new EcsTrustNeverMatchesRule(),
    ];
}
