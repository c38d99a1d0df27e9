using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Effective;

/// <summary>
/// What a role's identity policies and permission boundary effectively allow, computed once: every statement expanded
/// over the action catalog, the set of catalog actions that some request can be allowed for, and per action the
/// statements that allow or deny it. Also answers single decisions with IAM's evaluation logic.
/// </summary>
public sealed class EffectivePermissions
{
    private readonly Grant[] _identityAllows;
    private readonly Grant[]? _boundaryAllows;
    private readonly Grant[] _denies;
    private readonly ActionSet _allowed;

    private EffectivePermissions(
        ActionCatalog catalog,
        IReadOnlyList<PolicyDocument> identityPolicies,
        IReadOnlyList<PolicyDocument>? boundaries,
        Grant[] identityAllows,
        Grant[]? boundaryAllows,
        Grant[] denies,
        ActionSet allowed)
    {
        Catalog = catalog;
        IdentityPolicies = identityPolicies;
        Boundaries = boundaries;
        _identityAllows = identityAllows;
        _boundaryAllows = boundaryAllows;
        _denies = denies;
        _allowed = allowed;
    }

    /// <summary>The catalog the statements were expanded over.</summary>
    public ActionCatalog Catalog { get; }

    /// <summary>The role's identity policies (inline and attached managed).</summary>
    public IReadOnlyList<PolicyDocument> IdentityPolicies { get; }

    /// <summary>The permission boundary documents, or null when the role has none.</summary>
    public IReadOnlyList<PolicyDocument>? Boundaries { get; }

    /// <summary>Every statement of the identity policies and the boundary, in document order.</summary>
    // One comparer rather than OrderBy(bool).ThenBy(string).ThenBy(int): under Native AOT each ThenBy with a new key type
    // is a generic virtual call the runtime resolves and instantiates on first use (about a millisecond of a cold
    // start's CPU, measured with perf; docs/benchmarks.md). Order is stable, so equal keys keep document order.
    public IEnumerable<Grant> Statements => _identityAllows.Concat(_boundaryAllows ?? []).Concat(_denies).Order(StatementOrder);

    private static readonly Comparer<Grant> StatementOrder = Comparer<Grant>.Create((a, b) =>
    {
        var byBoundary = a.Source.IsBoundary.CompareTo(b.Source.IsBoundary);
        if (byBoundary != 0)
        {
            return byBoundary;
        }
        var byPolicy = string.CompareOrdinal(a.Source.PolicyName, b.Source.PolicyName);
        return byPolicy != 0 ? byPolicy : a.Source.Statement.Index.CompareTo(b.Source.Statement.Index);
    });

    /// <summary>Identity-policy Allow statements.</summary>
    public IReadOnlyList<Grant> IdentityAllows => _identityAllows;

    /// <summary>Boundary Allow statements; null when there is no boundary.</summary>
    public IReadOnlyList<Grant>? BoundaryAllows => _boundaryAllows;

    /// <summary>Deny statements of the identity policies and the boundary.</summary>
    public IReadOnlyList<Grant> Denies => _denies;

    /// <summary>Number of catalog actions that some request can be allowed for.</summary>
    public int AllowedActionCount => _allowed.Count;

    /// <summary>True when some request for the catalog action can be allowed.</summary>
    public bool IsAllowed(CatalogAction action) => _allowed.Contains(action.Id);

    /// <summary>The allowed catalog actions, in catalog order.</summary>
    public IEnumerable<ActionAccess> Allowed => _allowed.Ids.Select(id => Describe(Catalog.Actions[id]));

    /// <summary>
    /// Allow statements whose action patterns name no catalog action (kept literally: a typo grants nothing today, a
    /// brand-new action may grant something tomorrow), with the patterns.
    /// </summary>
    public IEnumerable<Grant> AllowsWithUnknownActions =>
        _identityAllows.Concat(_boundaryAllows ?? []).Where(g => !g.UnmatchedActionPatterns.IsEmpty);

    /// <summary>Allow statements that use <c>NotAction</c> (identity or boundary).</summary>
    public IEnumerable<Grant> NotActionAllows => _identityAllows.Concat(_boundaryAllows ?? []).Where(g => g.UsesNotAction);

    /// <summary>Allow statements that use <c>NotResource</c> (identity or boundary).</summary>
    public IEnumerable<Grant> NotResourceAllows => _identityAllows.Concat(_boundaryAllows ?? []).Where(g => g.UsesNotResource);

    /// <summary>What the policies say about one action (allowed or not); null when the action is not in the catalog.</summary>
    public ActionAccess? Describe(string action) =>
        Catalog.TryGetAction(action, out var catalogAction) ? Describe(catalogAction) : null;

    /// <summary>What the policies say about one catalog action (allowed or not).</summary>
    public ActionAccess Describe(CatalogAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ActionAccess(
            action,
            Covering(_identityAllows, action),
            _boundaryAllows is null ? null : Covering(_boundaryAllows, action),
            Covering(_denies, action));
    }

    /// <summary>Decides one request with IAM's evaluation logic over the role's policies and boundary.</summary>
    public Decision Decide(string action, string resource, RequestContext? context = null) =>
        PolicyEvaluator.Decide(IdentityPolicies, Boundaries, action, resource, context ?? RequestContext.Empty);

