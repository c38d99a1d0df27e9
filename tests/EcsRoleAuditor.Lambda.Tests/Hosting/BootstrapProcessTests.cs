using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.TestData;
using EcsRoleAuditor.Lambda.Hosting;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>The published AOT bootstrap as Lambda runs it: a process talking to the (fake) Runtime API.</summary>
[Trait("Category", "AotEndToEnd")]
public sealed class BootstrapProcessTests(PublishedBootstrapFixture bootstrap) : IClassFixture<PublishedBootstrapFixture>
{
    // Generous: process start on a loaded two-core machine; nothing here asserts on speed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string TopicName = "era-alerts-e2e";

    /// <summary>The demo account served by the fake AWS, with the alert topic.</summary>
    private static async Task<FakeAwsServer> StartAwsAsync()
    {
        var demo = Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");
        var account = FakeAccount.Load(Path.Combine(demo, "account.json"), Path.Combine(demo, "task-definitions.json"));
        account.AddTopic(TopicName);
        return await FakeAwsServer.StartAsync(account);
    }

    /// <summary>What Lambda and the template give the function, pointed at the fake AWS; no profile files, no metadata service.</summary>
    private static Dictionary<string, string> Environment(FakeAwsServer aws, bool withTopic = true)
    {
        var environment = aws.ClientEnvironment();
        environment["LOG_LEVEL"] = "DEBUG";
        environment["MIN_SEVERITY"] = "MEDIUM";
        if (withTopic)
        {
            environment["ALERT_TOPIC_ARN"] = $"arn:aws:sns:{aws.Region}:{aws.AccountId}:{TopicName}";
        }
        return environment;
    }

    private static string Event(string name) => System.Text.Encoding.UTF8.GetString(SampleEvents.Read(name));

    [Fact]
    public async Task A_violating_registration_is_audited_against_AWS_and_alerted_through_SNS()
    {
        await using var aws = await StartAwsAsync();
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(aws));

        var violating = await runtime.OutcomeAsync(runtime.Enqueue(Event("register-task-definition-violating.json"), new FakeInvocation(RequestId: "e2e-1")), Patience);
        var clean = await runtime.OutcomeAsync(runtime.Enqueue(Event("register-task-definition-clean.json"), new FakeInvocation(RequestId: "e2e-2")), Patience);

        Assert.Equal(OutcomeKind.Response, violating.Kind);
        Assert.Equal(OutcomeKind.Response, clean.Kind);
        var published = Assert.Single(aws.Published); // the clean task definition raises no alert
        Assert.Equal("json", published.MessageStructure);
        Assert.Contains("billing-worker:12", published.Subject, StringComparison.Ordinal);
        Assert.Equal("HIGH", published.Attributes["severity"].StringValue);
        Assert.Contains("ERA020", published.Attributes["ruleIds"].StringValue, StringComparison.Ordinal);
        var bodies = JsonDocument.Parse(published.Message).RootElement;
        Assert.Equal(1, JsonDocument.Parse(bodies.GetProperty("default").GetString()!).RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.True(aws.CallCount("GetRole") > 0); // the roles were read from IAM, per role
        Assert.False(process.HasExited);
    }

