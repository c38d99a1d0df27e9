using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Effective;

/// <summary>
/// Where an identity Allow statement effectively lets a role act: its resources narrowed by the permission boundary
/// statement that also allows the action, less what unconditional Deny statements take away, under the conditions
/// neither the audit's knowledge nor the statements settle. One statement may give several scopes (one per resource it
/// names, one per boundary statement).
/// </summary>
public sealed class ResourceScope
{
    internal ResourceScope(
        Grant allow,
        Grant? boundaryAllow,
        ImmutableArray<ScopePattern> patterns,
        ImmutableArray<Exclusion> excluded,
        ImmutableArray<ConditionClause> conditions,
        ImmutableArray<Grant> deniedUnless)
    {
        Allow = allow;
        BoundaryAllow = boundaryAllow;
        PatternsMatched = patterns;
        Excluded = excluded;
        Conditions = conditions;
        DeniedUnless = deniedUnless;
    }

    /// <summary>The identity Allow statement.</summary>
    public Grant Allow { get; }

    /// <summary>The boundary Allow statement that lets it through; null when the role has no boundary.</summary>
    public Grant? BoundaryAllow { get; }

    /// <summary>The resource patterns a resource must match, every one of them (usually one: the narrower of the statement's and the boundary's).</summary>
    internal ImmutableArray<ScopePattern> PatternsMatched { get; }

    /// <summary>The resource patterns as written in the statements, every one of which a resource must match; <c>["*"]</c> for every resource.</summary>
    public ImmutableArray<string> Patterns => [.. PatternsMatched.Select(p => p.Text)];

    /// <summary>Resources taken away: the statements' NotResource entries, and the Resource entries of Deny statements that always apply.</summary>
    public ImmutableArray<Exclusion> Excluded { get; }

    /// <summary>The Allow statements' own conditions (identity and boundary) that the audit cannot decide: the scope holds only when they do.</summary>
    public ImmutableArray<ConditionClause> Conditions { get; }

    /// <summary>Deny statements that cover the scope under conditions the audit cannot decide: the scope holds unless theirs do.</summary>
    public ImmutableArray<Grant> DeniedUnless { get; }

    /// <summary>True when the scope holds only under conditions of the Allow statements.</summary>
    public bool IsConditional => !Conditions.IsEmpty;

    /// <summary>True when the scope's patterns reach every resource (<c>"*"</c>), exclusions aside.</summary>
    public bool IsEveryResource => PatternsMatched.All(p => Matching.ResourcePatterns.IsUniversal(p.Resolved));

    /// <summary>True when the scope reaches every resource with no exclusion, no condition and no Deny that may apply.</summary>
    public bool IsUnrestricted => IsEveryResource && Excluded.IsEmpty && Conditions.IsEmpty && DeniedUnless.IsEmpty;

    /// <summary>The exclusions that come from the identity Allow statement's own NotResource (not from the boundary or a Deny).</summary>
    public IEnumerable<Exclusion> ExcludedByNotResource => Excluded.Where(e => ReferenceEquals(e.By, Allow));

    /// <inheritdoc/>
    public override string ToString() => $"{Allow} on {string.Join(" ∩ ", Patterns)}" + (Excluded.IsEmpty ? "" : $" except {string.Join(", ", Excluded.Select(e => e.Text))}");
}

/// <summary>A resource pattern of a scope: as written, and with policy variables resolved as far as the audit knows them.</summary>
/// <param name="Text">The entry as written in the policy.</param>
/// <param name="Resolved">The entry for <see cref="Matching.ResourcePatterns"/>: escapes and known variables substituted, unknown ones marked.</param>
internal sealed record ScopePattern(string Text, string Resolved);

/// <summary>Resources a scope does not reach, and the statement that takes them away.</summary>
/// <param name="Text">The pattern as written.</param>
/// <param name="By">The statement: a Deny's Resource, or an Allow's NotResource.</param>
public sealed record Exclusion(string Text, Grant By)
{
    /// <summary>The pattern for <see cref="Matching.ResourcePatterns"/>.</summary>
    internal string Resolved { get; init; } = Text;
}
