using System.Runtime.CompilerServices;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// What the breadth rules (ERA040–ERA046) share about one role's effective permissions, computed once per role and
/// cached beside it: the set of actions some request can be allowed for, and which Allow statements are
/// administrator-equivalent (ERA040), so the other rules stay silent about those statements instead of piling up
/// redundant findings.
/// </summary>
internal sealed class BreadthAnalysis
{
    /// <summary>The AWS managed policy ECS requires on execution roles; its statements are never flagged on an execution role.</summary>
    internal const string TaskExecutionRolePolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

    // Keyed by the role's EffectivePermissions (one per role per audit): the cache lives exactly as long as the audit's context.
    private static readonly ConditionalWeakTable<EffectivePermissions, BreadthAnalysis> Cache = new();

    private readonly HashSet<Grant> _adminGrants;

    private BreadthAnalysis(EffectivePermissions permissions)
    {
        var catalog = permissions.Catalog;
        // The same set EffectivePermissions keeps privately (its IsAllowed), rebuilt with set operations: identity Allows,
        // narrowed by the boundary's Allows, minus unconditional denies on every resource.
        Allowed = Union(catalog, permissions.IdentityAllows);
        if (permissions.BoundaryAllows is { } boundary)
        {
            Allowed.IntersectWith(Union(catalog, boundary));
        }
        Allowed.ExceptWith(Union(catalog, permissions.Denies.Where(d => d.IsUnconditionalOnAnyResource)));

        var nothingCut = Allowed.Count == catalog.ActionCount
            && (permissions.BoundaryAllows is not { } b || catalog.All.IsSubsetOf(Union(catalog, b.Where(g => g.IsUnconditionalOnAnyResource))));
        _adminGrants = nothingCut
            ? new HashSet<Grant>(permissions.IdentityAllows.Where(g => g.CoversAnyResource && catalog.All.IsSubsetOf(g.Actions)), ReferenceEqualityComparer.Instance)
            : new HashSet<Grant>(ReferenceEqualityComparer.Instance);
        HasUnconditionalAdmin = _adminGrants.Any(g => !g.IsConditional);
    }

    /// <summary>The catalog actions some request can be allowed for (identity ∩ boundary − unconditional denies). Do not modify.</summary>
    public ActionSet Allowed { get; }

    /// <summary>True when some unconditional statement allows every action on every resource and nothing cuts it.</summary>
    public bool HasUnconditionalAdmin { get; }

    /// <summary>The identity Allow statements that allow every catalog action on every resource, not cut by a deny or the boundary.</summary>
    public IEnumerable<Grant> AdminGrants => _adminGrants;

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
    public bool IsAdminEquivalent(Grant grant) => _adminGrants.Contains(grant);

    /// <summary>The statement's actions that are effectively allowed, optionally narrowed further (a new set).</summary>
    public ActionSet AllowedOf(Grant grant, ActionSet? within = null)
    {
        var result = grant.Actions.Clone();
        result.IntersectWith(Allowed);
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

    /// <summary>True when the role is the execution role and the statement comes from AmazonECSTaskExecutionRolePolicy, which AWS requires there.</summary>
    public static bool IsRequiredByEcs(AuditContext context, AuditedRole role, Grant grant) =>
        context.ExecutionRole is { } execution
        && string.Equals(execution.Role.Arn, role.Role.Arn, StringComparison.OrdinalIgnoreCase)
        && role.SourceOf(grant.Source) is { Kind: SourceKind.ManagedPolicy, Arn: TaskExecutionRolePolicyArn };

    /// <summary>The identity Allow statements the breadth rules look at: not administrator-equivalent, not required by ECS.</summary>
    public static IEnumerable<(AuditedRole Role, RoleSlot Slot, BreadthAnalysis Analysis, Grant Grant)> CandidateAllows(AuditContext context)
    {
        foreach (var (role, slot) in RolesOnce(context))
        {
            var analysis = Of(role);
            foreach (var grant in role.Permissions.IdentityAllows)
            {
                if (!analysis.IsAdminEquivalent(grant) && !IsRequiredByEcs(context, role, grant))
                {
                    yield return (role, slot, analysis, grant);
                }
            }
        }
    }

    /// <summary>The statement's wildcard patterns that cover whole services: <c>svc:*</c>, and <c>*</c> or <c>*:*</c> (ERA042's business). Empty for NotAction.</summary>
    public static List<string> ServiceWidePatterns(Grant grant) =>
        grant.UsesNotAction || grant.Source.Statement.Actions is not { } element
            ? []
            : [.. element.Patterns.Where(p => p is "*" || (p.EndsWith(":*", StringComparison.Ordinal) && !Policy.Matching.Wildcard.HasWildcard(p.AsSpan(0, p.Length - 2))) || p == "*:*")];

    /// <summary>The actions the statement reaches through its service-wide patterns (a new set): ERA043 and ERA045 leave them to ERA042's finding.</summary>
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

    /// <summary>The statement's allowed actions within <paramref name="within"/>, less those its service-wide patterns reach.</summary>
    public ActionSet AllowedBeyondServiceWide(Grant grant, ActionSet within)
    {
        var result = AllowedOf(grant, within);
        if (!result.IsEmpty && ServiceWidePatterns(grant).Count > 0)
        {
            result.ExceptWith(ServiceWideActions(grant));
        }
        return result;
    }

    /// <summary>"policy/statement" (the inline policy's name or the managed policy's short name), as messages cite a statement.</summary>
    public static string Cite(AuditedRole role, Grant grant) => $"{role.SourceOf(grant.Source).Name}/{grant.Source.Statement.Label}";

    /// <summary>A finding of the rule about one statement, in the slot <see cref="RolesOnce"/> chose, one level lower when the statement is conditional.</summary>
    public static Finding StatementFinding(RuleDescriptor rule, AuditedRole role, RoleSlot slot, Grant grant, string message, string remediation, IEnumerable<string> actions)
    {
        var finding = rule.For(role, grant, message, remediation, actions);
        return finding with { RoleSlot = slot, Severity = grant.IsConditional ? finding.Severity.OneLower() : finding.Severity };
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
}
