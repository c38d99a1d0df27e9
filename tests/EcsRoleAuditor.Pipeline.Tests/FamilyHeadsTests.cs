using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.State;
using EcsRoleAuditor.State.Memory;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.Pipeline.Tests;

/// <summary>
/// Role events with the family heads the findings store records (issue 14, "Cost at scale"): the first one lists ECS as
/// before and records every family's newest revision; the next ones read the heads and describe only the task
/// definitions that name the role. Counted on the fake AWS, as the function counts its calls.
/// </summary>
public class FamilyHeadsTests(FakeAwsDemo fake) : IClassFixture<FakeAwsDemo>
{
    private const string Account = "111122223333";

    private static AuditPipeline Pipeline(AuditSources sources) => new(sources, Auditor.WithAllRules());

    private static long EcsCalls(AuditOutcome outcome) => outcome.Calls.ByOperation().Where(c => c.Key.StartsWith("ecs:", StringComparison.Ordinal)).Sum(c => c.Value);

    [Fact]
    public async Task A_role_event_after_a_listing_describes_only_the_task_definitions_naming_the_role()
    {
        var store = new InMemoryFindingStore(TimeProvider.System);
        using var aws = fake.Connect();
        var sources = fake.Sources(aws) with { Heads = store.HeadIndex(Account, "eu-west-1") };

        var first = await Pipeline(sources).RunAsync(new AuditTargets.UsingRole("billing-worker-task", AllRevisions: false), null, CancellationToken.None);
        var second = await Pipeline(sources).RunAsync(new AuditTargets.UsingRole("billing-worker-task", AllRevisions: false), null, CancellationToken.None);

        Assert.Equal(["billing-worker:12"], first.Reports.Select(r => r.DisplayName));
        Assert.Equal(first.Reports.Select(r => r.Findings.Length), second.Reports.Select(r => r.Findings.Length));
        // The listing: one page of ACTIVE revisions, then a describe of each family's newest (3 families: 1 + 3).
        Assert.Equal(4, EcsCalls(first));
        Assert.Equal(1, second.Calls[AwsActions.DescribeTaskDefinition.Action]);
        Assert.Equal(1, EcsCalls(second));
        Assert.Equal(3, (await store.HeadIndex(Account, "eu-west-1").HeadsAsync(CancellationToken.None))!.Count);
    }

