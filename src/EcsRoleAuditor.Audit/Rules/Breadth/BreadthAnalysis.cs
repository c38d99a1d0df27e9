using System.Runtime.CompilerServices;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// What the breadth rules (ERA040–ERA046) share about one role, read from its effective permissions and cached beside
/// them: which Allow statements are administrator-equivalent (ERA040, so the other rules stay silent about them), and
/// which statements each rule leaves to another, so that one statement is one finding per fact.
/// </summary>
internal sealed class BreadthAnalysis
{
    // Keyed by the role's EffectivePermissions (one per role per audit): the cache lives exactly as long as the audit's context.
    private static readonly ConditionalWeakTable<EffectivePermissions, BreadthAnalysis> Cache = new();

    private readonly Dictionary<Grant, Truth> _admin;
    private readonly Dictionary<Grant, ActionSet> _serviceWide = new(ReferenceEqualityComparer.Instance);

    private BreadthAnalysis(EffectivePermissions permissions)
    {
        Permissions = permissions;
        _admin = new Dictionary<Grant, Truth>(ReferenceEqualityComparer.Instance);
        foreach (var grant in permissions.IdentityAllows)
        {
            // A statement naming every action on "*", not bounded by the boundary, that can still write IAM policies: what
            // Denies or conditions take from it are exceptions (ERA040 says which); without IAM it is no administrator.
            if (permissions.GrantsEverythingThrough(grant) is var everything and not Truth.False
                && AdministratorPowers(permissions.Catalog).Overlaps(permissions.ReachedThrough(grant)))
            {
                _admin[grant] = everything;
            }
        }
        HasUnconditionalAdmin = _admin.Values.Any(t => t == Truth.True);
    }

    /// <summary>
    /// The IAM actions with which a principal grants itself anything (IAM User Guide on policy versions and attaching
    /// policies): a statement that reaches one of them makes the role an administrator whatever else it lacks.
    /// </summary>
    private static readonly string[] PolicyWriting =
        ["iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy",
         "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AttachGroupPolicy", "iam:PutGroupPolicy"];

    private static readonly ConditionalWeakTable<ActionCatalog, ActionSet> PolicyWritingSets = new();

    private static ActionSet AdministratorPowers(ActionCatalog catalog) =>
        PolicyWritingSets.GetValue(catalog, c =>
        {
            var set = new ActionSet(c);
            foreach (var name in PolicyWriting)
            {
                set.UnionWith(c.Expand(name));
            }
            return set;
        });

    /// <summary>The role's effective permissions.</summary>
    public EffectivePermissions Permissions { get; }

    /// <summary>The catalog actions some request can be allowed for. Do not modify.</summary>
    public ActionSet Allowed => Permissions.AllowedActions;

    /// <summary>True when some statement unconditionally allows every action on every resource.</summary>
    public bool HasUnconditionalAdmin { get; }

    /// <summary>The identity Allow statements that allow every catalog action on every resource, not cut by a Deny or the boundary.</summary>
    public IEnumerable<Grant> AdminGrants => _admin.Keys;

    /// <summary>The analysis of a role, computed on first use.</summary>
    public static BreadthAnalysis Of(AuditedRole role) => Cache.GetValue(role.Permissions, p => new BreadthAnalysis(p));

    /// <summary>
    /// The role's identity Allow statements that ERA040 does not report: placement rules (ERA020, ERA022, ERA031) look only
    /// at these, so an administrator statement is one CRITICAL finding rather than a pile of findings restating it.
    /// </summary>
    public static IEnumerable<Grant> AllowsBelowAdmin(AuditedRole role)
    {
        var analysis = Of(role);
        return role.Permissions.IdentityAllows.Where(g => !analysis.IsAdminEquivalent(g));
    }

    /// <summary>True for a statement ERA040 reports: the other breadth rules say nothing about it.</summary>
    public bool IsAdminEquivalent(Grant grant) => _admin.ContainsKey(grant);

    /// <summary>What the statement effectively grants (a new set), optionally within <paramref name="within"/>.</summary>
    public ActionSet AllowedOf(Grant grant, ActionSet? within = null)
    {
        var result = Permissions.ReachedThrough(grant);
        if (within is not null)
        {
            result.IntersectWith(within);
        }
        return result;
    }

