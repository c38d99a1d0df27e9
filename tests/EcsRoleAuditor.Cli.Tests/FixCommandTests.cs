using System.Text.Json;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>fix</c>: the execution role written from task definition files, and <c>--verify</c>, end to end through the command
/// line; <c>--live</c> as a process against the fake AWS holding the demo account (as <see cref="LiveAuditTests"/> runs it).
/// </summary>
public sealed class FixCommandTests : IAsyncLifetime, IDisposable
{
    private readonly ScratchFolder _dir = new("era-fix-");
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync() =>
        _aws = await FakeAwsServer.StartAsync(FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions));

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Live(params string[] args) => CliProcess.RunAsync(_aws.ClientEnvironment(), ["fix", "--live", .. args]);

    private static List<string?> TaskDefinitions(CliRun run) =>
        [.. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray().Select(f => f.GetProperty("taskDefinition").GetString())];

    [Fact]
    public async Task Live_task_definition_gets_the_same_role_as_from_the_file()
    {
        var live = await Live("--task-definition", "billing-worker:12", "--verify");
        var file = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--task-definition", "billing-worker:12", "--verify");

        Assert.Equal(0, live.ExitCode);
        Assert.Equal(file.Stdout, live.Stdout);
        Assert.Equal(1, _aws.CallCount("DescribeTaskDefinition"));
        // The role is written from the task definition alone: IAM is not read, even to verify.
        Assert.Equal(_aws.Calls.All.Count, _aws.CallCount("DescribeTaskDefinition"));
    }

    [Fact]
    public async Task Live_all_writes_the_role_of_every_active_family()
    {
        var run = await Live("--all", "--verify");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["billing-worker:12", "legacy-reports:3", "orders-api:7"], TaskDefinitions(run).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_task_definition_that_cannot_be_read_is_named_and_the_others_are_still_written()
    {
        _aws.Faults.DenyAccess("DescribeTaskDefinition", resource: "orders-api");

        var run = await Live("--task-definition", "orders-api:7", "--task-definition", "billing-worker:12", "--task-definition", "no-such-family", "--verify");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(["billing-worker:12"], TaskDefinitions(run));
        Assert.Contains("orders-api:7 could not be read: DescribeTaskDefinition failed (", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("no-such-family could not be read", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fix", "--live", "--all", "--task-definitions", "TASK_DEFINITIONS")]
    [InlineData("fix", "--live", "--all", "--task-definition", "orders-api")]
    [InlineData("fix", "--live")]
    [InlineData("fix", "--task-definitions", "TASK_DEFINITIONS", "--all")]
    [InlineData("fix", "--task-definitions", "TASK_DEFINITIONS", "--region", "eu-west-1")]
    public void Live_options_out_of_place_are_a_usage_error(params string[] args)
    {
        var run = CliRun.Of([.. args.Select(a => a == "TASK_DEFINITIONS" ? DemoFiles.TaskDefinitions : a)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Demo_task_definitions_get_execution_roles_that_verify()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--verify");

        Assert.Equal(0, run.ExitCode);
        var fixes = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray().ToList();
        Assert.Equal(["orders-api:7", "billing-worker:12", "legacy-reports:3"], fixes.Select(f => f.GetProperty("taskDefinition").GetString()));
        Assert.All(fixes, f => Assert.True(f.GetProperty("verification").GetProperty("holds").GetBoolean()));
        // legacy-reports shares one role between both slots: it gets an execution role of its own.
        Assert.True(fixes[2].GetProperty("executionRole").GetProperty("create").GetBoolean());
        Assert.Equal("2012-10-17", fixes[0].GetProperty("executionRole").GetProperty("policy").GetProperty("Version").GetString());
    }

    [Fact]
    public void Task_definition_option_picks_one_and_without_verify_there_is_no_verification()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--task-definition", "orders-api:7");

        Assert.Equal(0, run.ExitCode);
        var fix = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray());
        Assert.Equal("arn:aws:iam::111122223333:role/service-role/orders-api-execution", fix.GetProperty("executionRole").GetProperty("arn").GetString());
        Assert.False(fix.TryGetProperty("verification", out _));
    }

    [Fact]
    public void A_role_left_with_a_placeholder_does_not_verify()
    {
        var file = _dir.Write("no-arn.json", """{"taskDefinition":{"family":"web\u202eevil","executionRoleArn":"web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]}}""");

        var run = CliRun.Of("fix", "--task-definitions", file, "--verify");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not verify", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202e', run.Stdout + run.Stderr);
        var fix = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray());
        Assert.Equal("web\u202eevil", fix.GetProperty("taskDefinition").GetString());
        Assert.Equal(JsonValueKind.Null, fix.GetProperty("executionRole").GetProperty("policy").ValueKind);
        Assert.Single(fix.GetProperty("verification").GetProperty("unfinished").EnumerateArray());
    }

    [Fact]
    public void Bad_input_is_one_line_naming_the_file()
    {
        var file = _dir.Write("broken.json", "{\"taskDefinition\":");

        var run = CliRun.Of("fix", "--task-definitions", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("broken.json", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--task-definition", "nope:1")]
    [InlineData("--format", "terraform")]
    public void Unknown_task_definition_or_format_is_a_usage_error(string option, string value)
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(value, run.Stderr, StringComparison.Ordinal);
    }
}
