using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Pipeline;

/// <summary>One account and region of a run that covers several (the CLI's <c>--accounts</c>/<c>--organization</c>).</summary>
/// <param name="AccountId">The 12-digit account.</param>
/// <param name="Region">The region.</param>
public sealed record AccountRegion(string AccountId, string Region)
{
    /// <summary>The ARN of a task definition revision in this account and region.</summary>
    public string TaskDefinitionArn(string family, int revision) =>
        Arn.Create(AwsConnection.PartitionOf(Region), "ecs", Region, AccountId, $"task-definition/{family}:{revision}").ToString();

    /// <summary><c>account 111122223333 in eu-west-1</c> (<see cref="MemberAudit.Name"/>).</summary>
    public override string ToString() => MemberAudit.Name(AccountId, Region);
}
