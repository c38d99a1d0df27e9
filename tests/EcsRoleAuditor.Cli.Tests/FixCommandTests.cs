using System.Text.Json;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary><c>fix</c>: the execution role written from task definition files, and <c>--verify</c>, end to end through the command line.</summary>
public sealed class FixCommandTests : IDisposable
{
    private readonly ScratchFolder _dir = new("era-fix-");

    public void Dispose() => _dir.Dispose();

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
