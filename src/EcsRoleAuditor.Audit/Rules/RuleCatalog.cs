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

    /// <summary>One rule's descriptor by ID; throws for an unknown ID (a programming error).</summary>
    public static RuleDescriptor Descriptor(string id) =>
        All.FirstOrDefault(r => r.Descriptor.Id.Equals(id, StringComparison.OrdinalIgnoreCase))?.Descriptor
        ?? throw new KeyNotFoundException($"No rule {id}.");

    /// <summary>
    /// True for the rules whose findings say the audit could not read something (ERA005: a role or policy unreadable;
    /// ERA047: a policy that does not parse). Such a finding means "not checked", never "clean", so it is reported
    /// whatever severity threshold a report or alert uses.
    /// </summary>
    public static bool MarksIncompleteAudit(string ruleId) => ruleId is "ERA005" or "ERA047";

    /// <summary>One rule by ID, or null.</summary>
    public static IAuditRule? Find(string id) =>
        All.FirstOrDefault(r => r.Descriptor.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
}
