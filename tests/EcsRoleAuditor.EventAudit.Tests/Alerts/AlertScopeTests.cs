using EcsRoleAuditor.EventAudit.Alerts;

namespace EcsRoleAuditor.EventAudit.Tests.Alerts;

public sealed class AlertScopeTests
{
    // arn:partition:service:region:account:resource, partitions aws, aws-cn and aws-us-gov
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
    [Theory]
    [InlineData("arn:aws:lambda:eu-west-1:111122223333:function:auditor", "aws", "eu-west-1")]
    [InlineData("arn:aws-cn:lambda:cn-northwest-1:111122223333:function:auditor", "aws-cn", "cn-northwest-1")]
    [InlineData("arn:aws-us-gov:ecs:us-gov-east-1:111122223333:task-definition/web:3", "aws-us-gov", "us-gov-east-1")]
    public void The_scope_of_an_arn_is_its_partition_region_and_account(string arn, string partition, string region)
    {
        Assert.Equal(new AlertScope(partition, region, "111122223333"), AlertScope.FromArn(arn));
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::111122223333:role/web")]
    [InlineData("arn:aws:sns:eu-west-1::alerts")]
    [InlineData("arn:aws:lambda:eu-west-1")]
    [InlineData("web")]
    [InlineData("")]
    [InlineData(null)]
    public void An_arn_without_region_or_account_or_no_arn_has_no_scope(string? arn)
    {
        Assert.Null(AlertScope.FromArn(arn));
    }
}
