namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// The IAM action names of the operations the auditor calls. They name calls in counts and in "access denied" messages,
/// because the action is what a person must grant to the auditor's role.
/// </summary>
public static class AwsActions
{
    /// <summary><c>iam:GetRole</c>.</summary>
    public const string GetRole = "iam:GetRole";
    /// <summary><c>iam:ListRolePolicies</c>.</summary>
    public const string ListRolePolicies = "iam:ListRolePolicies";
    /// <summary><c>iam:GetRolePolicy</c>.</summary>
    public const string GetRolePolicy = "iam:GetRolePolicy";
    /// <summary><c>iam:ListAttachedRolePolicies</c>.</summary>
    public const string ListAttachedRolePolicies = "iam:ListAttachedRolePolicies";
    /// <summary><c>iam:GetPolicy</c>.</summary>
    public const string GetPolicy = "iam:GetPolicy";
    /// <summary><c>iam:GetPolicyVersion</c>.</summary>
    public const string GetPolicyVersion = "iam:GetPolicyVersion";
    /// <summary><c>iam:GetAccountAuthorizationDetails</c>.</summary>
    public const string GetAccountAuthorizationDetails = "iam:GetAccountAuthorizationDetails";
    /// <summary><c>ecs:DescribeTaskDefinition</c>.</summary>
    public const string DescribeTaskDefinition = "ecs:DescribeTaskDefinition";
    /// <summary><c>ecs:ListTaskDefinitions</c>.</summary>
    public const string ListTaskDefinitions = "ecs:ListTaskDefinitions";
    /// <summary><c>ecs:ListTaskDefinitionFamilies</c>.</summary>
    public const string ListTaskDefinitionFamilies = "ecs:ListTaskDefinitionFamilies";
}
