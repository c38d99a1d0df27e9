using System.Text.Json.Nodes;
using EcsRoleAuditor.Dynalite;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.TestData;
using static EcsRoleAuditor.Lambda.Tests.Hosting.BootstrapEvents;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>
/// The published Native AOT bootstrap with STATE_TABLE set, its DynamoDB client pointed at dynalite (a table created from
/// template.yaml): the findings store as the deployed function runs it, trimming included.
/// </summary>
[Trait("Category", "AotEndToEnd")]
public sealed class BootstrapFindingsStoreTests(PublishedBootstrapFixture bootstrap, DynaliteFixture dynamo)
    : IClassFixture<PublishedBootstrapFixture>, IClassFixture<DynaliteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string TopicName = "era-alerts-store-e2e";


    [Fact]
    public async Task The_function_alerts_once_announces_the_fix_and_an_older_revision_never_reopens_it()
    {
        var demo = Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");
        var account = FakeAccount.Load(Path.Combine(demo, "account.json"), Path.Combine(demo, "task-definitions.json"));
        account.AddTopic(TopicName);
        await using var aws = await FakeAwsServer.StartAsync(account);
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var table = await dynamo.CreateTableAsync();
        var environment = aws.ClientEnvironment();
        environment["ALERT_TOPIC_ARN"] = $"arn:aws:sns:{aws.Region}:{aws.AccountId}:{TopicName}";
        environment["STATE_TABLE"] = table;
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.EndpointUrl;
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, environment);
        var register = Event("register-task-definition-violating.json", "register-12");
        var fixedIn13 = FixedIn13("register-13");

        var outcomes = new List<RuntimeOutcome>();
        // The registration, its retried delivery, the fix, then a sweep: ECS still lists billing-worker:12 as the newest
        // revision (the fake knows no 13), and its older evidence must not reopen what 13 resolved.
        foreach (var (payload, id) in new[] { (register, "a"), (register, "b"), (fixedIn13, "c"), (Event("scheduled-sweep.json", "sweep-1"), "d") })
        {
            outcomes.Add(await runtime.OutcomeAsync(runtime.Enqueue(payload, new FakeInvocation(RequestId: id)), Patience));
        }

        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Response, o.Kind));
        // Revision 13 trades the two ERA020 for one ERA022 (orders-api's execution role reads orders-api's secret, which
        // billing-worker does not reference): one new alert, one resolved notice. The retry and the sweep send nothing new
        // for billing-worker; the sweep alerts legacy-reports, which nothing had audited yet.
        Assert.Equal(
            [
                "[HIGH] 2 ECS role violations in billing-worker:12", "[MEDIUM] 1 ECS role violation in billing-worker:13",
                "[RESOLVED] 2 ECS role violations fixed in billing-worker:13", "[CRITICAL] 5 ECS role violations in legacy-reports:3",
            ],
            aws.Published.Select(p => p.Subject));
        Assert.Equal(["OPEN", "OPEN", "RESOLVED", "OPEN"], aws.Published.Select(p => p.Attributes["status"].StringValue));
        Assert.False(process.HasExited);
    }
}
