using System.Text.Json.Nodes;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// The findings store tried as a hostile or careless user would: each test is a problem found
/// that way, pinned so it stays fixed.
/// </summary>
public sealed class HostileFindingsStoreTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("era-hostile-store-");

    public void Dispose() => _scratch.Dispose();

    private string Sweep()
    {
        var path = _scratch.PathOf("state.json");
        var sweep = CliRun.Of("event", Path.Combine(SampleEvents.Folder, "scheduled-sweep.json"), "--demo", "--state-file", path);
        Assert.True(File.Exists(path), sweep.Stderr);
        return path;
    }

    private string WithNullIn(string list)
    {
        var path = Sweep();
        var state = JsonNode.Parse(File.ReadAllText(path))!;
        state[list]!.AsArray().Add(null);
        File.WriteAllText(path, state.ToJsonString());
        return path;
    }

    // "findings": [..., null] aborts the process with a NullReferenceException and a stack trace (exit 134).
    [Fact]
    public void Findings_on_a_state_file_with_a_null_finding_exits_2_naming_the_file()
    {
        var path = WithNullIn("findings");

        var run = CliRun.Of("findings", "--state-file", path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"ecs-role-auditor: {path}", run.Stderr, StringComparison.Ordinal);
    }

    // "days", "heads" or "completeHeadIndexes" with a null entry: the same crash in 'event' before anything runs.
    [Theory]
    [InlineData("days")]
    [InlineData("heads")]
    [InlineData("completeHeadIndexes")]
    public void Event_on_a_state_file_with_a_null_entry_exits_2_naming_the_file(string list)
    {
        var path = WithNullIn(list);

        var run = CliRun.Of("event", Path.Combine(SampleEvents.Folder, "put-role-policy.json"), "--demo", "--state-file", path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"ecs-role-auditor: {path}", run.Stderr, StringComparison.Ordinal);
    }

    // "history": [..., null] loads, and then 'findings history FINGERPRINT' crashes (NullReferenceException in HistoryAsync).
    [Fact]
    public void Findings_history_on_a_state_file_with_a_null_history_entry_exits_2()
    {
        var path = WithNullIn("history");
        var fingerprint = JsonNode.Parse(File.ReadAllText(path))!["findings"]![0]!["fingerprint"]!.GetValue<string>();

        var run = CliRun.Of("findings", "history", fingerprint, "--state-file", path);

        Assert.Equal(2, run.ExitCode);
    }

    // A stored message with a line break reaches the resolved notice's email body as a real line: a state file can
    // forge lines of the notice ("   Role: ...", "Fix: ..."). Control characters are escaped per line, after the lines
    // are joined, so the '\n' inside a value is never escaped.
    [Fact]
    public void A_line_break_in_a_stored_message_does_not_start_a_line_of_the_resolved_notice()
    {
        var path = Sweep();
        var state = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var finding in state["findings"]!.AsArray().Where(f => f!["family"]!["family"]!.GetValue<string>() == "billing-worker"))
        {
            finding!["message"] = "gone\n   Role: FORGED line from the state file";
        }
        File.WriteAllText(path, state.ToJsonString());
        var fixedEvent = JsonNode.Parse(SampleEvents.Read("register-task-definition-violating.json"))!;
        var definition = fixedEvent["detail"]!["responseElements"]!["taskDefinition"]!;
        definition["revision"] = 13;
        definition["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:13";
        definition["executionRoleArn"] = "arn:aws:iam::111122223333:role/service-role/orders-api-execution";

        var run = CliRun.Of("event", _scratch.Write("billing-worker-13.json", fixedEvent.ToJsonString()), "--demo", "--state-file", path);

        Assert.Contains("[RESOLVED]", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Stdout.Split('\n'), line => line.TrimStart().StartsWith("Role: FORGED", StringComparison.Ordinal));
    }

    // '--state-file -' means standard input everywhere else; here it silently creates a file named '-' in the working
    // directory and keeps the store there.
    [Fact]
    public void Event_with_state_file_dash_is_refused()
    {
        var dash = Path.GetFullPath("-");
        var existed = File.Exists(dash);
        try
        {
            var run = CliRun.Of("event", Path.Combine(SampleEvents.Folder, "scheduled-sweep.json"), "--demo", "--state-file", "-");

            Assert.Equal(2, run.ExitCode);
        }
        finally
        {
            if (!existed && File.Exists(dash))
            {
                File.Delete(dash);
            }
        }
    }

    // 'event --state-file DIR' (a directory): the save fails after the run, exit 2, and DIR.tmp-PID is left beside it.
    [Fact]
    public void Event_with_a_directory_as_state_file_leaves_no_temporary_file()
    {
        var directory = Directory.CreateDirectory(_scratch.PathOf("state")).FullName;

        var run = CliRun.Of("event", Path.Combine(SampleEvents.Folder, "scheduled-sweep.json"), "--demo", "--state-file", directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(Directory.GetFiles(_scratch.Path, "*.tmp-*"));
    }

    // Daily counts near int.MaxValue (a hand-edited or hostile file): the HTML page sums them with checked arithmetic
    // and aborts with an OverflowException and a stack trace (exit 134). The other formats print.
    [Fact]
    public void The_html_page_of_a_state_file_with_huge_daily_counts_does_not_crash()
    {
        var path = Sweep();
        var state = JsonNode.Parse(File.ReadAllText(path))!;
        var days = new JsonArray();
        for (var day = 1; day <= 5; day++)
        {
            days.Add(new JsonObject { ["account"] = "111122223333", ["day"] = DateTime.UtcNow.AddDays(-day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["opened"] = int.MaxValue, ["resolved"] = 0, ["expiresAt"] = "2099-01-01T00:00:00+00:00" });
        }
        state["days"] = days;
        File.WriteAllText(path, state.ToJsonString());

        var run = CliRun.Of("findings", "--state-file", path, "--format", "html", "--days", "30");

        Assert.Contains(run.ExitCode, new[] { 0, 2 });
    }

    // '--iam /dev/zero' is refused at 256 MiB ("larger than 256 MiB, the most an input may hold"); '--state-file
    // /dev/zero' is read until System.Text.Json gives up at 2 GiB and aborts with an OverflowException (exit 134).
    [Fact]
    public void A_state_file_that_never_ends_is_refused_at_the_input_limit()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }

        var run = CliRun.Of("findings", "--state-file", "/dev/zero");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("256 MiB", run.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>The same, where publishing or AWS credentials matter: against the fake AWS, the CLI as a process.</summary>
public sealed class HostileFindingsStoreLiveTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("era-hostile-store-live-").FullName;
    private FakeAwsServer _aws = null!;
    private string _topic = null!;

    public async Task InitializeAsync()
    {
        var account = FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions);
        _topic = account.AddTopic("ecs-role-auditor-alerts");
        _aws = await FakeAwsServer.StartAsync(account);
    }

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    // A state file that cannot be written (its directory is missing, or it is a directory) is only found when the run
    // saves: with --publish the alerts are sent, then the run fails with exit 2 and the store keeps nothing, so the next
    // run alerts every finding again as NEW. The path should be checked before the handler runs.
    [Theory]
    [InlineData("missing-folder/state.json")]
    [InlineData("a-folder")]
    public async Task A_state_file_that_cannot_be_saved_is_refused_before_anything_is_published(string name)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "a-folder"));

        var run = await CliProcess.RunAsync(_aws.ClientEnvironment(),
            [.. EventOutput.Arguments("scheduled-sweep.json", ["--demo", "--publish", "--topic-arn", _topic, "--state-file", Path.Combine(_folder, name)])]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(_aws.Published);
    }

    // 'event --live --state-table a/b' without credentials says "no AWS credentials found", not that the table name is
    // wrong: the name is checked after the connection opens, though every usage error is meant to come before AWS.
    [Fact]
    public async Task An_invalid_state_table_is_a_usage_error_before_credentials_are_looked_for()
    {
        var empty = Path.Combine(_folder, "empty-config");
        File.WriteAllText(empty, "");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_CONFIG_FILE"] = empty,
            ["AWS_SHARED_CREDENTIALS_FILE"] = empty,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };

        var run = await CliProcess.RunAsync(environment, [.. EventOutput.Arguments("scheduled-sweep.json", ["--live", "--state-table", "a/b"])]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not a DynamoDB table name", run.Stderr, StringComparison.Ordinal);
    }
}
