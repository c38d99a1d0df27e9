using System.Collections.Immutable;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>The CloudTrail event names the auditor acts on; the template's EventBridge rules list exactly these (a test checks).</summary>
public static class HandledEventNames
{
    /// <summary>RegisterTaskDefinition.</summary>
    public const string RegisterTaskDefinition = "RegisterTaskDefinition";

    /// <summary>ECS calls that start tasks and may swap roles with <c>overrides</c>.</summary>
    public static ImmutableArray<string> TaskStarts { get; } = ["RunTask", "StartTask"];

    /// <summary>IAM calls that change a role's permissions or trust, naming the role in <c>requestParameters.roleName</c>.</summary>
    public static ImmutableArray<string> RoleChanges { get; } =
    [
        "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy",
        "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
    ];

    /// <summary>IAM calls that change a managed policy's default version, naming it in <c>requestParameters.policyArn</c>.</summary>
    public static ImmutableArray<string> ManagedPolicyChanges { get; } = ["CreatePolicyVersion", "SetDefaultPolicyVersion"];
}
