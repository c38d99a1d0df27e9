using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Configuration;

public sealed class AuditorSettingsTests
{
    [Theory]
    [InlineData("arn:aws:sns:eu-west-1:111122223333:ecs-role-auditor-alerts", "111122223333")]
    [InlineData("arn:aws-cn:sns:cn-north-1:444455556666:alerts", "444455556666")]
    [InlineData("arn:aws-us-gov:sns:us-gov-west-1:777788889999:alerts", "777788889999")]
    [InlineData("arn:aws:sns:eu-west-1::alerts", null)]
    [InlineData("arn:aws:sns:eu-west-1", null)]
    [InlineData("alerts", null)]
    public void The_account_is_the_alert_topics_account_field(string topicArn, string? account)
    {
        Assert.Equal(account, new AuditorSettings(topicArn, Severity.Medium, [], false, LogLevel.Info).AccountId);
    }
}
