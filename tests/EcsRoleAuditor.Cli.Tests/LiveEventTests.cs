using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>event</c> end to end against the fake AWS: the CLI as a process, its SDK clients pointed at the fake through the
/// environment, the demo account and an alert topic on the other side.
/// </summary>
public sealed class LiveEventTests : IAsyncLifetime
{
    private const string RunTask = "run-task-with-role-overrides.json";
    private const string Violating = "register-task-definition-violating.json";
    private FakeAwsServer _aws = null!;
    private string _topic = null!;

    public async Task InitializeAsync()
    {
        var account = FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions);
        _topic = account.AddTopic("ecs-role-auditor-alerts");
        _aws = await FakeAwsServer.StartAsync(account);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private async Task<EventOutput> EventAsync(string sample, params string[] options) =>
        EventOutput.Of(await CliProcess.RunAsync(_aws.ClientEnvironment(), [.. EventOutput.Arguments(sample, options)]));

    private void AssertPublishedAsPrinted(EventOutput run)
    {
        Assert.Equal(run.Subjects, _aws.Published.Select(p => p.Subject));
        foreach (var (printed, published) in run.Messages.Zip(_aws.Published))
        {
            Assert.Equal((_topic, "json", published.MessageId), (published.TopicArn, published.MessageStructure, printed.MessageId));
            Assert.True(printed.Published);
            Assert.Equal(printed.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal),
                published.Attributes.Select(a => KeyValuePair.Create(a.Key, (a.Value.DataType, a.Value.StringValue!))).OrderBy(a => a.Key, StringComparer.Ordinal));
            Assert.Equal(["default", "email", "https"], System.Text.Json.JsonDocument.Parse(published.Message).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Live_reads_the_task_definition_from_ECS_and_its_roles_from_IAM_and_alerts_like_the_demo()
    {
        var live = await EventAsync(RunTask, "--live");
        var demo = EventOutput.Run(RunTask, "--demo");

        Assert.Equal(1, live.ExitCode);
        Assert.Equal(demo.ExitCode, live.ExitCode);
        Assert.Equal(demo.Subjects, live.Subjects);
        Assert.Equal(demo.Messages.Select(m => m.RuleIds), live.Messages.Select(m => m.RuleIds));
        Assert.All(live.Messages, m => m.AssertWellFormed());
        // The overrides name the task role legacy-reports and the execution role orders-api-execution: one GetRole each.
        Assert.Equal(1, _aws.CallCount("DescribeTaskDefinition"));
        Assert.Equal(["legacy-reports", "orders-api-execution"], _aws.Calls.All.Where(c => c.Operation == "GetRole").Select(c => c.Parameters["RoleName"]).Order(StringComparer.Ordinal));
        Assert.Empty(_aws.Published);
        Assert.Contains($"; {_aws.Calls.All.Count} AWS API calls", live.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_with_publish_sends_the_printed_messages_to_the_topic()
    {
        var run = await EventAsync(RunTask, "--live", "--publish", "--topic-arn", _topic);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["[CRITICAL] 3 ECS role violations in orders-api:7"], _aws.Published.Select(p => p.Subject));
        AssertPublishedAsPrinted(run);
        Assert.Equal(("CRITICAL", "4", "orders-api"), (run.Messages[0].Attribute("severity"), run.Messages[0].Attribute("severityRank"), run.Messages[0].Attribute("family")));
        Assert.Contains("1 message published", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_from_the_demo_account_publishes_without_reading_ECS_or_IAM()
    {
        var run = await EventAsync("scheduled-sweep.json", "--demo", "--publish", "--topic-arn", _topic);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, _aws.Published.Count);
        AssertPublishedAsPrinted(run);
        Assert.Equal(["Publish"], _aws.Calls.All.Select(c => c.Operation).Distinct());
    }

    [Fact]
    public async Task A_silent_IAM_endpoint_leaves_the_audit_incomplete_within_the_request_timeout()
    {
        using var silent = SilentEndpoint.Start();
        var environment = _aws.ClientEnvironment();
        environment["AWS_ENDPOINT_URL_IAM"] = silent.Url;

        var raw = await CliProcess.RunAsync(environment, [.. EventOutput.Arguments(RunTask, ["--live", "--request-timeout", "1"])]);
        var run = EventOutput.Of(raw);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("ERA005", run.Messages.SelectMany(m => m.RuleIds));
        Assert.Contains("request timed out after 1 s", raw.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_publish_fails_the_invocation_with_exit_4_and_says_why()
    {
        _aws.Faults.DenyAccess("Publish", resource: _topic);

        var run = await CliProcess.RunAsync(_aws.ClientEnvironment(), [.. EventOutput.Arguments(Violating, ["--demo", "--publish", "--topic-arn", _topic])]);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("the invocation failed, so Lambda would retry it", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("AuthorizationError", run.Stderr + run.Stdout, StringComparison.Ordinal);
        Assert.Empty(_aws.Published);
        Assert.True(_aws.CallCount("Publish") >= 1);
    }
}
