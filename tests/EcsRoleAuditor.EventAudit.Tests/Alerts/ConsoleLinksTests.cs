using EcsRoleAuditor.EventAudit.Alerts;

namespace EcsRoleAuditor.EventAudit.Tests.Alerts;

public sealed class ConsoleLinksTests
{
    [Theory]
    [InlineData("aws", "eu-west-1", "https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/web/3?region=eu-west-1")]
    [InlineData("aws-cn", "cn-north-1", "https://cn-north-1.console.amazonaws.cn/ecs/v2/task-definitions/web/3?region=cn-north-1")]
    [InlineData("aws-us-gov", "us-gov-west-1", "https://console.amazonaws-us-gov.com/ecs/v2/task-definitions/web/3?region=us-gov-west-1")]
    public void Task_definition_links_follow_the_partition_and_region(string partition, string region, string expected) =>
        Assert.Equal(expected, ConsoleLinks.TaskDefinition(new AlertScope(partition, region, "111122223333"), "web", 3));

    [Theory]
    [InlineData("billing_worker-2", null, "https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/billing_worker-2?region=eu-west-1")]
    [InlineData("ACTIVE task definitions", null, "https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions?region=eu-west-1")]
    [InlineData("the task definitions whose roles use arn:aws:iam::aws:policy/ReadOnlyAccess", null, "https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions?region=eu-west-1")]
    [InlineData("web/../../iam", 3, "https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions?region=eu-west-1")]
    public void A_name_that_is_not_a_family_links_the_task_definition_list(string family, int? revision, string expected) =>
        Assert.Equal(expected, ConsoleLinks.TaskDefinition(SampleAlerts.Scope, family, revision));

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/service-role/orders-api-execution", "orders-api-execution")]
    [InlineData("legacy-reports", "legacy-reports")]
    public void Role_links_use_the_role_name_of_an_arn_or_a_bare_name(string reference, string name) =>
        Assert.Equal($"https://eu-west-1.console.aws.amazon.com/iam/home?region=eu-west-1#/roles/details/{name}",
            ConsoleLinks.Role(SampleAlerts.Scope, reference));

    // The GovCloud (US) IAM console is https://console.amazonaws-us-gov.com/iam
    // (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/configure-account.html); China's consoles are regional hosts
    // of console.amazonaws.cn, as the ECS Developer Guide links them
    // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html).
    [Theory]
    [InlineData("aws-cn", "cn-north-1", "arn:aws-cn:iam::111122223333:role/service-role/web-execution",
        "https://cn-north-1.console.amazonaws.cn/iam/home?region=cn-north-1#/roles/details/web-execution")]
    [InlineData("aws-us-gov", "us-gov-west-1", "arn:aws-us-gov:iam::111122223333:role/web-execution",
        "https://console.amazonaws-us-gov.com/iam/home?region=us-gov-west-1#/roles/details/web-execution")]
    public void Role_links_follow_the_partition_and_name_the_role_of_an_arn_in_it(string partition, string region, string reference, string expected)
    {
        Assert.Equal(expected, ConsoleLinks.Role(new AlertScope(partition, region, "111122223333"), reference));
        Assert.Equal("web-execution", ConsoleLinks.RoleName(reference));
    }
}
