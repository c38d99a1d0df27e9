using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Model;

/// <summary>The name a managed policy or permission boundary goes by in findings: the last segment of its ARN, without the path.</summary>
public static class ManagedPolicyName
{
    /// <summary>The name of the policy <paramref name="policyArn"/> (in any partition); the text itself when it is not an ARN.</summary>
    public static string Of(string policyArn)
    {
        ArgumentNullException.ThrowIfNull(policyArn);
        return Arn.TryParse(policyArn, out var arn) ? arn.ResourceName : policyArn;
    }

    /// <summary>True for an AWS managed policy (account <c>aws</c> in its ARN), which get-account-authorization-details lists under the AWSManagedPolicy filter.</summary>
    public static bool IsAwsManaged(string policyArn) => Arn.TryParse(policyArn, out var arn) && arn.Account == "aws";
}