    /// <summary>
    /// The found roles, each once: statement-level rules report a statement once even when one role fills both slots.
    /// Such a role is reported in slot <see cref="RoleSlot.TaskDefinition"/> ("both roles at once"), a role in one slot in that slot.
    /// </summary>
    public static IEnumerable<(AuditedRole Role, RoleSlot Slot)> RolesOnce(AuditContext context) =>
        context.Roles.GroupBy(r => r.Role.Arn, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.First(), g.Count() > 1 ? RoleSlot.TaskDefinition : g.First().Slot));

    /// <summary>True when the role is the task definition's execution role (alone or in both slots).</summary>
    public static bool IsExecutionRole(AuditContext context, AuditedRole role) =>
        context.ExecutionRole is { } execution && string.Equals(execution.Role.Arn, role.Role.Arn, StringComparison.OrdinalIgnoreCase);

    /// <summary>The identity Allow statements the breadth rules look at: those ERA040 does not report.</summary>
    public static IEnumerable<(AuditedRole Role, RoleSlot Slot, BreadthAnalysis Analysis, Grant Grant)> CandidateAllows(AuditContext context)
    {
        foreach (var (role, slot) in RolesOnce(context))
        {
            var analysis = Of(role);
            foreach (var grant in role.Permissions.IdentityAllows)
            {
                if (!analysis.IsAdminEquivalent(grant))
                {
                    yield return (role, slot, analysis, grant);
                }
            }
        }
    }

    // ---- Which rule speaks about a statement: one statement, one finding per fact ----

    /// <summary>
    /// True when the statement's NotAction is in force, which is ERA044's finding (the other breadth rules then leave the
    /// statement alone): it reaches some action, and no permission boundary bounds it to a list (a boundary Allow letting
    /// its actions through uses NotAction or a wildcard over every service too).
    /// </summary>
    public bool NotActionInForce(Grant grant) =>
        grant.UsesNotAction && !AllowedOf(grant).IsEmpty
        && (Permissions.BoundaryAllows is not { } boundary
            || boundary.Any(b => b.Actions.Overlaps(grant.Actions) && (b.UsesNotAction || ServiceWidePatterns(b).Any(p => p is "*" or "*:*"))));

    /// <summary>
    /// The actions ERA042 reports for a statement: those reached through its service-wide patterns (<c>s3:*</c>, <c>*</c>),
    /// in services the permission boundary lets through whole. A boundary that allows a list of a service's actions bounds
    /// the wildcard to that list: those actions are then judged by ERA043 and ERA045 like any others.
    /// </summary>
    public ActionSet ServiceWideReach(Grant grant)
    {
        // ERA042, ERA043 and ERA045 all ask: computed once per statement (a new set each time, callers modify theirs).
        lock (_serviceWide)
        {
            if (!_serviceWide.TryGetValue(grant, out var reach))
            {
                _serviceWide[grant] = reach = ComputeServiceWideReach(grant);
            }
            return reach.Clone();
        }
    }

    private ActionSet ComputeServiceWideReach(Grant grant)
    {
        var reached = new ActionSet(Permissions.Catalog);
        var patterns = ServiceWidePatterns(grant);
        if (grant.UsesNotAction || patterns.Count == 0)
        {
            return reached;
        }
        var wildcard = ServiceWideActions(grant);
        var allowed = AllowedOf(grant, wildcard);
        if (allowed.IsEmpty)
        {
            return reached;
        }
        var boundary = Permissions.BoundaryAllows is { } boundaryAllows ? Union(Permissions.Catalog, boundaryAllows) : null;
        // The services the patterns name: every one for "*", else those of the "svc:*" patterns.
        var services = patterns.Any(p => p is "*" or "*:*")
            ? Permissions.Catalog.Services
            : [.. patterns.Select(p => Permissions.Catalog.FindService(p[..^2])).OfType<CatalogService>()];
        foreach (var service in services)
        {
            var actions = ServiceActions(Permissions.Catalog, service);
            if (!actions.Overlaps(allowed) || (boundary is not null && !actions.IsSubsetOf(boundary)))
            {
                continue;
            }
            var kept = actions.Clone();
            kept.IntersectWith(allowed);
            reached.UnionWith(kept);
        }
        return reached;
    }

    /// <summary>The statement's wildcard patterns that cover whole services: <c>svc:*</c>, and <c>*</c> or <c>*:*</c>. Empty for NotAction.</summary>
    public static List<string> ServiceWidePatterns(Grant grant) =>
        grant.UsesNotAction || grant.Source.Statement.Actions is not { } element
            ? []
            : [.. element.Patterns.Where(p => p is "*" || (p.EndsWith(":*", StringComparison.Ordinal) && !Policy.Matching.Wildcard.HasWildcard(p.AsSpan(0, p.Length - 2))) || p == "*:*")];

    /// <summary>The actions the statement names through its service-wide patterns (a new set).</summary>
    public static ActionSet ServiceWideActions(Grant grant)
    {
        var catalog = grant.Actions.Catalog;
        var covered = new ActionSet(catalog);
        foreach (var pattern in ServiceWidePatterns(grant))
        {
            covered.UnionWith(catalog.Expand(pattern));
        }
        return covered;
    }

    /// <summary>
    /// The statement's effectively allowed actions within <paramref name="within"/> that ERA042 and ERA044 leave to the
    /// per-action rules (ERA043, ERA045): none when its NotAction is in force, and not those its service-wide patterns report.
    /// </summary>
    public ActionSet AllowedBeyondWildcards(Grant grant, ActionSet within)
    {
        if (NotActionInForce(grant))
        {
            return new ActionSet(Permissions.Catalog);
        }
        var result = AllowedOf(grant, within);
        if (!result.IsEmpty)
        {
            result.ExceptWith(ServiceWideReach(grant));
        }
        return result;
    }

    // ---- Wording shared by the statement findings ----

    /// <summary>
    /// "policy/statement" (the inline policy's name or the managed policy's short name), as messages cite a statement;
    /// "(boundary)" follows a statement of the permission boundary.
    /// </summary>
    public static string Cite(AuditedRole role, Grant grant) =>
        $"{role.SourceOf(grant.Source).Name}/{grant.Source.Statement.Label}{(grant.Source.IsBoundary ? " (boundary)" : "")}";

    /// <summary>
    /// A finding of the rule about one statement, in the slot <see cref="RolesOnce"/> chose: its resources are where the
    /// statement effectively reaches (<paramref name="scopes"/>), and it is one level lower when the statement holds only
    /// under its (or the boundary's) conditions, which the finding then states. Exceptions and Denies that may apply are
    /// said in the message; so is a policy of the role the audit could not read.
    /// </summary>
    public static Finding StatementFinding(
        RuleDescriptor rule, AuditedRole role, RoleSlot slot, Grant grant, string message, Remedy remedy, IEnumerable<string> actions,
        IReadOnlyCollection<ResourceScope> scopes, Severity? severity = null)
    {
        var reach = ScopeWording.Of(role, scopes);
        var finding = rule.For(role, grant, message.TrimEnd('.') + reach.Qualifiers + FindingFactory.UnreadPoliciesMayDeny(role) + ".", remedy.Text, actions);
        var unconditional = severity ?? finding.Severity;
        return finding with
        {
            Changes = remedy.Changes,
            RoleSlot = slot,
            Severity = reach.Conditional ? unconditional.OneLower() : unconditional,
            Resources = reach.Resources.Count == 0 ? finding.Resources : [.. reach.Resources],
            Conditional = reach.OnlyWhen,
        };
    }

    /// <summary>
    /// The scopes through <paramref name="grant"/> that <paramref name="reachesEverything"/> accepts, for each action of
    /// <paramref name="hits"/>; an action with none is removed from <paramref name="hits"/>.
    /// </summary>
    public static List<ResourceScope> KeepActionsReachingEverything(AuditedRole role, Grant grant, ActionSet hits, Func<ResourceScope, bool> reachesEverything)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(hits);
        var scopes = new List<ResourceScope>();
        foreach (var action in hits.Actions.ToList())
        {
            var everywhere = role.Permissions.Describe(action).ScopesThrough(grant).Where(s => !s.ExcludedByNotResource.Any() && reachesEverything(s)).ToList();
            if (everywhere.Count == 0)
            {
                hits.Remove(action.Id);
            }
            scopes.AddRange(everywhere);
        }
        return scopes;
    }

    /// <summary>The action names of a set, in catalog order.</summary>
    public static List<string> Names(ActionSet actions) => [.. actions.Actions.Select(a => a.FullName)];

    private static ActionSet Union(ActionCatalog catalog, IEnumerable<Grant> grants)
    {
        var union = new ActionSet(catalog);
        foreach (var grant in grants)
        {
            union.UnionWith(grant.Actions);
        }
        return union;
    }

    // The catalog caches expansions: a service's whole set is computed once.
    private static ActionSet ServiceActions(ActionCatalog catalog, CatalogService service) => catalog.Expand(service.Prefix + ":*");
}
