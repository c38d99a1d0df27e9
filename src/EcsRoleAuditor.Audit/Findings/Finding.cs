using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Findings;

/// <summary>Which of a task definition's roles a finding is about.</summary>
public enum RoleSlot
{
    /// <summary>The task role (<c>taskRoleArn</c>): the application's permissions.</summary>
    Task,
    /// <summary>The task execution role (<c>executionRoleArn</c>): what the ECS agent needs to start the task.</summary>
    Execution,
    /// <summary>The task definition itself, or both roles at once.</summary>
    TaskDefinition,
}

/// <summary>Where a finding comes from: a policy (inline, managed, boundary, trust) or a task definition field.</summary>
/// <param name="Kind">The kind of source.</param>
/// <param name="Name">The policy name or the task definition field path, e.g. <c>containerDefinitions[0].secrets[1]</c>.</param>
/// <param name="Arn">The managed policy or boundary ARN.</param>
/// <param name="VersionId">The managed policy version, e.g. <c>v3</c>.</param>
public sealed record FindingSource(SourceKind Kind, string Name, string? Arn = null, string? VersionId = null)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        SourceKind.ManagedPolicy or SourceKind.PermissionBoundary => $"{KindName} {Arn ?? Name}{(VersionId is null ? "" : " (" + VersionId + ")")}",
        _ => $"{KindName} {Name}",
    };

    /// <summary>True for a managed policy or boundary owned by AWS (<c>arn:&lt;partition&gt;:iam::aws:policy/...</c>): nobody else can edit it.</summary>
    public bool IsAwsManagedPolicy =>
        Kind is SourceKind.ManagedPolicy or SourceKind.PermissionBoundary && Policy.Model.Arn.TryParse(Arn, out var arn) && arn.IsAwsManagedPolicy;

    /// <summary>The kind as the report writes it: <c>inline policy</c>, <c>managed policy</c>, ...</summary>
    public string KindName => Kind switch
    {
        SourceKind.InlinePolicy => "inline policy",
        SourceKind.ManagedPolicy => "managed policy",
        SourceKind.PermissionBoundary => "permission boundary",
        SourceKind.TrustPolicy => "trust policy",
        SourceKind.TaskDefinition => "task definition",
        _ => "role",
    };
}

/// <summary>The kinds of <see cref="FindingSource"/>.</summary>
public enum SourceKind
{
    /// <summary>A policy embedded in the role.</summary>
    InlinePolicy,
    /// <summary>A managed policy attached to the role (AWS managed or customer managed).</summary>
    ManagedPolicy,
    /// <summary>The role's permission boundary.</summary>
    PermissionBoundary,
    /// <summary>The role's trust (assume role) policy.</summary>
    TrustPolicy,
    /// <summary>A field of the task definition.</summary>
    TaskDefinition,
    /// <summary>The role as a whole (its existence, path, name).</summary>
    Role,
}

/// <summary>One violation of the role-responsibility model, with everything a person needs to act on it.</summary>
public sealed record Finding
{
    /// <summary>The rule the finding is of.</summary>
    public required RuleDescriptor Rule { get; init; }
    /// <summary>The rule's stable ID, e.g. <c>ERA021</c>, as reports and logs write it.</summary>
    public string RuleId => Rule.Id;
    /// <summary>The severity (the rule's default, possibly lowered for conditional grants or raised by the rule).</summary>
    public required Severity Severity { get; init; }
    /// <summary>The role the finding is about; null when the task definition names none.</summary>
    public required string? RoleArn { get; init; }
    /// <summary>Which role of the task definition.</summary>
    public required RoleSlot RoleSlot { get; init; }
    /// <summary>The policy or task definition field that causes it.</summary>
    public required FindingSource Source { get; init; }
    /// <summary>The statement (Sid, or <c>#index</c>) that causes it, when a statement does.</summary>
    public string? Statement { get; init; }
    /// <summary>The concrete actions involved (expanded from patterns).</summary>
    public ImmutableArray<string> Actions { get; init; } = [];
    /// <summary>The resources involved (ARNs or patterns).</summary>
    public ImmutableArray<string> Resources { get; init; } = [];
    /// <summary>The condition under which the grant holds, when it holds only under one; null when unconditional.</summary>
    public string? Conditional { get; init; }
    /// <summary>One sentence: what is wrong.</summary>
    public required string Message { get; init; }
    /// <summary>What to do: for misplaced permissions the statement to move and where, for missing ones the statement to add.</summary>
    public required string Remediation { get; init; }
    /// <summary>The changes the remediation asks for, structured (empty when it asks for none a tool could check, such as reading access for the auditor).</summary>
    public ImmutableArray<ProposedChange> Changes { get; init; } = [];
    /// <summary>True when a suppression matched; the finding stays in the report.</summary>
    public bool Suppressed { get; init; }
    /// <summary>Why it was suppressed (the tag or configuration entry and its reason).</summary>
    public string? SuppressionReason { get; init; }
}
