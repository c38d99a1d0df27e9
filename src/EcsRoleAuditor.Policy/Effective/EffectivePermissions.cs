using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Effective;

/// <summary>
/// What a role can do, computed once: per catalog action, the resources on which it is allowed and under which
/// conditions, after the identity Allow statements are narrowed by the permission boundary's and cut by the Deny
/// statements (IAM User Guide, "Policy evaluation logic": an explicit Deny wins; with a boundary, both the identity
/// policies and the boundary must allow). An unconditional Deny removes what it covers; a Deny whose conditions the
/// audit cannot decide is kept beside the grant as "unless". Conditions are decided with what the audit knows of the
/// requests (<see cref="KnownContext"/>). Every question a rule asks about a role's permissions is answered here.
/// </summary>
public sealed class EffectivePermissions
{
    private readonly Grant[] _identityAllows;
    private readonly Grant[]? _boundaryAllows;
    private readonly Grant[] _denies;
    private readonly ActionClass[] _classes;
    private readonly Lazy<ActionSet> _allowed;
    private readonly Dictionary<Grant, ActionSet> _reached = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ActionResourceType, string> _templates = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<int, ActionAccess> _described = new();

    private EffectivePermissions(
        ActionCatalog catalog,
        IReadOnlyList<PolicyDocument> identityPolicies,
        IReadOnlyList<PolicyDocument>? boundaries,
        KnownContext known,
        string? partition,
        Grant[] identityAllows,
        Grant[]? boundaryAllows,
        Grant[] denies)
    {
        Catalog = catalog;
        IdentityPolicies = identityPolicies;
        Boundaries = boundaries;
        Known = known;
        Partition = partition;
        _identityAllows = identityAllows;
        _boundaryAllows = boundaryAllows;
        _denies = denies;
        _classes = Classify();
        _allowed = new Lazy<ActionSet>(ComputeAllowed);
    }

    /// <summary>The catalog the statements were expanded over.</summary>
    public ActionCatalog Catalog { get; }

    /// <summary>The role's identity policies (inline and attached managed).</summary>
    public IReadOnlyList<PolicyDocument> IdentityPolicies { get; }

    /// <summary>The permission boundary documents, or null when the role has none.</summary>
    public IReadOnlyList<PolicyDocument>? Boundaries { get; }

    /// <summary>What is known of every request the role makes (the principal, for instance); conditions on other keys stay undecided.</summary>
    public KnownContext Known { get; }

    /// <summary>The partition the role lives in, when known: its credentials reach resources of that partition only.</summary>
    public string? Partition { get; }

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

    /// <summary>The catalog actions some request can be allowed for: each has at least one <see cref="ResourceScope"/>. Do not modify.</summary>
    public ActionSet AllowedActions => _allowed.Value;

    /// <summary>Number of catalog actions that some request can be allowed for.</summary>
    public int AllowedActionCount => AllowedActions.Count;

    /// <summary>True when some request for the catalog action can be allowed.</summary>
    public bool IsAllowed(CatalogAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AllowedActions.Contains(action.Id);
    }

    /// <summary>The allowed catalog actions, in catalog order.</summary>
    public IEnumerable<ActionAccess> Allowed => AllowedActions.Ids.Select(id => Describe(Catalog.Actions[id]));

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

    /// <summary>
    /// The catalog actions the identity Allow statement effectively grants: those for which it yields a scope (the boundary
    /// lets some of its resources through and no Deny takes them all). A new set.
    /// </summary>
    public ActionSet ReachedThrough(Grant identityAllow)
    {
        ArgumentNullException.ThrowIfNull(identityAllow);
        lock (_reached)
        {
            if (!_reached.TryGetValue(identityAllow, out var reached))
            {
                reached = Reached(scope => ReferenceEquals(scope.Allow, identityAllow));
                reached.MakeReadOnly();
                _reached[identityAllow] = reached;
            }
            return reached.Clone();
        }
    }

