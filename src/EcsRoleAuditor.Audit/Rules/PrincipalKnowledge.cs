using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// What the audit knows of every request made with a role's credentials, from the role alone (IAM User Guide, "AWS
/// global condition context keys"): the principal is a session of that role in its account, its principal tags are the
/// role's tags (ECS passes no session tags), it is no AWS service principal, and the AWS SDKs and the ECS agent call
/// over TLS. Conditions on these keys are decided; conditions on anything else stay undecided.
/// </summary>
internal static class PrincipalKnowledge
{
    private const string PrincipalTagPrefix = "aws:PrincipalTag/";

    /// <summary>The known context of the role's requests.</summary>
    public static KnownContext Of(Role role)
    {
        var known = KnownContext.None
            .With("aws:PrincipalArn", role.Arn)
            .With("aws:PrincipalType", "AssumedRole")
            .With("aws:PrincipalIsAWSService", "false")
            .With("aws:SecureTransport", "true")
            .WithCompletePrefix(PrincipalTagPrefix);
        if (Arn.TryParse(role.Arn, out var arn) && arn.Account.Length > 0)
        {
            known = known.With("aws:PrincipalAccount", arn.Account);
        }
        foreach (var (key, value) in role.Tags)
        {
            known = known.With(PrincipalTagPrefix + key, value);
        }
        return known;
    }
}