    /// <summary>Like <see cref="Decide"/>, with the statements that applied.</summary>
    public Evaluation.Evaluation Explain(string action, string resource, RequestContext? context = null) =>
        PolicyEvaluator.Explain(IdentityPolicies, Boundaries, action, resource, context ?? RequestContext.Empty);

    /// <summary>Computes the effective permissions of a principal.</summary>
    /// <param name="identityPolicies">Its identity policies.</param>
    /// <param name="boundaries">Its permission boundary documents, or null when it has none.</param>
    /// <param name="catalog">The action catalog; <see cref="ActionCatalog.Default"/> when null.</param>
    public static EffectivePermissions Compute(IReadOnlyList<PolicyDocument> identityPolicies, IReadOnlyList<PolicyDocument>? boundaries, ActionCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(identityPolicies);
        catalog ??= ActionCatalog.Default;

        var identityAllows = new List<Grant>();
        var denies = new List<Grant>();
        AddGrants(catalog, identityPolicies, isBoundary: false, identityAllows, denies);
        List<Grant>? boundaryAllows = null;
        if (boundaries is not null)
        {
            boundaryAllows = [];
            AddGrants(catalog, boundaries, isBoundary: true, boundaryAllows, denies);
        }

        var allowed = Union(catalog, identityAllows);
        if (boundaryAllows is not null)
        {
            // allowed ∩ boundary, written as allowed − complement(boundary).
            allowed.ExceptWith(Union(catalog, boundaryAllows).Complement());
        }
        allowed.ExceptWith(Union(catalog, denies.Where(d => d.IsUnconditionalOnAnyResource)));

        return new EffectivePermissions(catalog, identityPolicies, boundaries, [.. identityAllows], boundaryAllows?.ToArray(), [.. denies], allowed);
    }

    private static void AddGrants(ActionCatalog catalog, IReadOnlyList<PolicyDocument> documents, bool isBoundary, List<Grant> allows, List<Grant> denies)
    {
        foreach (var document in documents)
        {
            foreach (var statement in document.Statements)
            {
                var grant = ToGrant(catalog, new StatementRef(document.Name, statement, isBoundary));
                (statement.Effect == Effect.Allow ? allows : denies).Add(grant);
            }
        }
    }

    // A statement's expansion depends only on its Action/NotAction element and the catalog, so it is kept beside the
    // element (weakly: it lives as long as the parsed document): an audit that sees the same managed policy document
    // again, or a role computed twice, pays nothing. Keyed by reference (ConditionalWeakTable), per catalog.
    private static readonly ConditionalWeakTable<ActionList, StatementExpansion> Expansions = new();

    private sealed record StatementExpansion(ActionCatalog Catalog, ActionSet Actions, ImmutableArray<string> Unmatched);

    private static Grant ToGrant(ActionCatalog catalog, StatementRef source)
    {
        var element = source.Statement.Actions;
        if (element is null)
        {
            return new Grant(source, new ActionSet(catalog), []);
        }
        if (!Expansions.TryGetValue(element, out var expansion) || !ReferenceEquals(expansion.Catalog, catalog))
        {
            expansion = Expand(catalog, element);
            Expansions.AddOrUpdate(element, expansion);
        }
        return new Grant(source, expansion.Actions, expansion.Unmatched);
    }

    private static StatementExpansion Expand(ActionCatalog catalog, ActionList element)
    {
        var actions = new ActionSet(catalog);
        var unmatched = ImmutableArray.CreateBuilder<string>();
        foreach (var pattern in element.Patterns)
        {
            if (ActionCatalog.IsAsciiLiteral(pattern))
            {
                // Most patterns of large policies (ReadOnlyAccess: ~2,600 of ~3,000) name one action: a lookup sets its
                // bit, with no expansion set and no cache entry (a cold computation takes a third of the time).
                if (catalog.TryGetActionId(pattern, out var id))
                {
                    actions.Add(id);
                }
                else
                {
                    unmatched.Add(pattern);
                }
                continue;
            }
            var expanded = catalog.Expand(pattern);
            if (expanded.Count == 0)
            {
                unmatched.Add(pattern);
            }
            actions.UnionWith(expanded);
        }
        if (element.IsNegated)
        {
            actions = actions.Complement();
        }
        actions.MakeReadOnly(); // shared by every grant of this element
        return new StatementExpansion(catalog, actions, unmatched.ToImmutable());
    }

    private static ActionSet Union(ActionCatalog catalog, IEnumerable<Grant> grants)
    {
        var union = new ActionSet(catalog);
        foreach (var grant in grants)
        {
            union.UnionWith(grant.Actions);
        }
        return union;
    }

    private static ImmutableArray<Grant> Covering(IReadOnlyList<Grant> grants, CatalogAction action)
    {
        var builder = ImmutableArray.CreateBuilder<Grant>();
        foreach (var grant in grants)
        {
            if (grant.Actions.Contains(action.Id))
            {
                builder.Add(grant);
            }
        }
        return builder.ToImmutable();
    }
}