    /// <summary>
    /// The scopes the identity Allow statement yields for the actions of <paramref name="within"/> (each once, however
    /// many actions share it): where it lets the role act on them.
    /// </summary>
    public IEnumerable<ResourceScope> ScopesThrough(Grant identityAllow, ActionSet within)
    {
        ArgumentNullException.ThrowIfNull(identityAllow);
        ArgumentNullException.ThrowIfNull(within);
        // A scope counts where it reaches one of the actions: a statement's scope on a secret's ARN says nothing about its EC2 actions.
        return _classes.Where(c => c.Actions.Overlaps(within))
            .SelectMany(c => c.Scopes(this)
                .Where(s => ReferenceEquals(s.Allow, identityAllow))
                .Where(s => (s.IsEveryResource && s.Excluded.IsEmpty) || InBoth(c.Actions, within).Any(id => Reaches(c, s, Catalog.Actions[id]))))
            .Distinct();
    }

    private static IEnumerable<int> InBoth(ActionSet first, ActionSet second)
    {
        var both = first.Clone();
        both.IntersectWith(second);
        return both.Ids;
    }

    /// <summary>
    /// Whether the identity Allow statement lets the role do every catalog action on every resource, save what Deny
    /// statements take away (it still grants everything else, and whatever AWS adds): true when it does with no
    /// condition, unknown when only under its or the boundary's conditions, false when it names less than every action
    /// on every resource, when the boundary allows less, or when Denies leave it nothing.
    /// </summary>
    public Truth GrantsEverythingThrough(Grant identityAllow)
    {
        ArgumentNullException.ThrowIfNull(identityAllow);
        if (!NamesEverything(identityAllow) || ReachedThrough(identityAllow).IsEmpty
            || (_boundaryAllows is not null && !_boundaryAllows.Any(NamesEverything)))
        {
            return Truth.False;
        }
        // The boundary statement that names everything may carry conditions; the view's scopes say what stays undecided.
        var everywhere = ScopesThrough(identityAllow, ReachedThrough(identityAllow))
            .Where(s => s.IsEveryResource && (s.BoundaryAllow is null || NamesEverything(s.BoundaryAllow))).ToList();
        return everywhere.Count == 0 ? Truth.False : everywhere.Exists(s => !s.IsConditional) ? Truth.True : Truth.Unknown;
    }

    private bool NamesEverything(Grant grant) => grant.CoversAnyResource && Catalog.All.IsSubsetOf(grant.Actions);

    /// <summary>What the policies say about one action (allowed or not); null when the action is not in the catalog.</summary>
    public ActionAccess? Describe(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Catalog.TryGetAction(action, out var catalogAction) ? Describe(catalogAction) : null;
    }

    /// <summary>What the policies say about one catalog action (allowed or not), with its effective scopes.</summary>
    public ActionAccess Describe(CatalogAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        // Rules describe an action once for each statement that grants it; each description reads every scope of the
        // action's class, so computing it once keeps a role with thousands of statements linear instead of quadratic.
        return _described.GetOrAdd(action.Id, static (_, state) => state.Self.DescribeNow(state.Action), (Self: this, Action: action));
    }

    private ActionAccess DescribeNow(CatalogAction action)
    {
        var scopes = ImmutableArray<ResourceScope>.Empty;
        if (ClassOf(action.Id) is { } actionClass)
        {
            scopes = [.. actionClass.Scopes(this).Where(s => Reaches(actionClass, s, action))];
        }
        return new ActionAccess(
            action,
            Covering(_identityAllows, action),
            _boundaryAllows is null ? null : Covering(_boundaryAllows, action),
            Covering(_denies, action),
            scopes);
    }

