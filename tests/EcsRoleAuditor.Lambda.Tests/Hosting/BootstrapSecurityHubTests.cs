using System.Text.Json.Nodes;
using EcsRoleAuditor.Dynalite;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.TestData;
using static EcsRoleAuditor.Lambda.Tests.Hosting.BootstrapEvents;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>
/// The published Native AOT bootstrap with SECURITY_HUB=true against the fake AWS's Security Hub, which checks ASFF as
/// AWS documents it: findings are imported ACTIVE/FAILED, a fix archives them PASSED/ARCHIVED (at once with the findings
/// store, at the next sweep without it), a suppressed finding is SUPPRESSED from its first import, and an older revision
/// never reopens what a newer one resolved. "BatchImportFindings" and "Required attributes" (AWS Security Hub User Guide).
/// </summary>
[Trait("Category", "AotEndToEnd")]
public sealed class BootstrapSecurityHubTests(PublishedBootstrapFixture bootstrap, DynaliteFixture dynamo)
    : IClassFixture<PublishedBootstrapFixture>, IClassFixture<DynaliteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string TopicName = "era-alerts-hub-e2e";



    private static string Demo(string file) => Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", file);

    private async Task<(FakeAwsServer Aws, Dictionary<string, string> Environment)> StartAsync(string? table, Func<string, bool>? keepFamily = null)
    {
        var definitions = JsonNode.Parse(File.ReadAllText(Demo("task-definitions.json")))!.AsArray();
        var kept = new JsonArray([.. definitions.Where(d => keepFamily?.Invoke(d!["taskDefinition"]!["family"]!.GetValue<string>()) ?? true).Select(d => d!.DeepClone())]);
        var account = FakeAccount.FromJson(File.ReadAllText(Demo("account.json")), kept.ToJsonString());
        account.AddTopic(TopicName);
        var aws = await FakeAwsServer.StartAsync(account);
        var environment = aws.ClientEnvironment();
        environment["ALERT_TOPIC_ARN"] = $"arn:aws:sns:{aws.Region}:{aws.AccountId}:{TopicName}";
        environment["SECURITY_HUB"] = "true";
        environment["SUPPRESSIONS"] = """[{"rule":"ERA001","family":"legacy-*","reason":"one role until the reports move"}]""";
        if (table is not null)
        {
            environment["STATE_TABLE"] = table;
            environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.EndpointUrl;
        }
        return (aws, environment);
    }

    private static async Task RunAsync(FakeAwsServer aws, Dictionary<string, string> environment, BootstrapCommand command, params string[] events)
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(command, runtime.Address, environment);
        var index = 0;
        foreach (var payload in events)
        {
            var outcome = await runtime.OutcomeAsync(runtime.Enqueue(payload, new FakeInvocation(RequestId: $"r{index++}")), Patience);
            Assert.Equal(OutcomeKind.Response, outcome.Kind);
        }
        Assert.False(process.HasExited);
    }

    // Rule, compliance, record state and workflow of each finding Security Hub holds, by family.
    private static List<string> Held(FakeAwsServer aws, string family) =>
        [.. aws.SecurityHub.Findings(aws.AccountId, aws.Region).Select(f => f.Node)
            .Where(n => n["ProductFields"]!["ecs-role-auditor/family"]!.GetValue<string>() == family)
            .Select(n => $"{n["GeneratorId"]} {n["Compliance"]!["Status"]} {n["RecordState"]} {n["Workflow"]?["Status"]}")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task With_the_store_a_fix_archives_at_once_and_an_older_revision_does_not_reopen_it()
    {
        var (aws, environment) = await StartAsync(await dynamo.CreateTableAsync());
        await using var _ = aws;

        await RunAsync(aws, environment, bootstrap.Command, Event("register-task-definition-violating.json", "register-12"));
        Assert.Equal(["ERA020 FAILED ACTIVE NEW", "ERA020 FAILED ACTIVE NEW", "ERA030 FAILED ACTIVE NEW"], Held(aws, "billing-worker"));
        var imported = aws.SecurityHub.Findings(aws.AccountId, aws.Region).Select(f => f.Node).ToList();
        Assert.All(imported, n => Assert.Equal($"arn:aws:securityhub:{aws.Region}:{aws.AccountId}:product/{aws.AccountId}/default", n["ProductArn"]!.GetValue<string>()));
        Assert.All(imported, n => Assert.StartsWith("fp1-", n["Id"]!.GetValue<string>(), StringComparison.Ordinal));

        // The fix (13), then a sweep in which ECS still lists 12 as the newest revision (the fake knows no 13).
        await RunAsync(aws, environment, bootstrap.Command, FixedIn13("register-13"), Event("scheduled-sweep.json", "sweep-1"));

        // 13's own finding is ERA022 (orders-api's role reads a secret billing-worker does not reference); the two
        // ERA020 stay archived although the sweep's audit of 12 still shows them: 13 is the newer evidence.
        Assert.Equal(["ERA020 PASSED ARCHIVED NEW", "ERA020 PASSED ARCHIVED NEW", "ERA022 FAILED ACTIVE NEW", "ERA030 FAILED ACTIVE NEW"], Held(aws, "billing-worker"));
        // The sweep imports legacy-reports; its suppressed ERA001 is SUPPRESSED from its first import.
        Assert.Contains("ERA001 FAILED ACTIVE SUPPRESSED", Held(aws, "legacy-reports"));
        Assert.DoesNotContain(Held(aws, "legacy-reports"), h => h.StartsWith("ERA001", StringComparison.Ordinal) && !h.EndsWith("SUPPRESSED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_store_the_sweep_archives_what_no_task_definition_shows_any_more()
    {
        var (before, environment) = await StartAsync(table: null);
        await using (before)
        {
            await RunAsync(before, environment, bootstrap.Command, Event("scheduled-sweep.json", "sweep-1"));
            // The sweep's three task definitions' findings go in one call, the reconciliation reads one page, and without
            // the store the suppressed ERA001 of legacy-reports is set SUPPRESSED once more (the import cannot tell it existed).
            Assert.Equal((1, 1, 1), (before.CallCount("BatchImportFindings"), before.CallCount("GetFindings"), before.CallCount("BatchUpdateFindings")));
        }
        // The same account after legacy-reports was deregistered: Security Hub still holds what the first sweep imported.
        var (aws, after) = await StartAsync(table: null, family => family != "legacy-reports");
        await using var _ = aws;
        foreach (var finding in before.SecurityHub.Findings(before.AccountId, before.Region))
        {
            aws.SecurityHub.Seed(aws.AccountId, aws.Region, finding.Json);
        }
        Assert.Contains(Held(aws, "legacy-reports"), h => h.Contains("FAILED ACTIVE", StringComparison.Ordinal));

        await RunAsync(aws, after, bootstrap.Command, Event("scheduled-sweep.json", "sweep-2"));

        Assert.NotEmpty(Held(aws, "legacy-reports"));
        Assert.All(Held(aws, "legacy-reports"), h => Assert.Contains("PASSED ARCHIVED", h, StringComparison.Ordinal));
        Assert.NotEmpty(Held(aws, "billing-worker"));
        Assert.All(Held(aws, "billing-worker"), h => Assert.Contains("FAILED ACTIVE", h, StringComparison.Ordinal));
    }
}
