using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws.Tests;

public sealed class EcsCliTests(DemoServer demo) : IClassFixture<DemoServer>
{
    [Fact]
    public async Task Describe_task_definition_by_family_prints_the_latest_active_revision_as_the_source_file_has_it()
    {
        var aws = demo.Fresh();
        var printed = (await AwsCli.RunAsync(aws, "ecs", "describe-task-definition", "--task-definition", "orders-api", "--include", "TAGS")).Json();

        var source = JsonNode.Parse(File.ReadAllText(DemoAccount.TaskDefinitionsPath))![0]!;
        // Timestamps travel as epoch seconds and come back as the CLI's ISO 8601 text: the round trip is exact.
        Assert.True(JsonNode.DeepEquals(source["taskDefinition"], printed["taskDefinition"]), printed["taskDefinition"]!.ToJsonString());
        Assert.Equal("[]", printed["tags"]!.ToJsonString());
        var call = Assert.Single(aws.Calls.All);
        Assert.Equal(new SigV4Scope(AwsCli.AccessKeyId, call.Scope!.Date, "eu-west-1", "ecs"), call.Scope);
        Assert.Equal("""["TAGS"]""", call.Parameters["include"]);
    }

    [Fact]
    public async Task Describe_task_definition_finds_family_revision_and_arn()
    {
        var aws = demo.Fresh();
        var byRevision = (await AwsCli.RunAsync(aws, "ecs", "describe-task-definition", "--task-definition", "orders-api:5")).Json();
        var byArn = (await AwsCli.RunAsync(aws, "ecs", "describe-task-definition", "--task-definition", "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12")).Json();

        Assert.Equal("INACTIVE", byRevision["taskDefinition"]!["status"]!.GetValue<string>());
        Assert.Null(byRevision["tags"]);
        Assert.Equal("billing-worker", byArn["taskDefinition"]!["family"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_task_definitions_of_a_family_newest_first_is_merged_across_pages_of_one()
    {
        var aws = demo.Fresh();
        aws.MaxPageSize = 1;
        var printed = (await AwsCli.RunAsync(aws, "ecs", "list-task-definitions", "--family-prefix", "orders-api", "--sort", "DESC")).Json();

        Assert.Equal(
            """["arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:7","arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:6"]""",
            printed["taskDefinitionArns"]!.ToJsonString());
        Assert.Equal(2, aws.CallCount("ListTaskDefinitions"));
    }

    [Fact]
    public async Task List_task_definition_families_filters_by_prefix_and_status()
    {
        var aws = demo.Fresh();
        var all = (await AwsCli.RunAsync(aws, "ecs", "list-task-definition-families")).Json();
        var prefixed = (await AwsCli.RunAsync(aws, "ecs", "list-task-definition-families", "--family-prefix", "b", "--status", "ACTIVE")).Json();

        Assert.Equal("""["billing-worker","legacy-reports","orders-api"]""", all["families"]!.ToJsonString());
        Assert.Equal("""["billing-worker"]""", prefixed["families"]!.ToJsonString());
    }

    [Fact]
    public async Task Unknown_task_definition_makes_the_cli_fail_with_client_exception()
    {
        var aws = demo.Fresh();
        var result = await AwsCli.RunAsync(aws, "ecs", "describe-task-definition", "--task-definition", "nope:1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ClientException", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Unable to describe task definition.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denied_describe_makes_the_cli_fail_with_access_denied_exception()
    {
        var aws = demo.Fresh();
        aws.Faults.DenyAccess("DescribeTaskDefinition", resource: "legacy-reports");
        var result = await AwsCli.RunAsync(aws, "ecs", "describe-task-definition", "--task-definition", "legacy-reports");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AccessDeniedException", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: ecs:DescribeTaskDefinition", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(400, Assert.Single(aws.Calls.All).StatusCode);
    }

    [Fact]
    public async Task The_cli_retries_a_server_exception_and_then_succeeds()
    {
        var aws = demo.Fresh();
        aws.Faults.Fail("ListTaskDefinitionFamilies", statusCode: 500, times: 1);
        var result = await AwsCli.RunAsync(aws, "eu-west-1", new Dictionary<string, string> { ["AWS_MAX_ATTEMPTS"] = "2", ["AWS_RETRY_MODE"] = "standard" },
            "ecs", "list-task-definition-families");

        Assert.Equal(3, result.Json()["families"]!.AsArray().Count);
        Assert.Equal([(500, "ServerException", "Fail"), (200, null, null)], aws.Calls.All.Select(c => (c.StatusCode, c.ErrorCode, c.Fault)));
    }
}
