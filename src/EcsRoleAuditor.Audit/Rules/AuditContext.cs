using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>Everything a rule looks at for one task definition: the definition, what it needs, and its two roles as found.</summary>
public sealed class AuditContext
{
    /// <summary>
    /// Creates the context; roles that were found are wrapped once, so both slots of a shared role share its effective
    /// permissions. A service-linked role is set apart: ECS cannot use it as either role, so its own policies say nothing
    /// about the task (ERA002 is the finding).
    /// </summary>
    public AuditContext(TaskDefinition taskDefinition, RoleLookup? taskRole, RoleLookup? executionRole, ActionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(taskDefinition);
        TaskDefinition = taskDefinition;
        Catalog = catalog;
        Needs = TaskDefinitionNeeds.Derive(taskDefinition);
        TaskRoleLookup = taskRole;
        ExecutionRoleLookup = executionRole;
        var permissions = new Dictionary<string, Lazy<EffectivePermissions>>(StringComparer.OrdinalIgnoreCase);
        var task = Audited(taskRole, RoleSlot.Task, permissions);
        var execution = Audited(executionRole, RoleSlot.Execution, permissions);
        FoundRoles = [.. new[] { task, execution }.OfType<AuditedRole>()];
        TaskRole = task is { Role.IsServiceLinked: false } ? task : null;
        ExecutionRole = execution is { Role.IsServiceLinked: false } ? execution : null;
    }

    /// <summary>The task definition.</summary>
    public TaskDefinition TaskDefinition { get; }

    /// <summary>The action catalog.</summary>
    public ActionCatalog Catalog { get; }

    /// <summary>What the task definition needs from its roles.</summary>
    public ImmutableArray<Need> Needs { get; }

    /// <summary>How the task role lookup went; null when the task definition names no task role.</summary>
    public RoleLookup? TaskRoleLookup { get; }

    /// <summary>How the execution role lookup went; null when the task definition names no execution role.</summary>
    public RoleLookup? ExecutionRoleLookup { get; }

    /// <summary>The task role, when named and found.</summary>
    public AuditedRole? TaskRole { get; }

    /// <summary>The execution role, when named and found.</summary>
    public AuditedRole? ExecutionRole { get; }

    /// <summary>The roles that were found and are not service-linked, task role first: the roles whose permissions the rules judge.</summary>
    public IEnumerable<AuditedRole> Roles => new[] { TaskRole, ExecutionRole }.OfType<AuditedRole>();

    /// <summary>Every role that was found, service-linked ones included, task role first.</summary>
    public IReadOnlyList<AuditedRole> FoundRoles { get; }

    /// <summary>The role in a slot, when named and found.</summary>
    public AuditedRole? RoleIn(RoleSlot slot) => slot == RoleSlot.Task ? TaskRole : slot == RoleSlot.Execution ? ExecutionRole : null;

    private AuditedRole? Audited(RoleLookup? lookup, RoleSlot slot, Dictionary<string, Lazy<EffectivePermissions>> permissions)
    {
        if (lookup is not RoleLookup.Found { Role: var role })
        {
            return null;
        }
        if (!permissions.TryGetValue(role.Arn, out var effective))
        {
            effective = new Lazy<EffectivePermissions>(() => PermissionsOf(role, Catalog));
            permissions[role.Arn] = effective;
        }
        return new AuditedRole(slot, role, effective);
    }

    // What a role can do depends on the role alone (its documents, boundary, tags and partition) and the catalog, so it is
    // kept beside the role: a sweep or an invocation that audits several task definitions of one role computes it once.
    private static readonly ConditionalWeakTable<Role, EffectivePermissions> RolePermissions = new();

    /// <summary>What <paramref name="role"/> effectively allows, computed once per role and catalog.</summary>
    internal static EffectivePermissions PermissionsOf(Role role, ActionCatalog catalog)
    {
        if (RolePermissions.TryGetValue(role, out var cached) && ReferenceEquals(cached.Catalog, catalog))
        {
            return cached;
        }
        var computed = EffectivePermissions.Compute(
            [.. role.Policies.Select(p => p.Document)],
            role.Boundary is null ? null : [role.Boundary.Document],
            catalog,
            PrincipalKnowledge.Of(role),
            Arn.TryParse(role.Arn, out var arn) ? arn.Partition : null);
        RolePermissions.AddOrUpdate(role, computed);
        return computed;
    }
}

/// <summary>A role in one slot of the audited task definition, with its effective permissions computed once on first use.</summary>
public sealed class AuditedRole
{
    private readonly Lazy<EffectivePermissions> _permissions;

    internal AuditedRole(RoleSlot slot, Role role, Lazy<EffectivePermissions> permissions)
    {
        Slot = slot;
        Role = role;
        _permissions = permissions;
    }

    /// <summary>Task or execution.</summary>
    public RoleSlot Slot { get; }

    /// <summary>The role.</summary>
    public Role Role { get; }

    /// <summary>What its identity policies and boundary effectively allow.</summary>
    public EffectivePermissions Permissions => _permissions.Value;

    /// <summary>
    /// The policies that shape its permissions but could not be read or parsed (not its trust policy): whatever they
    /// allow or deny is unknown, so a finding that depends on them says so ("unless the unread … denies it", "if the
    /// unread … does not grant it") and a verdict that an Allow is missing is not given as certain.
    /// </summary>
    public IEnumerable<FindingSource> UnreadPolicies => Role.Problems.Where(p => p.Source.Kind != SourceKind.TrustPolicy).Select(p => p.Source).Distinct();

    /// <summary>Where a statement comes from: the inline policy, managed policy (ARN and version) or boundary.</summary>
    public FindingSource SourceOf(StatementRef statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var policy = statement.IsBoundary
            ? Role.Boundary
            : Role.Policies.FirstOrDefault(p => p.Document.Name == statement.PolicyName);
        return policy?.Source ?? new FindingSource(SourceKind.Role, statement.PolicyName);
    }
}