    /// <summary>
    /// Decides one request with IAM's evaluation logic in three values: what <see cref="Known"/> and
    /// <paramref name="requestKnown"/> tell of its context decides conditions on those keys, the rest stays undecided.
    /// The region of a regional resource ARN is known as <c>aws:RequestedRegion</c>. With <paramref name="resourceIsShape"/>
    /// the audit knows only a pattern the resource matches (<c>?</c> for characters it does not know): a statement that
    /// names some but not all such resources leaves the decision open. With <paramref name="ignoreDenies"/> the Deny
    /// statements are left out (what the request would meet once they no longer cover it).
    /// </summary>
    public RequestOutcome Check(string action, string resource, KnownContext? requestKnown = null, bool resourceIsShape = false, bool ignoreDenies = false)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(resource);
        if (PolicyEvaluator.NeedsNoAuthorization(action))
        {
            return new RequestOutcome(RequestVerdict.Allowed, [], [], []);
        }
        var known = RequestKnown(action, resource, requestKnown);
        IEnumerable<Grant> denies = ignoreDenies ? [] : _denies;
        var (deny, certainDenies, undecidedDenies) = Apply(denies, action, resource, known, resourceIsShape);
        if (deny == Truth.True)
        {
            return new RequestOutcome(RequestVerdict.ExplicitlyDenied, certainDenies, [], []);
        }
        var (identity, _, undecidedIdentity) = Apply(_identityAllows, action, resource, known, resourceIsShape);
        if (identity == Truth.False)
        {
            return new RequestOutcome(RequestVerdict.NotAllowed, [], [], []);
        }
        var (boundary, _, undecidedBoundary) = _boundaryAllows is null
            ? (Truth.True, ImmutableArray<Grant>.Empty, ImmutableArray<Grant>.Empty)
            : Apply(_boundaryAllows, action, resource, known, resourceIsShape);
        if (boundary == Truth.False)
        {
            return new RequestOutcome(RequestVerdict.OutsideBoundary, [], [], []);
        }
        if (identity == Truth.True && boundary == Truth.True && deny == Truth.False)
        {
            return new RequestOutcome(RequestVerdict.Allowed, [], [], []);
        }
        ImmutableArray<Grant> undecidedAllows =
            [.. identity == Truth.True ? [] : undecidedIdentity, .. boundary == Truth.True ? [] : undecidedBoundary];
        return new RequestOutcome(RequestVerdict.Undecided, [], undecidedAllows, undecidedDenies);
    }

    /// <summary>The statement's conditions that stay undecided for a request with what the audit knows (the role's and the request's).</summary>
    public ImmutableArray<ConditionClause> UndecidedConditions(Grant grant, string action, string resource, KnownContext? requestKnown = null)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(resource);
        var known = RequestKnown(action, resource, requestKnown);
        return [.. grant.Conditions.Where(c => ConditionEvaluator.Decide(c, known, grant.Document.PolicyVariablesEnabled) == Truth.Unknown)];
    }

    // What is known of one request: the role's context, the request's, the region of a regional resource, IAM's one region.
    private KnownContext RequestKnown(string action, string resource, KnownContext? requestKnown)
    {
        var known = KnownFor(resource, requestKnown is null ? Known : Known.Merge(requestKnown));
        return Partition is not null && IamRegions.TryGetValue(Partition, out var iamRegion)
            && action.StartsWith("iam:", StringComparison.OrdinalIgnoreCase) && !known.Knows(RequestedRegionKey)
            ? known.With(RequestedRegionKey, iamRegion)
            : known;
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
    /// <param name="known">What is known of every request it makes; nothing when null.</param>
    /// <param name="partition">Its partition (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>), when known.</param>
    public static EffectivePermissions Compute(
        IReadOnlyList<PolicyDocument> identityPolicies,
        IReadOnlyList<PolicyDocument>? boundaries,
        ActionCatalog? catalog = null,
        KnownContext? known = null,
        string? partition = null)
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
        return new EffectivePermissions(catalog, identityPolicies, boundaries, known ?? KnownContext.None, partition,
            [.. identityAllows], boundaryAllows?.ToArray(), [.. denies]);
    }

    /// <summary>
    /// The known context of requests on resources a pattern or ARN names: the requested region is the region of a regional
    /// ARN (a request for it goes to that region's endpoint).
    /// </summary>
    private static KnownContext KnownFor(string resource, KnownContext known) =>
        Arn.TryParse(resource, out var arn) && arn.IsRegional && !Matching.Wildcard.HasWildcard(arn.Region)
            && arn.Region.IndexOf(Matching.Wildcard.UnknownValue, StringComparison.Ordinal) < 0 && !UnresolvedValue.IsIn(arn.Region) && !known.Knows(RequestedRegionKey)
            ? known.With(RequestedRegionKey, arn.Region)
            : known;

    private const string RequestedRegionKey = "aws:RequestedRegion";

    private static (Truth Applies, ImmutableArray<Grant> Certain, ImmutableArray<Grant> Undecided) Apply(IEnumerable<Grant> grants, string action, string resource, KnownContext known, bool resourceIsShape)
    {
        var any = Truth.False;
        var certain = ImmutableArray.CreateBuilder<Grant>();
        var undecided = ImmutableArray.CreateBuilder<Grant>();
        foreach (var grant in grants)
        {
            var applies = grant.Compiled.Applies(action, resource, known, resourceIsShape);
            if (applies == Truth.True)
            {
                certain.Add(grant);
            }
            else if (applies == Truth.Unknown)
            {
                undecided.Add(grant);
            }
            any = any.Or(applies);
        }
        return (any, certain.ToImmutable(), undecided.ToImmutable());
    }

    private static void AddGrants(ActionCatalog catalog, IReadOnlyList<PolicyDocument> documents, bool isBoundary, List<Grant> allows, List<Grant> denies)
    {
        foreach (var document in documents)
        {
            foreach (var statement in document.Statements)
            {
                var grant = ToGrant(catalog, new StatementRef(document.Name, statement, isBoundary), document);
                (statement.Effect == Effect.Allow ? allows : denies).Add(grant);
            }
        }
    }

    // A statement's expansion depends only on its Action/NotAction element and the catalog, so it is kept beside the
    // element (weakly: it lives as long as the parsed document): an audit that sees the same managed policy document
    // again, or a role computed twice, pays nothing. Keyed by reference (ConditionalWeakTable), per catalog.
    private static readonly ConditionalWeakTable<ActionList, StatementExpansion> Expansions = new();

    private sealed record StatementExpansion(ActionCatalog Catalog, ActionSet Actions, ImmutableArray<string> Unmatched);

    private static Grant ToGrant(ActionCatalog catalog, StatementRef source, PolicyDocument document)
    {
        var element = source.Statement.Actions;
        if (element is null)
        {
            return new Grant(source, new ActionSet(catalog), [], document);
        }
        if (!Expansions.TryGetValue(element, out var expansion) || !ReferenceEquals(expansion.Catalog, catalog))
        {
            expansion = Expand(catalog, element);
            Expansions.AddOrUpdate(element, expansion);
        }
        return new Grant(source, expansion.Actions, expansion.Unmatched, document);
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

    // ---- Actions grouped by the statements that cover them ----

    /// <summary>Actions covered by exactly the same statements: they share their scopes, computed once for the group.</summary>
    private sealed class ActionClass(ActionSet actions, List<Grant> identity, List<Grant> boundary, List<Grant> denies)
    {
        private ResourceScope[]? _scopes;
        private readonly Dictionary<(ResourceScope, ActionResourceType?), bool> _reaches = [];

        /// <summary>The region every request for these actions goes to, when the service has one endpoint (IAM).</summary>
        public string? FixedRegion { get; init; }

        public ActionSet Actions { get; } = actions;
        public List<Grant> Identity { get; } = identity;
        public List<Grant> Boundary { get; } = boundary;
        public List<Grant> Denies { get; } = denies;

        public ResourceScope[] Scopes(EffectivePermissions owner) => _scopes ??= owner.BuildScopes(this);

        public bool Reaches(ResourceScope scope, ActionResourceType? type, Func<bool> compute)
        {
            lock (_reaches)
            {
                if (!_reaches.TryGetValue((scope, type), out var reaches))
                {
                    _reaches[(scope, type)] = reaches = compute();
                }
                return reaches;
            }
        }
    }

    private ActionClass[] Classify()
    {
        var union = Union(Catalog, _identityAllows);
        if (_boundaryAllows is not null)
        {
            union.IntersectWith(Union(Catalog, _boundaryAllows));
        }
        if (union.IsEmpty)
        {
            return [];
        }
        // Partition refinement: each statement splits the groups it partly covers; a group ends up with the exact list of statements covering its actions.
        var classes = new List<ActionClass> { new(union, [], [], []) };
        Refine(classes, _identityAllows, c => c.Identity);
        Refine(classes, _boundaryAllows ?? [], c => c.Boundary);
        Refine(classes, _denies, c => c.Denies);
        return [.. SplitSingleRegionServices(classes)];
    }

    /// <summary>
    /// IAM has one endpoint per partition, so every IAM request's aws:RequestedRegion is that endpoint's region (IAM User
    /// Guide, aws:RequestedRegion: "IAM calls are always made to the us-east-1 Region"): its actions get groups of their
    /// own, whose region conditions are then decided.
    /// </summary>
    private IEnumerable<ActionClass> SplitSingleRegionServices(List<ActionClass> classes)
    {
        if (Partition is null || !IamRegions.TryGetValue(Partition, out var region) || Catalog.FindService("iam") is not { } iam)
        {
            return classes;
        }
        var iamActions = Catalog.Expand(iam.Prefix + ":*");
        return classes.SelectMany(c =>
        {
            if (!c.Actions.Overlaps(iamActions))
            {
                return [c];
            }
            var inIam = c.Actions.Clone();
            inIam.IntersectWith(iamActions);
            var iamClass = new ActionClass(inIam, c.Identity, c.Boundary, c.Denies) { FixedRegion = region };
            if (c.Actions.IsSubsetOf(iamActions))
            {
                return [iamClass];
            }
            var rest = c.Actions.Clone();
            rest.ExceptWith(iamActions);
            return (ActionClass[])[iamClass, new ActionClass(rest, c.Identity, c.Boundary, c.Denies)];
        });
    }

    // Where IAM's one endpoint is, per partition (AWS General Reference, "AWS Identity and Access Management endpoints").
    private static readonly Dictionary<string, string> IamRegions = new(StringComparer.Ordinal)
    {
        ["aws"] = "us-east-1",
        ["aws-cn"] = "cn-north-1",
        ["aws-us-gov"] = "us-gov-west-1",
    };

    private static void Refine(List<ActionClass> classes, IReadOnlyList<Grant> grants, Func<ActionClass, List<Grant>> listOf)
    {
        foreach (var grant in grants)
        {
            var count = classes.Count;
            for (var i = 0; i < count; i++)
            {
                var current = classes[i];
                if (!current.Actions.Overlaps(grant.Actions))
                {
                    continue;
                }
                if (current.Actions.IsSubsetOf(grant.Actions))
                {
                    listOf(current).Add(grant);
                    continue;
                }
                var inside = current.Actions.Clone();
                inside.IntersectWith(grant.Actions);
                current.Actions.ExceptWith(grant.Actions);
                var split = new ActionClass(inside, [.. current.Identity], [.. current.Boundary], [.. current.Denies]);
                listOf(split).Add(grant);
                classes.Add(split);
            }
        }
    }

    private ActionClass? ClassOf(int actionId) => Array.Find(_classes, c => c.Actions.Contains(actionId));

    private ActionSet ComputeAllowed()
    {
        var allowed = Reached(_ => true);
        allowed.MakeReadOnly();
        return allowed;
    }

    private ActionSet Reached(Func<ResourceScope, bool> which)
    {
        var reached = new ActionSet(Catalog);
        foreach (var actionClass in _classes)
        {
            var scopes = actionClass.Scopes(this).Where(which).ToList();
            if (scopes.Count == 0)
            {
                continue;
            }
            if (scopes.Exists(s => s.IsEveryResource && s.Excluded.IsEmpty))
            {
                reached.UnionWith(actionClass.Actions);
                continue;
            }
            foreach (var id in actionClass.Actions.Ids)
            {
                var action = Catalog.Actions[id];
                if (scopes.Exists(s => Reaches(actionClass, s, action)))
                {
                    reached.Add(id);
                }
            }
        }
        return reached;
    }

    // ---- Scopes ----

    private ResourceScope[] BuildScopes(ActionClass actionClass)
    {
        var scopes = new List<ResourceScope>();
        var boundaries = _boundaryAllows is null ? [null] : actionClass.Boundary.Cast<Grant?>().ToList();
        foreach (var allow in actionClass.Identity)
        {
            foreach (var (identityPattern, identityExcluded) in Parts(allow))
            {
                foreach (var boundary in boundaries)
                {
                    var boundaryParts = boundary is null ? [(Universal, ImmutableArray<Exclusion>.Empty)] : Parts(boundary);
                    foreach (var (boundaryPattern, boundaryExcluded) in boundaryParts)
                    {
                        if (Intersect(identityPattern, boundaryPattern) is not { } patterns)
                        {
                            continue;
                        }
                        var known = KnownFor(patterns[0].Resolved, actionClass.FixedRegion is { } fixedRegion ? Known.With(RequestedRegionKey, fixedRegion) : Known);
                        var allowConditions = Undecided(allow, known);
                        var boundaryConditions = boundary is null ? [] : Undecided(boundary, known);
                        if (allowConditions is null || boundaryConditions is null)
                        {
                            continue; // a condition the audit knows to be false: this pair never applies here
                        }
                        ImmutableArray<ConditionClause> conditions = [.. allowConditions.Value, .. boundaryConditions.Value];
                        var excluded = identityExcluded.Concat(boundaryExcluded).Where(e => Matching.ResourcePatterns.Overlap([.. patterns.Select(p => p.Resolved), e.Resolved])).ToList();
                        if (excluded.Exists(e => Covered(e.Resolved, patterns)))
                        {
                            continue;
                        }
                        var candidates = new List<Candidate> { new(patterns, [.. excluded], []) };
                        foreach (var deny in actionClass.Denies)
                        {
                            candidates = [.. candidates.SelectMany(c => ApplyDeny(c, deny, known))];
                        }
                        scopes.AddRange(candidates.Select(c => new ResourceScope(allow, boundary, c.Patterns, c.Excluded, conditions, c.DeniedUnless)));
                    }
                }
            }
        }
        return [.. scopes];
    }

    private static readonly ScopePattern Universal = new("*", "*");

    private sealed record Candidate(ImmutableArray<ScopePattern> Patterns, ImmutableArray<Exclusion> Excluded, ImmutableArray<Grant> DeniedUnless);

    /// <summary>The resources a statement names: one part per Resource entry, or every resource less its NotResource entries.</summary>
    private IEnumerable<(ScopePattern Pattern, ImmutableArray<Exclusion> Excluded)> Parts(Grant grant)
    {
        var resources = grant.Resources;
        if (resources is null)
        {
            yield return (Universal, []);
            yield break;
        }
        if (resources.IsNegated)
        {
            yield return (Universal, [.. resources.Patterns.Select(p => Resolve(p, grant)).OfType<ScopePattern>().Select(p => new Exclusion(p.Text, grant) { Resolved = p.Resolved })]);
            yield break;
        }
        foreach (var pattern in resources.Patterns)
        {
            if (Resolve(pattern, grant) is { } resolved)
            {
                yield return (resolved, []);
            }
        }
    }

    private ScopePattern? Resolve(string pattern, Grant grant)
    {
        if (!grant.Document.PolicyVariablesEnabled || !PolicyVariables.ContainsVariable(pattern))
        {
            return new ScopePattern(pattern, pattern);
        }
        return PolicyVariables.ToResourcePattern(pattern, Known) is { } resolved ? new ScopePattern(pattern, resolved) : null;
    }

    /// <summary>The resources both patterns match, as the narrower one when one covers the other; null when none.</summary>
    private static ImmutableArray<ScopePattern>? Intersect(ScopePattern first, ScopePattern second)
    {
        if (Matching.ResourcePatterns.Covers(second.Resolved, first.Resolved))
        {
            return [first];
        }
        if (Matching.ResourcePatterns.Covers(first.Resolved, second.Resolved))
        {
            return [second];
        }
        return Matching.ResourcePatterns.Overlap(first.Resolved, second.Resolved) ? [first, second] : null;
    }

    /// <summary>The conjunction of patterns with one more: patterns it is narrower than give way to it, and it is not added when one is narrower already.</summary>
    private static ImmutableArray<ScopePattern> Narrowed(ImmutableArray<ScopePattern> patterns, ScopePattern added) =>
        patterns.Any(p => Matching.ResourcePatterns.Covers(added.Resolved, p.Resolved))
            ? patterns
            : [.. patterns.Where(p => !Matching.ResourcePatterns.Covers(p.Resolved, added.Resolved)), added];

    private static bool Covered(string pattern, ImmutableArray<ScopePattern> patterns) =>
        patterns.Any(p => Matching.ResourcePatterns.Covers(pattern, p.Resolved));

    /// <summary>The statement's conditions the known context leaves undecided; null when one of them is known to be false.</summary>
    private static ImmutableArray<ConditionClause>? Undecided(Grant grant, KnownContext known)
    {
        var undecided = ImmutableArray.CreateBuilder<ConditionClause>();
        foreach (var clause in grant.Conditions)
        {
            switch (ConditionEvaluator.Decide(clause, known, grant.Document.PolicyVariablesEnabled))
            {
                case Truth.False:
                    return null;
                case Truth.Unknown:
                    undecided.Add(clause);
                    break;
            }
        }
        return undecided.ToImmutable();
    }

    /// <summary>What is left of a candidate scope after a Deny: unchanged, less some resources, split, gone, or kept "unless".</summary>
    private IEnumerable<Candidate> ApplyDeny(Candidate candidate, Grant deny, KnownContext known)
    {
        var resolved = candidate.Patterns.Select(p => p.Resolved).ToArray();
        var truth = Truth.True;
        foreach (var clause in deny.Conditions)
        {
            truth = truth.And(ConditionEvaluator.Decide(clause, known, deny.Document.PolicyVariablesEnabled));
        }
        if (truth == Truth.False)
        {
            return [candidate];
        }
        var resources = deny.Resources;
        if (resources is null || !resources.IsNegated)
        {
            var patterns = resources is null ? [Universal] : resources.Patterns.Select(p => Resolve(p, deny)).OfType<ScopePattern>().ToList();
            var overlapping = patterns.Where(p => Matching.ResourcePatterns.Overlap([.. resolved, p.Resolved])).ToList();
            if (overlapping.Count == 0)
            {
                return [candidate];
            }
            if (truth == Truth.Unknown)
            {
                return [candidate with { DeniedUnless = candidate.DeniedUnless.Add(deny) }];
            }
            return overlapping.Exists(p => Covered(p.Resolved, candidate.Patterns))
                ? []
                : [candidate with { Excluded = [.. candidate.Excluded, .. overlapping.Select(p => new Exclusion(p.Text, deny) { Resolved = p.Resolved })] }];
        }
        // NotResource: the Deny applies to every resource outside its entries. An entry whose variable has no value
        // leaves the Deny out on every resource of its shape (as CompiledPolicy); with a variable the audit does not
        // know, the shape is left out only when it has no value, so the Deny still may apply there.
        var kept = new List<ScopePattern>();
        var keptWhenUnset = new List<ScopePattern>();
        foreach (var text in resources.Patterns)
        {
            var entry = Resolve(text, deny);
            if (entry is not null)
            {
                kept.Add(entry);
            }
            if (MayBeUnset(text, entry, deny) && Matching.ResourceMatcher.VariableShape(text) is { } shape)
            {
                (entry is null ? kept : keptWhenUnset).Add(new ScopePattern(text, shape));
            }
        }
        if (kept.Exists(p => Covered(p.Resolved, candidate.Patterns)))
        {
            return [candidate];
        }
        if (truth == Truth.Unknown)
        {
            return [candidate with { DeniedUnless = candidate.DeniedUnless.Add(deny) }];
        }
        bool Overlaps(ScopePattern p) => Matching.ResourcePatterns.Overlap([.. resolved, p.Resolved]);
        return kept.Where(Overlaps).Select(p => candidate with { Patterns = Narrowed(candidate.Patterns, p) })
            .Concat(keptWhenUnset.Where(Overlaps).Select(p => candidate with
            {
                Patterns = Narrowed(candidate.Patterns, p),
                DeniedUnless = candidate.DeniedUnless.Add(deny),
            }));
    }

    /// <summary>True when a resource entry holds a variable that has no value or may have none (null <paramref name="entry"/>: known to have none).</summary>
    private static bool MayBeUnset(string text, ScopePattern? entry, Grant grant) =>
        grant.Document.PolicyVariablesEnabled && PolicyVariables.ContainsVariable(text)
        && (entry is null || entry.Resolved.Contains(Matching.Wildcard.UnknownValue, StringComparison.Ordinal));

    // ---- Whether a scope reaches resources an action acts on ----

    private bool Reaches(ActionClass actionClass, ResourceScope scope, CatalogAction action)
    {
        if (scope.IsEveryResource && scope.Excluded.IsEmpty)
        {
            return true;
        }
        // An action with no resource type is requested on "*" (Service Authorization Reference).
        if (action.IsWildcardOnly)
        {
            return actionClass.Reaches(scope, null, () => ReachesAnyResourceRequest(scope));
        }
        foreach (var type in action.ResourceTypes)
        {
            if (actionClass.Reaches(scope, type, () => ReachesType(scope, type)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool ReachesAnyResourceRequest(ResourceScope scope) =>
        scope.PatternsMatched.All(p => Matching.ResourcePatterns.MatchesAnyResourceRequest(p.Resolved))
        && !scope.Excluded.Any(e => Matching.ResourcePatterns.MatchesAnyResourceRequest(e.Resolved));

    private bool ReachesType(ResourceScope scope, ActionResourceType type)
    {
        if (type.ArnTemplate is null)
        {
            return true; // a type the catalog gives no ARN for: assume the scope may reach it
        }
        var template = Template(type);
        return Matching.ResourcePatterns.Overlap([.. scope.PatternsMatched.Select(p => p.Resolved), template])
            && !scope.Excluded.Any(e => Matching.ResourcePatterns.Covers(e.Resolved, template));
    }

    /// <summary>A resource type's ARN template as a pattern: its partition when known, every other variable any value.</summary>
    private string Template(ActionResourceType type)
    {
        lock (_templates)
        {
            if (!_templates.TryGetValue(type, out var template))
            {
                _templates[type] = template = type.EveryResourcePattern(Partition)!;
            }
            return template;
        }
    }
}
