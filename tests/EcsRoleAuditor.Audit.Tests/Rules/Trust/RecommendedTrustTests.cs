using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Trust.TrustScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.Trust;

/// <summary>
/// The trust the findings recommend is the one AWS documents for the task's own partition, region and account:
/// <c>"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-west-2:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}</c>
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html). ARNs carry their partition
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html), so a recommendation that hard-codes <c>aws</c>
/// would never match in China or GovCloud.
/// </summary>
public class RecommendedTrustTests
{
    private const string TrustsEc2 = """{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}""";

    [Theory]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3", "arn:aws:iam::111122223333:role/web-task", "arn:aws:ecs:eu-west-1:111122223333:*")]
    [InlineData("arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/web:3", "arn:aws-cn:iam::111122223333:role/web-task", "arn:aws-cn:ecs:cn-north-1:111122223333:*")]
    [InlineData("arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/web:3", "arn:aws-us-gov:iam::111122223333:role/web-task", "arn:aws-us-gov:ecs:us-gov-west-1:111122223333:*")]
    [InlineData(null, "arn:aws-cn:iam::111122223333:role/web-task", "arn:aws-cn:ecs:*:111122223333:*")]
    public async Task ERA010_recommends_the_trust_of_the_tasks_partition_region_and_account(string? taskDefinitionArn, string roleArn, string sourceArn)
    {
        var report = await AuditTrust(TrustsEc2, taskDefinitionArn, roleArn);

        var finding = Assert.Single(report.Of(EcsTasksNotTrustedRule.Rule));
        Assert.Contains(
            $$$"""
            "Condition":{"ArnLike":{"aws:SourceArn":"{{{sourceArn}}}"},"StringEquals":{"aws:SourceAccount":"111122223333"}}
            """,
            finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ERA012_recommends_the_condition_of_the_tasks_region()
    {
        var report = await AuditTrust("""{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}""");

        var finding = Assert.Single(report.Of(NoConfusedDeputyGuardRule.Rule));
        Assert.Contains("\"aws:SourceArn\":\"arn:aws:ecs:eu-west-1:111122223333:*\"", finding.Remediation, StringComparison.Ordinal);
    }
}
