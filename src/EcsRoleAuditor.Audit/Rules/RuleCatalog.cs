using System.Collections.Frozen;
using System.Collections.Immutable;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>Every rule, in ID order. Rules are listed here explicitly (no reflection: the Lambda is Native AOT).</summary>
public static class RuleCatalog
{
    /// <summary>All rules, ordered by ID (each group lists its rules in ID order; a test checks the whole order).</summary>
    public static ImmutableArray<IAuditRule> All { get; } =
    [
        .. RoleReferenceRules.All,
        .. TrustRules.All,
        .. PlacementRules.All,
        .. BreadthRules.All,
    ];

    private static readonly FrozenSet<string> IncompleteAuditRules =
        All.Where(r => r.Descriptor.MarksAuditIncomplete).Select(r => r.Descriptor.Id).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when findings of the rule <paramref name="ruleId"/> make the audit incomplete (<see cref="RuleDescriptor.MarksAuditIncomplete"/>).</summary>
    public static bool MarksIncompleteAudit(string ruleId) => IncompleteAuditRules.Contains(ruleId);

    /// <summary>One rule by ID, or null.</summary>
    public static IAuditRule? Find(string id) =>
        All.FirstOrDefault(r => r.Descriptor.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
}
