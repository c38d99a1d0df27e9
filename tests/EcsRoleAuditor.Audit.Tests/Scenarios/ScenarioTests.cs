using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Scenarios;

public sealed class ScenarioTests
{
    private static Scenario InPartition(string partition) => Scenario.Parse("""
        {"taskDefinition":{"family":"web","taskRoleArn":"web-task","executionRoleArn":"arn:PARTITION:iam::111122223333:role/service-role/web-execution",
                           "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
         "roles":[{"arn":"arn:PARTITION:iam::111122223333:role/web-task",
                   "managed":{"arn:PARTITION:iam::aws:policy/ReadOnlyAccess":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}},
                   "boundary":{"arn":"arn:PARTITION:iam::111122223333:policy/boundaries/app-boundary","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}},
                  {"arn":"arn:PARTITION:iam::111122223333:role/service-role/web-execution","path":"/service-role/"}]}
        """.Replace("PARTITION", partition, StringComparison.Ordinal), "scenario.json");

    private static Role Found(RoleLookup lookup) => Assert.IsType<RoleLookup.Found>(lookup).Role;

    // The trust policy the ECS Developer Guide recommends for task roles ties aws:SourceArn to the account's ECS resources
    // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html), whose ARNs carry the partition
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
    [Theory]
    [InlineData("aws")]
    [InlineData("aws-cn")]
    [InlineData("aws-us-gov")]
    public async Task A_role_without_trust_gets_the_recommended_trust_in_its_own_partition(string partition)
    {
        var role = Found(await InPartition(partition).FindAsync("web-task", default));

        var condition = Assert.Single(role.TrustPolicy!.Document.Statements).Conditions;
        Assert.Contains(condition, c => c.Key == "aws:SourceArn" && c.Values.SequenceEqual([$"arn:{partition}:ecs:*:111122223333:*"]));
        Assert.Contains($"\"arn:{partition}:ecs:*:111122223333:*\"", Scenario.RecommendedTrust(partition, "111122223333"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws-cn")]
    [InlineData("aws-us-gov")]
    public async Task Roles_and_policies_in_china_and_govcloud_are_named_as_in_the_standard_partition(string partition)
    {
        var scenario = InPartition(partition);

        var task = Found(await scenario.FindAsync($"arn:{partition}:iam::111122223333:role/web-task", default));
        var execution = Found(await scenario.FindAsync(scenario.TaskDefinition.ExecutionRoleArn!, default));

        Assert.Equal(("web-task", "web-execution"), (task.Name, execution.Name));
        Assert.Equal((SourceKind.ManagedPolicy, "ReadOnlyAccess", true), (task.Policies[0].Source.Kind, task.Policies[0].Source.Name, task.Policies[0].Source.IsAwsManagedPolicy));
        Assert.Equal(("app-boundary", false), (task.Boundary!.Source.Name, task.Boundary.Source.IsAwsManagedPolicy));
    }

    [Fact]
    public async Task An_arn_finds_only_the_role_with_that_arn_and_a_bare_name_the_role_of_that_name()
    {
        var scenario = InPartition("aws-cn");

        Assert.IsType<RoleLookup.NotFound>(await scenario.FindAsync("arn:aws:iam::111122223333:role/web-task", default));
        Assert.IsType<RoleLookup.NotFound>(await scenario.FindAsync("arn:aws-cn:iam::111122223333:role/other-path/web-task", default));
        Assert.Equal("web-task", Found(await scenario.FindAsync("WEB-TASK", default)).Name);
    }
}
