using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Pipeline;

/// <summary>What one run audits: named task definitions, every ACTIVE one, or the ACTIVE ones a role or managed policy shapes.</summary>
public abstract record AuditTargets
{
    private AuditTargets()
    {
    }

    /// <summary>These task definitions, described from ECS unless given.</summary>
    public sealed record Named(IReadOnlyList<TaskDefinitionTarget> Targets) : AuditTargets
    {
        /// <summary>True when the targets were just registered, so each is its family's newest ACTIVE revision.</summary>
        public bool JustRegistered { get; init; }
    }

    /// <summary>
    /// The family's newest ACTIVE revision, found by listing that family (not by describing it: a family with no
    /// ACTIVE revision left is an answer, not a failure).
    /// </summary>
    public sealed record NewestActive(string Family) : AuditTargets
    {
        /// <summary>True when the family's tags just changed: the answer the revision cache keeps is replaced.</summary>
        public bool TagsChanged { get; init; }

        /// <summary>The revision just deregistered, if any: when the listing names it (not deregistered yet as far as the listing shows) or a newer one (the newest did not change), nothing is audited.</summary>
        public int? Deregistered { get; init; }
    }

    /// <summary>The latest ACTIVE revision of every family, or every ACTIVE revision.</summary>
    public sealed record AllActive(bool AllRevisions) : AuditTargets;

    /// <summary>The ACTIVE task definitions whose task or execution role is this role (by name, as IAM names ignore case).</summary>
    public sealed record UsingRole(string RoleName, bool AllRevisions) : AuditTargets;

    /// <summary>The ACTIVE task definitions whose roles attach this managed policy or have it as permission boundary.</summary>
    public sealed record UsingManagedPolicy(string PolicyArn, bool AllRevisions) : AuditTargets;
}

/// <summary>A task definition to audit.</summary>
/// <param name="Reference">As named: ARN, <c>family:revision</c> or family (its latest ACTIVE revision).</param>
/// <param name="Definition">The task definition when the caller has it already (an event carries it, a file holds it); described from ECS when null.</param>
/// <param name="TaskRoleOverride">A task role a RunTask/StartTask override puts in place of the definition's.</param>
/// <param name="ExecutionRoleOverride">An execution role an override puts in place of the definition's.</param>
public sealed record TaskDefinitionTarget(string Reference, TaskDefinition? Definition = null, string? TaskRoleOverride = null, string? ExecutionRoleOverride = null);
