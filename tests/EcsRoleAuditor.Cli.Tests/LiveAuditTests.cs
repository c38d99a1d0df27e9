using System.Text.Json;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>audit --live</c> end to end: the CLI as a process, its AWS SDK clients pointed at the fake AWS through
/// AWS_ENDPOINT_URL (the way people point it at an emulator), the demo account on the other side.
/// </summary>
public sealed class LiveAuditTests : IAsyncLifetime
{
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync() =>
        _aws = await FakeAwsServer.StartAsync(FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions));

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private static Task<CliRun> Cli(IReadOnlyDictionary<string, string> environment, params string[] args) => CliProcess.RunAsync(environment, args);

    private static string[] RuleIds(JsonElement report) =>
        [.. report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!).Distinct().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Live_audit_reads_ECS_and_IAM_and_reports_like_the_offline_audit()
    {
        var live = await Cli(_aws.ClientEnvironment(), "audit", "--live", "--task-definition", "billing-worker:12", "--task-definition", "orders-api", "--format", "json");
        var offline = CommandLineAppRun("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--format", "json");

        Assert.Equal(1, live.ExitCode);
        var liveReports = JsonDocument.Parse(live.Stdout).RootElement.GetProperty("reports").EnumerateArray().ToDictionary(r => r.GetProperty("family").GetString()!);
        var offlineReports = JsonDocument.Parse(offline).RootElement.GetProperty("reports").EnumerateArray().ToDictionary(r => r.GetProperty("family").GetString()!);
        Assert.Equal(["billing-worker", "orders-api"], liveReports.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(RuleIds(offlineReports["billing-worker"]), RuleIds(liveReports["billing-worker"]));
        Assert.Empty(RuleIds(liveReports["orders-api"]));
        // The summary counts every request the fake AWS served, DescribeTaskDefinition's included.
        Assert.Equal(2, _aws.CallCount("DescribeTaskDefinition"));
        Assert.Contains($"; {_aws.Calls.All.Count} AWS API calls (ecs:DescribeTaskDefinition 2, ", live.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_task_definition_reads_its_two_roles_one_by_one()
    {
        var live = await Cli(_aws.ClientEnvironment(), "audit", "--live", "--task-definition", "billing-worker", "--format", "json");

        Assert.Equal(1, live.ExitCode);
        Assert.Contains("PerRole", live.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, _aws.CallCount("GetRole"));
        Assert.Equal(0, _aws.CallCount("GetAccountAuthorizationDetails"));
    }

    [Fact]
    public async Task All_audits_every_active_family()
    {
        var run = await Cli(_aws.ClientEnvironment(), "audit", "--live", "--all", "--format", "json");

        var families = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("family").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["billing-worker", "legacy-reports", "orders-api"], families);
    }

    [Fact]
    public async Task Access_denied_on_a_policy_makes_the_live_audit_incomplete()
    {
        _aws.Faults.DenyAccess("GetRolePolicy", resource: "orders-api-execution");
        try
        {
            var run = await Cli(_aws.ClientEnvironment(), "audit", "--live", "--task-definition", "orders-api:7", "--format", "json");

            Assert.Equal(3, run.ExitCode);
            Assert.Contains("ERA005", RuleIds(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("reports")[0]));
            Assert.Contains("iam:GetRolePolicy", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            _aws.Faults.Clear();
        }
    }

    [Fact]
    public async Task A_missing_task_definition_is_an_incomplete_audit_naming_it()
    {
        var run = await Cli(_aws.ClientEnvironment(), "audit", "--live", "--task-definition", "no-such-family:1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("no-such-family:1", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_region_the_live_audit_says_so()
    {
        var environment = _aws.ClientEnvironment();
        environment.Remove("AWS_REGION");
        environment.Remove("AWS_DEFAULT_REGION");

        var run = await Cli(environment, "audit", "--live", "--task-definition", "orders-api");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("region", run.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_silent_IAM_endpoint_makes_the_audit_incomplete_with_ERA005_well_before_the_old_hang()
    {
        using var silent = SilentEndpoint.Start();
        var environment = _aws.ClientEnvironment();
        environment["AWS_ENDPOINT_URL_IAM"] = silent.Url;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var run = await Cli(environment, "audit", "--live", "--task-definition", "orders-api:7", "--request-timeout", "1", "--format", "json");

        // Generous for a noisy machine (the run needs a few seconds), far below the five minutes it used to hang.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(["ERA005"], RuleIds(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("reports")[0]));
        Assert.Contains("request timed out after 1 s: iam:GetRole", run.Stdout, StringComparison.Ordinal);
        Assert.True(silent.Connections >= 3, $"{silent.Connections} connections");
    }

    [Fact]
    public async Task A_silent_ECS_endpoint_names_the_task_definition_that_timed_out()
    {
        using var silent = SilentEndpoint.Start();
        var environment = _aws.ClientEnvironment();
        environment["AWS_ENDPOINT_URL"] = silent.Url;

        var run = await Cli(environment, "audit", "--live", "--task-definition", "orders-api:7", "--request-timeout", "1", "--format", "json");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("audit incomplete for orders-api:7", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("request timed out after 1 s: ecs:DescribeTaskDefinition on orders-api:7", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, silent.Connections);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("301")]
    public void A_request_timeout_out_of_bounds_is_a_usage_error(string seconds)
    {
        var run = CliRun.Of("audit", "--live", "--task-definition", "orders-api", "--request-timeout", seconds);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"ecs-role-auditor: --request-timeout must be from 1 to 300 seconds, not {seconds}", run.Stderr.Trim());
    }

    [Fact]
    public void Live_options_without_live_are_a_usage_error()
    {
        var all = CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--all");
        var timeout = CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--request-timeout", "5");

        Assert.All([all, timeout], run => Assert.Equal(2, run.ExitCode));
        Assert.All([all, timeout], run => Assert.Contains("--request-timeout, --task-definition and --all go with --live", run.Stderr, StringComparison.Ordinal));
    }

    private static string CommandLineAppRun(params string[] args) => CliRun.Of(args).Stdout;
}
