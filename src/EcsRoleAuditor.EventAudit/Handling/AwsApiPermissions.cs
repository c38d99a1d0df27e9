using System.Collections.Immutable;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The IAM action each AWS API method the function can call needs: the source of the function's least-privilege policy
/// in template.yaml (a test checks that the table covers every method of the API interfaces and that the template grants
/// exactly these actions, plus the KMS actions publishing to the encrypted topic needs).
/// </summary>
public static class AwsApiPermissions
{
    /// <summary>Interface method (<c>IIamApi.GetRoleAsync</c>) → IAM action (<c>iam:GetRole</c>).</summary>
    public static ImmutableDictionary<string, string> ByMethod { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Key(nameof(IIamApi), nameof(IIamApi.GetRoleAsync))] = "iam:GetRole",
        [Key(nameof(IIamApi), nameof(IIamApi.ListRolePoliciesAsync))] = "iam:ListRolePolicies",
        [Key(nameof(IIamApi), nameof(IIamApi.GetRolePolicyAsync))] = "iam:GetRolePolicy",
        [Key(nameof(IIamApi), nameof(IIamApi.ListAttachedRolePoliciesAsync))] = "iam:ListAttachedRolePolicies",
        [Key(nameof(IIamApi), nameof(IIamApi.GetPolicyAsync))] = "iam:GetPolicy",
        [Key(nameof(IIamApi), nameof(IIamApi.GetPolicyVersionAsync))] = "iam:GetPolicyVersion",
        [Key(nameof(IIamApi), nameof(IIamApi.GetAccountAuthorizationDetailsAsync))] = "iam:GetAccountAuthorizationDetails",
        [Key(nameof(IEcsApi), nameof(IEcsApi.DescribeTaskDefinitionAsync))] = "ecs:DescribeTaskDefinition",
        [Key(nameof(IEcsApi), nameof(IEcsApi.ListTaskDefinitionsAsync))] = "ecs:ListTaskDefinitions",
        [Key(nameof(IEcsApi), nameof(IEcsApi.ListTaskDefinitionFamiliesAsync))] = "ecs:ListTaskDefinitionFamilies",
        [Key(nameof(ISnsApi), nameof(ISnsApi.PublishAsync))] = "sns:Publish",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>What publishing to a topic encrypted with a customer managed KMS key needs besides sns:Publish.</summary>
    public static ImmutableArray<string> EncryptedTopicPublish { get; } = ["kms:GenerateDataKey", "kms:Decrypt"];

    /// <summary>Every action the function's role must hold, sorted.</summary>
    public static ImmutableArray<string> AllActions { get; } =
        [.. ByMethod.Values.Concat(EncryptedTopicPublish).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string Key(string type, string method) => $"{type}.{method}";
}
