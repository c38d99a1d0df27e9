using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// The fixes of one task definition's roles: the execution role always (from the task definition alone), and, when the
/// account's roles are given, the task role (<see cref="TaskRoleFix"/>) and what the written execution role replaces.
/// </summary>
/// <param name="Execution">The execution role to write.</param>
/// <param name="Task">The task role as fixed; null when the roles are not given, the task definition names none, or it could not be read.</param>
/// <param name="CurrentExecutionRole">The execution role the written one replaces, when it exists and was read.</param>
/// <param name="CurrentTaskRole">The task role <see cref="Task"/> fixes.</param>
/// <param name="Unread">The roles that could not be read, with the reason: the fix is incomplete.</param>
public sealed record RoleFixes(ExecutionRoleFix Execution, TaskRoleFix? Task, Role? CurrentExecutionRole, Role? CurrentTaskRole, ImmutableArray<string> Unread)
{
    /// <summary>
    /// The fixes of <paramref name="definition"/>'s roles. With <paramref name="roles"/>, the task definition is audited
    /// with the written execution role in place and the task role's ERA030/ERA031 findings say what leaves it.
    /// <paramref name="encryptionKeys"/> as for <see cref="ExecutionRoleFix.For(TaskDefinition, IReadOnlyDictionary{string, string}?)"/>.
    /// </summary>
    public static async Task<RoleFixes> ForAsync(Auditor auditor, TaskDefinition definition, IRoleDirectory? roles,
        IReadOnlyDictionary<string, string>? encryptionKeys = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditor);
        ArgumentNullException.ThrowIfNull(definition);
        var execution = ExecutionRoleFix.For(definition, encryptionKeys);
        if (roles is null)
        {
            return new RoleFixes(execution, null, null, null, []);
        }
        var unread = ImmutableArray.CreateBuilder<string>();
        Role? currentExecution = null;
        if (!execution.NewRole && definition.ExecutionRoleArn is { } executionReference)
        {
            currentExecution = await FindAsync(roles, executionReference, "execution", unread, cancellationToken).ConfigureAwait(false);
        }
        if (currentExecution is not null)
        {
            // Written again with the role it replaces: what that role allows of kms:Decrypt for secrets of unknown keys is kept.
            var role = currentExecution;
            execution = ExecutionRoleFix.For(definition, encryptionKeys,
                new AuditedRole(RoleSlot.Execution, role, new Lazy<Policy.Effective.EffectivePermissions>(() => AuditContext.PermissionsOf(role, auditor.Catalog))));
            execution = execution with { Notes = execution.Notes.AddRange(ReplacedNotes(currentExecution)) };
            // The application's permissions on the execution role (ERA020) go with the policies it replaces: say where they belong.
            var current = await auditor.AuditAsync(definition, roles, cancellationToken).ConfigureAwait(false);
            execution = execution with
            {
                Notes = execution.Notes.AddRange(current.ActiveFindings
                    .Where(f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule && string.Equals(f.RoleArn, currentExecution.Arn, StringComparison.OrdinalIgnoreCase))
                    .Select(f => $"The written execution role drops {f.Source}{(f.Statement is null ? "" : $", statement {f.Statement}")}, the application's {string.Join(", ", f.Actions)} (ERA020): "
                        + "if the application needs them, add them to its task role."))
                    .Distinct(StringComparer.Ordinal).ToImmutableArray(),
            };
        }
        if (definition.TaskRoleArn is not { } taskReference
            || await FindAsync(roles, taskReference, "task", unread, cancellationToken).ConfigureAwait(false) is not { } currentTask)
        {
            return new RoleFixes(execution, null, currentExecution, null, unread.ToImmutable());
        }
        if (currentTask.IsServiceLinked)
        {
            // ERA002's finding: a service-linked role's policies cannot be changed, only the task definition.
            return new RoleFixes(execution with { Notes = execution.Notes.Add($"The task role {currentTask.Name} is a service-linked role, whose policies cannot be changed: name a task role of your own.") },
                null, currentExecution, null, unread.ToImmutable());
        }
        var report = await auditor.AuditAsync(definition with { ExecutionRoleArn = execution.RoleArn }, new WrittenRoles([execution.ToRole()], roles), cancellationToken).ConfigureAwait(false);
        var task = TaskRoleFix.For(currentTask, report.Findings, auditor.Catalog);
        return new RoleFixes(execution, task, currentExecution, currentTask, unread.ToImmutable());
    }

    /// <summary>The current execution role's identity policies the written inline policy replaces: its other inline policies (to delete) and managed policies (to detach).</summary>
    public ImmutableArray<FindingSource> Replaced =>
        CurrentExecutionRole is null ? [] : [.. CurrentExecutionRole.Policies.Select(p => p.Source)
            .Where(s => s.Kind == SourceKind.ManagedPolicy || (s.Kind == SourceKind.InlinePolicy && s.Name != ExecutionRoleFix.InlinePolicyName))];

    /// <summary>
    /// Every policy document the fixes write or remove, as pretty-printed JSON in IAM's element order (so the current and
    /// written documents compare line by line): the execution role's one inline policy and the current inline policies it
    /// replaces, and the task role's rewritten or deleted policies. Detached managed policies are no document change.
    /// </summary>
    public ImmutableArray<PolicyDocumentChange> DocumentChanges()
    {
        var changes = ImmutableArray.CreateBuilder<PolicyDocumentChange>();
        var executionRole = Policy.Model.Arn.Parse(Execution.RoleArn).ResourceName;
        string? replaced = null;
        foreach (var policy in CurrentExecutionRole?.Policies.Where(p => p.Source.Kind == SourceKind.InlinePolicy) ?? [])
        {
            var current = Pretty(PlacementPolicyText.PolicyJson(policy.Document.Version, policy.Document.Id, policy.Document.Statements));
            if (policy.Source.Name == ExecutionRoleFix.InlinePolicyName)
            {
                replaced = current;
            }
            else
            {
                changes.Add(new PolicyDocumentChange(executionRole, policy.Source, current, null));
            }
        }
        var written = Execution.PolicyJson is { } json ? Pretty(json) : null;
        if (replaced is not null || written is not null)
        {
            changes.Add(new PolicyDocumentChange(executionRole, new FindingSource(SourceKind.InlinePolicy, ExecutionRoleFix.InlinePolicyName), replaced, written));
        }
        if (Task is not null && CurrentTaskRole is not null)
        {
            foreach (var fix in Task.Policies.Where(f => f.Kind is PolicyFixKind.Rewrite or PolicyFixKind.Delete))
            {
                changes.Add(new PolicyDocumentChange(CurrentTaskRole.Name, fix.Policy, Pretty(fix.CurrentJson), fix.PolicyJson is null ? null : Pretty(fix.PolicyJson)));
            }
        }
        return changes.ToImmutable();
    }

    private static string Pretty(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        JsonText.Write(text, writer => document.RootElement.WriteTo(writer));
        return text.ToString().ReplaceLineEndings("\n");
    }

    private static IEnumerable<string> ReplacedNotes(Role current)
    {
        var managed = current.Policies.Where(p => p.Source.Kind == SourceKind.ManagedPolicy).Select(p => p.Source.Name).ToList();
        if (managed.Count > 0)
        {
            yield return $"{current.Name}'s permissions come from managed policies ({string.Join(", ", managed)}) too: the written inline policy "
                + $"{ExecutionRoleFix.InlinePolicyName} replaces them, so detach them.";
        }
        var inline = current.Policies.Where(p => p.Source.Kind == SourceKind.InlinePolicy && p.Source.Name != ExecutionRoleFix.InlinePolicyName).Select(p => p.Source.Name).ToList();
        if (inline.Count > 0)
        {
            yield return $"The written inline policy {ExecutionRoleFix.InlinePolicyName} replaces {current.Name}'s inline {(inline.Count == 1 ? "policy" : "policies")} {string.Join(", ", inline)}: delete {(inline.Count == 1 ? "it" : "them")}.";
        }
        if (current.Boundary is not null)
        {
            yield return $"{current.Name} has a permission boundary ({current.Boundary.Source.Name}), left as it is: it must allow what the written policy grants.";
        }
    }

    private static async Task<Role?> FindAsync(IRoleDirectory roles, string reference, string slot, ImmutableArray<string>.Builder unread, CancellationToken cancellationToken)
    {
        switch (await roles.FindAsync(reference, cancellationToken).ConfigureAwait(false))
        {
            case RoleLookup.Found found when found.Role.Problems.IsEmpty:
                return found.Role;
            case RoleLookup.Found found:
                unread.Add($"the {slot} role {reference} was read incompletely ({string.Join("; ", found.Role.Problems.Select(p => $"{p.Source}: {p.Detail}"))})");
                return null;
            case RoleLookup.Unreadable unreadable:
                unread.Add($"the {slot} role {reference} could not be read ({unreadable.Detail})");
                return null;
            default:
                return null; // it does not exist (ERA004): nothing to fix
        }
    }
}

/// <summary>One policy document fix writes or removes.</summary>
/// <param name="Role">The role's name.</param>
/// <param name="Policy">The inline policy (by name) or customer managed policy (by ARN).</param>
/// <param name="Before">The current document, pretty-printed; null when the policy is new.</param>
/// <param name="After">The written document, pretty-printed; null when the policy goes.</param>
public sealed record PolicyDocumentChange(string Role, FindingSource Policy, string? Before, string? After);
