namespace EcsRoleAuditor.Audit.Reporting.SecurityHub;

/// <summary>
/// The <c>ProductFields</c> keys every finding carries, for GetFindings filters (comparison <c>EQUALS</c>) and
/// reconciliation. Prefixed with the tool's name, as Security Hub prefixes its own (<c>aws/securityhub/...</c>); each
/// key at most 128 characters and each value at most 2,048 (AWS Security Hub API Reference, "AwsSecurityFinding").
/// </summary>
public static class AsffProductFields
{
    /// <summary>The task definition family: all findings of one family, whatever the revision.</summary>
    public const string Family = "ecs-role-auditor/family";

    /// <summary>The task definition ARN (with revision) the finding was last written from.</summary>
    public const string TaskDefinitionArn = "ecs-role-auditor/taskDefinitionArn";

    /// <summary>The rule ID, e.g. <c>ERA021</c> (also the <c>GeneratorId</c>).</summary>
    public const string RuleId = "ecs-role-auditor/ruleId";

    /// <summary><c>task</c>, <c>execution</c> or <c>taskDefinition</c>.</summary>
    public const string RoleSlot = "ecs-role-auditor/roleSlot";

    /// <summary>Where the finding sits: the policy and statement, as reports write it (cut to the value limit).</summary>
    public const string Source = "ecs-role-auditor/source";

    /// <summary>The actions involved, comma-separated, cut to the value limit with <c>(+N more)</c>; absent when none.</summary>
    public const string Actions = "ecs-role-auditor/actions";

    /// <summary>The version of ecs-role-auditor that wrote the finding.</summary>
    public const string ToolVersion = "ecs-role-auditor/toolVersion";

    /// <summary>Every key, in the order they are written.</summary>
    public static IReadOnlyList<string> All { get; } = [Family, TaskDefinitionArn, RuleId, RoleSlot, Source, Actions, ToolVersion];
}