    /// <summary>
    /// What each sample in events/ makes the function publish against the demo account: the subject of every message, in
    /// order. The same samples are what <c>sam local invoke -e</c> and <c>ecs-role-auditor event</c> take.
    /// </summary>
    public static TheoryData<string, string[]> SampleEventAlerts => new()
    {
        { "attach-role-policy.json", ["[CRITICAL] 5 ECS role violations in legacy-reports:3"] },
        // The demo account still lists billing-worker:12 ACTIVE, as ECS may for a moment after the call: nothing to audit.
        { "deregister-task-definition.json", [] },
        { "direct-invocation.json", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        { "put-role-policy.json", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        { "register-task-definition-clean.json", [] },
        { "register-task-definition-failed.json", [] },
        { "register-task-definition-truncated.json", ["[CRITICAL] 5 ECS role violations in legacy-reports:3"] },
        { "register-task-definition-violating.json", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        { "run-task-with-role-overrides.json", ["[CRITICAL] 3 ECS role violations in orders-api:7"] },
        { "scheduled-sweep.json", ["[HIGH] 2 ECS role violations in billing-worker:12", "[CRITICAL] 5 ECS role violations in legacy-reports:3"] },
        // The demo's billing-worker:12 carries no tag: the re-audit of its family still finds ERA020.
        { "tag-task-definition-suppress.json", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        { "unrelated-event.json", [] },
    };

    [Fact]
    public void Every_sample_event_has_an_expected_outcome() =>
        Assert.Equal(SampleEvents.Names, SampleEventAlerts.Select(row => (string)row[0]));

    [Fact]
    public async Task Each_sample_event_publishes_its_expected_alerts_with_attributes_and_three_bodies()
    {
        await using var aws = await StartAwsAsync();
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(aws));

        foreach (var row in SampleEventAlerts)
        {
            var (name, subjects) = ((string)row[0], (string[])row[1]);
            aws.ClearRecords();
            var outcome = await runtime.OutcomeAsync(runtime.Enqueue(Event(name)), Patience);

            Assert.True(outcome.Kind == OutcomeKind.Response, $"{name}: {outcome.Kind} {outcome.Body}");
            Assert.Equal(subjects, aws.Published.Select(p => p.Subject));
            Assert.All(aws.Published, AssertWellFormedAlert);
        }
        Assert.False(process.HasExited);
    }

    // An alert as subscribers receive it: attributes a filter policy can match, and the default/email/https bodies.
    private static void AssertWellFormedAlert(PublishedMessage message)
    {
        Assert.Equal("json", message.MessageStructure);
        var severity = message.Attributes["severity"].StringValue!;
        Assert.StartsWith($"[{severity}] ", message.Subject, StringComparison.Ordinal);
        Assert.Equal("Number", message.Attributes["severityRank"].DataType);
        Assert.Equal("String.Array", message.Attributes["ruleIds"].DataType);
        var family = message.Attributes["family"].StringValue!;
        Assert.Equal("111122223333", message.Attributes["accountId"].StringValue);
        Assert.Equal("eu-west-1", message.Attributes["region"].StringValue);
        var bodies = JsonDocument.Parse(message.Message).RootElement;
        var report = JsonDocument.Parse(bodies.GetProperty("default").GetString()!).RootElement;
        Assert.Equal(family, report.GetProperty("reports")[0].GetProperty("family").GetString());
        Assert.Contains(family, bodies.GetProperty("email").GetString(), StringComparison.Ordinal);
        var chatbot = JsonDocument.Parse(bodies.GetProperty("https").GetString()!).RootElement;
        Assert.Equal("1.0", chatbot.GetProperty("version").GetString());
        Assert.Equal("custom", chatbot.GetProperty("source").GetString());
        Assert.Contains(severity, chatbot.GetProperty("content").GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deadline_too_close_to_finish_publishes_an_audit_incomplete_alert_before_the_timeout()
    {
        await using var aws = await StartAwsAsync();
        // Every ECS and IAM answer takes 400 ms: the sweep needs far more than the second the deadline leaves it.
        aws.Faults.Latency(TimeSpan.FromMilliseconds(400), "ListTaskDefinitionFamilies", "ListTaskDefinitions", "DescribeTaskDefinition", "GetAccountAuthorizationDetails");
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(aws));
        // Let init finish first, so the deadline measures the invocation and not the process start.
        Assert.Equal(OutcomeKind.Response, (await runtime.OutcomeAsync(runtime.Enqueue(Event("unrelated-event.json")), Patience)).Kind);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(5);

        var outcome = await runtime.OutcomeAsync(runtime.Enqueue(Event("scheduled-sweep.json"), new FakeInvocation(Deadline: deadline)), Patience);

        Assert.Equal(OutcomeKind.Response, outcome.Kind);
        Assert.True(DateTimeOffset.UtcNow < deadline.AddSeconds(1), "the response came after the deadline");
        var incomplete = Assert.Single(aws.Published, p => p.Attributes["ruleIds"].StringValue!.Contains("ERA005", StringComparison.Ordinal));
        Assert.Contains("incomplete", incomplete.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.True(outcome.Json().GetProperty("incomplete").GetInt32() > 0);
    }

    [Fact]
    public async Task With_IAM_failing_the_AuditIncomplete_metric_counts_the_audit_and_a_clean_audit_counts_zero()
    {
        await using var aws = await StartAwsAsync();
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(aws));

        await runtime.OutcomeAsync(runtime.Enqueue(Event("register-task-definition-clean.json"), new FakeInvocation(RequestId: "clean")), Patience);
        // IAM down for the roles: the audit still finishes, with ERA005 findings inside its report.
        aws.Faults.Fail("GetRole", statusCode: 500, times: 1000);
        var outage = await runtime.OutcomeAsync(runtime.Enqueue(Event("register-task-definition-clean.json"), new FakeInvocation(RequestId: "outage")), Patience);

        Assert.Equal(OutcomeKind.Response, outage.Kind);
        Assert.Equal(0, await AuditIncompleteAsync(process, "clean"));
        Assert.Equal(1, await AuditIncompleteAsync(process, "outage"));
    }

    // The sum of the AuditIncomplete EMF values an invocation wrote, once its audit line has been read from stdout.
    private static async Task<int> AuditIncompleteAsync(BootstrapProcess process, string requestId)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            var values = process.StandardOutputLines.Select(line => JsonDocument.Parse(line).RootElement)
                .Where(root => root.TryGetProperty("requestId", out var id) && id.GetString() == requestId && root.TryGetProperty("AuditIncomplete", out _))
                .Select(root => root.GetProperty("AuditIncomplete").GetInt32()).ToList();
            if (values.Count > 0)
            {
                return values.Sum();
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"The bootstrap wrote no audit metrics for {requestId}.");
    }

    [Fact]
    public async Task An_unreachable_SNS_is_an_invocation_error_so_Lambda_retries()
    {
        await using var aws = await StartAwsAsync();
        aws.Faults.Fail("Publish", statusCode: 500, times: 100);
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(aws));

        var outcome = await runtime.OutcomeAsync(runtime.Enqueue(Event("register-task-definition-violating.json")), Patience);

        Assert.Equal(OutcomeKind.InvocationError, outcome.Kind);
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task Every_line_the_bootstrap_writes_is_a_json_object_without_configured_values()
    {
        await using var aws = await StartAwsAsync();
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var environment = Environment(aws);
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, environment);
        await runtime.OutcomeAsync(runtime.Enqueue(Event("register-task-definition-violating.json")), Patience);

        var lines = process.StandardOutputLines;

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        foreach (var secret in new[] { "ALERT_TOPIC_ARN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
        {
            Assert.All(lines, line => Assert.DoesNotContain(environment[secret], line, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_cold_start_on_a_realistic_event_runs_without_a_garbage_collection()
    {
        // The bootstrap embeds an 8 MB gen0 budget (the csproj's GCgen0size): a cold start allocates about 5.5 MB, and a
        // collection in the middle of it compacted everything start-up had built (docs/benchmarks.md). A count, not a time.
        await using var aws = await StartAwsAsync();
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(aws));
        await runtime.OutcomeAsync(runtime.Enqueue(Event("register-task-definition-violating.json")), Patience);

        var coldStart = await ColdStartLineAsync(process);

        Assert.True(coldStart.GetProperty("allocatedBytes").GetInt64() > 1_000_000, "the cold start line reports the real allocations");
        Assert.Equal(0, coldStart.GetProperty("gcCollections").GetInt32());
    }

    // The bootstrap writes its cold start line right after posting the first response.
    private static async Task<JsonElement> ColdStartLineAsync(BootstrapProcess process)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            foreach (var line in process.StandardOutputLines)
            {
                var root = JsonDocument.Parse(line).RootElement;
                if (root.TryGetProperty("coldStart", out _))
                {
                    return root;
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The bootstrap wrote no cold start line.");
    }

    [Fact]
    public async Task The_bootstrap_is_a_fixed_address_executable_so_its_type_data_needs_no_rebuilding_at_start()
    {
        // PositionIndependentExecutable=false and IlcDehydrate=false in the csproj (the trade is written there): ELF type
        // EXEC, not DYN. A position-independent build rebuilt 3.4 MB of type data at every start.
        await using var file = File.OpenRead(bootstrap.Command.FileName);
        var header = new byte[18];
        await file.ReadExactlyAsync(header);

        Assert.Equal(2, BitConverter.ToUInt16(header, 16)); // e_type: ET_EXEC
    }

    [Fact]
    public async Task Without_ALERT_TOPIC_ARN_the_bootstrap_posts_an_init_error_and_exits_non_zero()
    {
        await using var aws = await StartAwsAsync();
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(aws, withTopic: false));

        var initError = await runtime.InitErrorAsync(Patience);
        var exitCode = await process.WaitForExitAsync(Patience);

        Assert.Equal("ConfigurationException", initError.ErrorType);
        Assert.Contains("ALERT_TOPIC_ARN", initError.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(InvocationLoop.InitFailedExitCode, exitCode);
        Assert.Equal(0, runtime.NextCalls);
    }

    [Fact]
    public async Task The_bootstrap_needs_no_newer_glibc_than_Amazon_Linux_2023_has()
    {
        // provided.al2023 ships glibc 2.34; a build host with a newer glibc could produce a binary Lambda cannot load.
        var start = new ProcessStartInfo("objdump", ["-T", bootstrap.Command.FileName]) { RedirectStandardOutput = true };
        using var objdump = Process.Start(start)!;
        var symbols = await objdump.StandardOutput.ReadToEndAsync();
        await objdump.WaitForExitAsync();

        var versions = Regex.Matches(symbols, @"GLIBC_(\d+)\.(\d+)").Select(match => new Version(int.Parse(match.Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Assert.NotEmpty(versions);
        Assert.True(versions.Max() <= new Version(2, 34), $"The bootstrap needs glibc {versions.Max()}.");
    }
}
