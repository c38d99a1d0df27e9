using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Policy.Effective;

/// <summary>
/// What a role's policies say about one catalog action: the statements that cover it (identity Allows, boundary Allows,
/// Denies) and, from them, where it is effectively allowed (<see cref="Scopes"/>).
/// </summary>
public sealed class ActionAccess
{
    internal ActionAccess(CatalogAction action, ImmutableArray<Grant> allows, ImmutableArray<Grant>? boundaryAllows, ImmutableArray<Grant> denies, ImmutableArray<ResourceScope> scopes)
    {
        Action = action;
        Allows = allows;
        BoundaryAllows = boundaryAllows;
        Denies = denies;
        Scopes = scopes;
    }

    /// <summary>The action.</summary>
    public CatalogAction Action { get; }

    /// <summary>Identity-policy Allow statements covering the action (whatever their resources).</summary>
    public ImmutableArray<Grant> Allows { get; }

    /// <summary>Boundary Allow statements covering the action; null when the role has no permission boundary.</summary>
    public ImmutableArray<Grant>? BoundaryAllows { get; }

    /// <summary>Deny statements (identity or boundary) covering the action, on some or all resources, with or without conditions.</summary>
    public ImmutableArray<Grant> Denies { get; }

    /// <summary>Where the action is effectively allowed, statement by statement: empty when no request for it can be allowed.</summary>
    public ImmutableArray<ResourceScope> Scopes { get; }

    /// <summary>True when some request for this action can be allowed.</summary>
    public bool IsAllowed => !Scopes.IsEmpty;

    /// <summary>True when the action is allowed only under conditions of the Allow statements (every scope has some).</summary>
    public bool IsConditional => IsAllowed && Scopes.All(s => s.IsConditional);

    /// <summary>True when some scope reaches every resource with no exclusion, no condition and no Deny that may apply.</summary>
    public bool IsAllowedEverywhere => Scopes.Any(s => s.IsUnrestricted);

    /// <summary>The scopes that come from one identity Allow statement.</summary>
    public IEnumerable<ResourceScope> ScopesThrough(Grant identityAllow)
    {
        // Asked once per statement of the role: an index keeps that linear in the statements (built once; a race builds the same one twice).
        var byAllow = _byAllow ??= Scopes.ToLookup(s => s.Allow, (IEqualityComparer<Grant>)ReferenceEqualityComparer.Instance);
        return byAllow[identityAllow];
    }

    private ILookup<Grant, ResourceScope>? _byAllow;

    /// <inheritdoc/>
    public override string ToString() => Action.FullName;
}
