namespace EcsRoleAuditor.Audit.Findings;

/// <summary>The kinds of change a finding proposes.</summary>
public enum ChangeKind
{
    /// <summary>Add Allow statements to the role, in an inline or customer managed policy (<see cref="ProposedChange.PolicyJson"/> holds them).</summary>
    AddStatements,
    /// <summary>Edit one statement of an inline or customer managed policy.</summary>
    EditStatement,
    /// <summary>Remove one statement of an inline or customer managed policy.</summary>
    RemoveStatement,
    /// <summary>Detach a managed policy from the role.</summary>
    DetachPolicy,
    /// <summary>Attach a managed policy to the role.</summary>
    AttachPolicy,
    /// <summary>Change the role's permission boundary.</summary>
    EditBoundary,
    /// <summary>Change the role's trust policy.</summary>
    EditTrustPolicy,
    /// <summary>Create a role (its trust and permissions in <see cref="ProposedChange.PolicyJson"/> when known).</summary>
    CreateRole,
    /// <summary>Register a task definition revision (naming other roles, moving a value to secrets...).</summary>
    RegisterRevision,
}

/// <summary>
/// One change a finding's remediation asks for, in a form tools can check and apply (the remediation text says the same
/// in words). Every change is one AWS allows: no edit of an AWS managed policy, nothing on a service-linked role.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="RoleArn">The role to change, when the change is to a role.</param>
/// <param name="Policy">The policy to change, attach or detach.</param>
/// <param name="Statement">The statement to edit or remove (its Sid or #index).</param>
/// <param name="PolicyJson">The statements to add, as a JSON array of statements, or a new role's policy document.</param>
public sealed record ProposedChange(ChangeKind Kind, string? RoleArn, FindingSource? Policy = null, string? Statement = null, string? PolicyJson = null);
