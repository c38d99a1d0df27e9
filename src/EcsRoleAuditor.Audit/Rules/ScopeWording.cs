using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// How a finding says where a statement effectively reaches: the resources (as the statements write them, narrowed by
/// the boundary), the Allow's own conditions ("only when"), what Deny statements take away ("except") and the Deny
/// statements whose conditions the audit cannot decide ("unless"). A Deny's condition is never turned into an Allow's.
/// </summary>
/// <param name="Resources">The resource patterns reached, each as written (several that must all match joined by " and ").</param>
/// <param name="Conditional">True when every scope holds only under Allow conditions that narrow it (<see cref="Narrows"/>): the finding is one level lower.</param>
/// <param name="OnlyWhen">Those conditions in one line, when <paramref name="Conditional"/>.</param>
/// <param name="Exceptions">The clauses on Deny statements and the boundary: ", except on … (denied by …)", ", unless … applies (when …)".</param>
internal sealed record ScopeWording(IReadOnlyList<string> Resources, bool Conditional, string? OnlyWhen, string Exceptions)
{
    /// <summary>The clauses to append to a message: ", only when …" and then <see cref="Exceptions"/>.</summary>
    public string Qualifiers => (OnlyWhen is null ? "" : $", only when {OnlyWhen}") + Exceptions;

    /// <summary>The wording for some of a role's scopes.</summary>
    public static ScopeWording Of(AuditedRole role, IReadOnlyCollection<ResourceScope> scopes)
    {
        var resources = scopes.Select(s => string.Join(" and ", s.Patterns)).Distinct(StringComparer.Ordinal).ToList();
        var conditional = scopes.Count > 0 && scopes.All(s => Narrows(s.Conditions));
        var onlyWhen = scopes.Count > 0 && scopes.All(s => s.IsConditional)
            ? string.Join(" or ", scopes.Select(s => FindingFactory.ClauseText(s.Conditions)).Distinct(StringComparer.Ordinal))
            : null;
        var qualifiers = "";
        var excepted = scopes.SelectMany(s => s.Excluded.Where(e => !ReferenceEquals(e.By, s.Allow)))
            .Select(e => $"{e.Text} ({(e.By.Effect == Effect.Deny ? $"denied by {Cite(role, e.By)}" : $"outside the boundary's {role.SourceOf(e.By.Source).Name}/{e.By.Source.Statement.Label}")})")
            .Distinct(StringComparer.Ordinal).ToList();
        if (excepted.Count > 0)
        {
            qualifiers += $", except on {FindingFactory.Summarise(excepted, 3)}";
        }
        var unless = scopes.SelectMany(s => s.DeniedUnless).Distinct().ToList();
        if (unless.Count > 0)
        {
            qualifiers += ", " + UnlessDeny(role, unless);
        }
        return new ScopeWording(resources, conditional, onlyWhen, qualifiers);
    }

    /// <summary>
    /// True when the conditions narrow what a grant hands out: any but a test of aws:RequestedRegion, which leaves the grant
    /// whole in the region it names (the one the task runs in, as often as not) and so does not lower a finding's severity.
    /// </summary>
    public static bool Narrows(IEnumerable<ConditionClause> conditions) =>
        conditions.Any(c => !c.Key.Equals("aws:RequestedRegion", StringComparison.OrdinalIgnoreCase));

    /// <summary>"unless the Deny policy/statement applies (when …) or …": Deny statements whose conditions the audit cannot decide.</summary>
    public static string UnlessDeny(AuditedRole role, IEnumerable<Grant> denies) =>
        "unless the Deny " + string.Join(" or ", denies
            .Select(d => $"{Cite(role, d)} applies ({FindingFactory.DenyApplicability(d)})")
            .Distinct(StringComparer.Ordinal));

    private static string Cite(AuditedRole role, Grant grant) => BreadthAnalysis.Cite(role, grant);
}
