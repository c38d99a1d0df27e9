using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Effective;

/// <summary>What a role's policies say about one catalog action: the statements that allow it (identity and boundary), those that deny it, and what follows.</summary>
public sealed class ActionAccess
{
    internal ActionAccess(CatalogAction action, ImmutableArray<Grant> allows, ImmutableArray<Grant>? boundaryAllows, ImmutableArray<Grant> denies)
    {
        Action = action;
        Allows = allows;
        BoundaryAllows = boundaryAllows;
        Denies = denies;
    }

    /// <summary>The action.</summary>
    public CatalogAction Action { get; }

    /// <summary>Identity-policy Allow statements covering the action.</summary>
    public ImmutableArray<Grant> Allows { get; }

    /// <summary>Boundary Allow statements covering the action; null when the role has no permission boundary.</summary>
    public ImmutableArray<Grant>? BoundaryAllows { get; }

    /// <summary>Deny statements (identity or boundary) covering the action, on some or all resources, with or without conditions.</summary>
    public ImmutableArray<Grant> Denies { get; }

    /// <summary>True when some request for this action can be allowed: an identity Allow, a boundary Allow when there is a boundary, and no Deny that covers every resource unconditionally.</summary>
    public bool IsAllowed => !Allows.IsEmpty
        && (BoundaryAllows is null || !BoundaryAllows.Value.IsEmpty)
        && !Denies.Any(d => d.IsUnconditionalOnAnyResource);

    /// <summary>True when the action is allowed only under conditions (every identity Allow, or every boundary Allow, has conditions).</summary>
    public bool IsConditional => IsAllowed
        && (Allows.All(g => g.IsConditional) || (BoundaryAllows is { } b && b.All(g => g.IsConditional)));

    /// <summary>True when some Deny narrows the allow (on some resources or under some conditions) without removing it.</summary>
    public bool IsPartiallyDenied => IsAllowed && !Denies.IsEmpty;

    /// <summary>True when the action is allowed on every resource with no condition and no deny in the way: an unconditional <c>Resource: "*"</c> Allow in the identity policies and, when there is a boundary, in the boundary.</summary>
    public bool IsAllowedOnAnyResourceUnconditionally => IsAllowed
        && Denies.IsEmpty
        && Allows.Any(g => g.IsUnconditionalOnAnyResource)
        && (BoundaryAllows is null || BoundaryAllows.Value.Any(g => g.IsUnconditionalOnAnyResource));

    /// <summary>True when an Allow reaches the action through <c>NotResource</c> (every resource except some).</summary>
    public bool IsAllowedThroughNotResource => IsAllowed && (Allows.Any(g => g.UsesNotResource) || (BoundaryAllows?.Any(g => g.UsesNotResource) ?? false));

    /// <summary>
    /// The resource patterns on which the action is allowed, from the identity Allows' <c>Resource</c> elements, narrowed by
    /// the boundary pattern by pattern: an identity pattern survives when a boundary pattern covers it, and a boundary pattern
    /// survives when an identity pattern covers it. <c>NotResource</c> allows are not listed (see <see cref="IsAllowedThroughNotResource"/>).
    /// Conditions and partial denies are not applied here (see <see cref="IsConditional"/> and <see cref="Denies"/>).
    /// </summary>
    public IReadOnlyList<string> ResourcePatterns
    {
        get
        {
            if (!IsAllowed)
            {
                return [];
            }
            var identity = PositivePatterns(Allows);
            if (BoundaryAllows is not { } boundaryAllows)
            {
                return identity;
            }
            var boundary = PositivePatterns(boundaryAllows);
            var result = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var pattern in identity)
            {
                if (boundary.Any(b => Covers(b, pattern)))
                {
                    result.Add(pattern);
                }
            }
            foreach (var pattern in boundary)
            {
                if (identity.Any(i => Covers(i, pattern)))
                {
                    result.Add(pattern);
                }
            }
            return [.. result];
        }
    }

    /// <summary>True when every resource the pattern <paramref name="inner"/> can match is matched by <paramref name="outer"/> (decided on the pattern text: sound, not complete).</summary>
    private static bool Covers(string outer, string inner) => outer == "*" || ResourceMatcher.IsMatch(outer, inner);

    private static string[] PositivePatterns(ImmutableArray<Grant> grants)
    {
        var patterns = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var grant in grants)
        {
            if (grant.Resources is null)
            {
                patterns.Add("*");
            }
            else if (!grant.Resources.IsNegated)
            {
                patterns.UnionWith(grant.Resources.Patterns);
            }
        }
        return [.. patterns];
    }

    /// <inheritdoc/>
    public override string ToString() => Action.FullName;
}
