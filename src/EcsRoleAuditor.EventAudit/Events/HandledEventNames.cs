using System.Collections.Immutable;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>The CloudTrail event names the auditor acts on; the template's EventBridge rules list exactly these (a test checks).</summary>
public static class HandledEventNames
{
    /// <summary>RegisterTaskDefinition.</summary>
    public const string RegisterTaskDefinition = "RegisterTaskDefinition";

    /// <summary>DeregisterTaskDefinition: the family's newest ACTIVE revision may now be an older one, or none.</summary>
    public const string DeregisterTaskDefinition = "DeregisterTaskDefinition";

    /// <summary>ECS calls that start tasks and may swap roles with <c>overrides</c>.</summary>
    public static ImmutableArray<string> TaskStarts { get; } = ["RunTask", "StartTask"];

    /// <summary>
    /// ECS calls that add or remove tags; the auditor acts on those that change <c>ecs-role-auditor:suppress</c> on a task
    /// definition.
    /// </summary>
    public static ImmutableArray<string> TagChanges { get; } = ["TagResource", "UntagResource"];

    /// <summary>
    /// IAM calls that change a role's permissions, trust or tags, naming the role in <c>requestParameters.roleName</c>.
    /// Any tag counts: role tags decide <c>aws:PrincipalTag</c> conditions as well as suppressions.
    /// </summary>
    public static ImmutableArray<string> RoleChanges { get; } =
    [
        "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy",
        "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
        "TagRole", "UntagRole",
    ];

    /// <summary>IAM calls that change a managed policy's default version, naming it in <c>requestParameters.policyArn</c>.</summary>
    public static ImmutableArray<string> ManagedPolicyChanges { get; } = ["CreatePolicyVersion", "SetDefaultPolicyVersion"];
}