    [Fact]
    public async Task A_failed_listing_records_no_complete_index_and_every_revision_still_needs_the_listing()
    {
        var store = new InMemoryFindingStore(TimeProvider.System);
        var heads = store.HeadIndex(Account, "eu-west-1");
        var recorded = Demo.Sources();
        var denied = recorded with { Ecs = new DenyingEcs(recorded.Ecs, "DescribeTaskDefinition"), Heads = heads };

        await Pipeline(denied).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);
        var afterFailure = await heads.HeadsAsync(CancellationToken.None);
        await Pipeline(recorded with { Heads = heads }).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);
        var allRevisions = await Pipeline(recorded with { Heads = heads }).RunAsync(new AuditTargets.UsingRole("billing-worker-task", AllRevisions: true), null, CancellationToken.None);

        Assert.Null(afterFailure);
        Assert.NotNull(await heads.HeadsAsync(CancellationToken.None));
        Assert.Equal(["billing-worker:12"], allRevisions.Reports.Select(r => r.DisplayName));
    }

    // The pipeline's promise: the deadline never ends a run; what it stops is unfinished, never thrown and never clean.
    [Fact]
    public async Task The_deadline_reached_while_reading_the_heads_leaves_the_role_event_unfinished_not_thrown()
    {
        using var deadline = new CancellationTokenSource();

        var outcome = await Pipeline(Demo.Sources() with { Heads = new DeadlineHeads(deadline) })
            .RunAsync(new AuditTargets.UsingRole("billing-worker-task", AllRevisions: false), null, deadline.Token);

        Assert.Empty(outcome.Reports);
        Assert.NotEmpty(outcome.Unfinished);
    }

    /// <summary>A heads read the deadline interrupts.</summary>
    private sealed class DeadlineHeads(CancellationTokenSource deadline) : IFamilyHeadIndex
    {
        public async Task<IReadOnlyList<FamilyHead>?> HeadsAsync(CancellationToken cancellationToken)
        {
            await deadline.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }

        public Task RecordAsync(IReadOnlyList<FamilyHead> heads, bool complete, DateTimeOffset listedAt, IReadOnlyList<FamilyHead>? known, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ListedFamilyAsync(string family, FamilyHead? newest, DateTimeOffset listedAt, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_registration_becomes_its_familys_head_and_an_older_one_does_not()
    {
        var store = new InMemoryFindingStore(TimeProvider.System);
        var heads = store.HeadIndex(Account, "eu-west-1");
        var sources = Demo.Sources() with { Heads = heads };
        await Pipeline(sources).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);
        var definition = Assert.IsType<TaskDefinitionLookup.Found>(await new TaskDefinitionSource(Demo.Ecs()).DescribeAsync("orders-api:7", CancellationToken.None)).Definition;
        var newer = definition with { Revision = 8, Arn = definition.Arn!.Replace(":7", ":8", StringComparison.Ordinal), TaskRoleArn = "arn:aws:iam::111122223333:role/billing-worker-task" };
        var older = definition with { Revision = 6, Arn = definition.Arn!.Replace(":7", ":6", StringComparison.Ordinal) };

        await Pipeline(sources).RunAsync(new AuditTargets.Named([new TaskDefinitionTarget(newer.Arn!, newer)]) { JustRegistered = true }, null, CancellationToken.None);
        // A late event of an older registration.
        await Pipeline(sources).RunAsync(new AuditTargets.Named([new TaskDefinitionTarget(older.Arn!, older)]) { JustRegistered = true }, null, CancellationToken.None);

        var orders = Assert.Single((await heads.HeadsAsync(CancellationToken.None))!, h => h.Family == "orders-api");
        Assert.Equal((8, "arn:aws:iam::111122223333:role/billing-worker-task"), (orders.Revision, orders.TaskRoleArn));
    }

    // A rollback: the family's newest revision deregistered, the one before it still ACTIVE. Role events must audit
    // the revision that can still start tasks, not alert on the deregistered one.
    [Fact]
    public async Task A_role_event_after_the_newest_revision_is_deregistered_describes_the_one_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var store = new InMemoryFindingStore(time);
        var heads = store.HeadIndex(Account, "eu-west-1");
        var ecs = Demo.Ecs();
        var billing13 = JsonNode.Parse(await ecs.DescribeTaskDefinitionAsync("billing-worker:12", includeTags: true, CancellationToken.None))!;
        billing13["taskDefinition"]!["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:13";
        billing13["taskDefinition"]!["revision"] = 13;
        Record(ecs, billing13);
        var sources = AuditSources.Recorded(ecs, Demo.Iam()) with { Heads = heads, Clock = time };
        await Pipeline(sources).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);
        var headBefore = Assert.Single((await heads.HeadsAsync(CancellationToken.None))!, h => h.Family == "billing-worker").Revision;

        billing13["taskDefinition"]!["status"] = "INACTIVE";
        Record(ecs, billing13);
        time.Advance(StoreRules.ListingMargin + TimeSpan.FromMinutes(1));
        await Pipeline(sources).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);
        var roleEvent = await Pipeline(sources).RunAsync(new AuditTargets.UsingRole("billing-worker-task", AllRevisions: false), null, CancellationToken.None);

        Assert.Equal(13, headBefore);
        Assert.Equal(["billing-worker:12"], roleEvent.Reports.Select(r => r.DisplayName));
        Assert.Empty(roleEvent.Unfinished);
    }

    private static void Record(RecordedEcs ecs, JsonNode describeOutput)
    {
        using var document = JsonDocument.Parse(describeOutput.ToJsonString());
        ecs.Add(document.RootElement, "billing-worker:13");
    }
}
