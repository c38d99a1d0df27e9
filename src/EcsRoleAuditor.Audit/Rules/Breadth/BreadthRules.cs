using System.Collections.Immutable;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA040–ERA047 and ERA050: grants that are too broad, escalation paths, unknown actions, malformed documents, secrets in plain environment variables.</summary>
public static class BreadthRules
{
    /// <summary>The rules of this group, by ID.</summary>
    public static ImmutableArray<IAuditRule> All { get; } =
    [
        new AdministratorAccessRule(),
        new PrivilegeEscalationRule(),
        new ServiceWideWildcardRule(),
        new WriteOnAnyResourceRule(),
        new NegatedAllowRule(),
        new SensitiveReadOnAnyResourceRule(),
        new UnknownActionRule(),
        new MalformedPolicyRule(),
        new PlaintextSecretInEnvironmentRule(),
    ];
}
