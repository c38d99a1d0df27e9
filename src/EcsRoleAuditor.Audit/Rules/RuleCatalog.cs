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

    private static readonly FrozenDictionary<string, IAuditRule> ById =
        All.ToFrozenDictionary(r => r.Descriptor.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// One rule by the ID a person wrote (suppression config and tags, the <c>rules</c> command), ignoring case, or null;
    /// code refers to a rule by its descriptor instead.
    /// </summary>
    public static IAuditRule? Find(string id) => ById.GetValueOrDefault(id);
}
