using System.Text.Json;
using EcsRoleAuditor.Dynalite;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>event --live --state-table</c> and <c>findings --live</c> end to end: the CLI as a process, ECS, IAM and SNS from
/// the fake AWS, the findings table on dynalite (created from template.yaml), every client pointed there by the
/// environment as a person would point them at emulators.
/// </summary>
public sealed class LiveFindingsStoreTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>, IAsyncLifetime
{
    private const string Violating = "register-task-definition-violating.json";
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync()
    {
        var account = FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions);
        account.AddTopic("ecs-role-auditor-alerts");
        _aws = await FakeAwsServer.StartAsync(account);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private Dictionary<string, string> Environment()
    {
        var environment = _aws.ClientEnvironment();
        // The service-specific variable wins over AWS_ENDPOINT_URL (AWS SDKs and Tools Reference Guide, "Service-specific endpoints").
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.EndpointUrl;
        return environment;
    }

    [Fact]
    public async Task The_second_run_of_an_event_against_the_table_alerts_nothing_and_findings_lists_what_it_holds()
    {
        var table = await dynamo.CreateTableAsync();

        var first = EventOutput.Of(await CliProcess.RunAsync(Environment(), [.. EventOutput.Arguments(Violating, ["--live", "--state-table", table])]));
        var second = EventOutput.Of(await CliProcess.RunAsync(Environment(), [.. EventOutput.Arguments(Violating, ["--live", "--state-table", table])]));
        var listed = await CliProcess.RunAsync(Environment(), "findings", "--live", "--state-table", table, "--account", "111122223333", "--format", "json");

        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12"], first.Subjects);
        Assert.Empty(second.Messages);
        Assert.Equal(0, listed.ExitCode);
        using var json = JsonDocument.Parse(listed.Stdout);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(2, findings.Count(f => f.GetProperty("ruleId").GetString() == "ERA020"));
        Assert.All(findings, f => Assert.Equal("billing-worker", f.GetProperty("family").GetString()));
    }

    [Fact]
    public void A_table_name_DynamoDB_would_refuse_is_a_usage_error_before_any_call()
    {
        var run = CliRun.Of("event", Path.Combine(TestData.SampleEvents.Folder, Violating), "--demo", "--state-table", "findings-table");
        var findings = CliRun.Of("findings", "--live", "--state-table", "no/slash", "--account", "111122223333");

        Assert.Equal((2, 2), (run.ExitCode, findings.ExitCode));
        Assert.Contains("--state-table goes with --live", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not a DynamoDB table name", findings.Stderr, StringComparison.Ordinal);
    }
}
