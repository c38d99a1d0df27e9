using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.State;
using EcsRoleAuditor.State.Memory;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.Pipeline.Tests;

/// <summary>
/// A family's newest ACTIVE revision found by listing that family, as a deregistration or tag event needs it: one
/// ListTaskDefinitions (familyPrefix, newest first, first item), counted on the fake AWS as the function counts them.
/// </summary>
public class NewestActiveTests(FakeAwsDemo fake) : IClassFixture<FakeAwsDemo>
{
    private const string Account = "111122223333";
    private const string Revision12 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12";

    private static AuditPipeline Pipeline(AuditSources sources) => new(sources, Auditor.WithAllRules());

    [Fact]
    public async Task The_family_is_listed_once_its_newest_revision_audited_and_its_head_lowered_to_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var heads = new InMemoryFindingStore(time).HeadIndex(Account, "eu-west-1");
        // billing-worker:13 was the head; it has since been deregistered (a rollback), so ECS lists 12.
        await heads.RecordAsync([new FamilyHead("billing-worker", Revision12.Replace(":12", ":13", StringComparison.Ordinal), 13, null, null)],
            complete: true, time.GetUtcNow(), known: null, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(2));
        using var aws = fake.Connect();
        var sink = new ListingSink();

        var outcome = await Pipeline(fake.Sources(aws) with { Heads = heads, Clock = time })
            .RunAsync(new AuditTargets.NewestActive("billing-worker"), sink, CancellationToken.None);

        Assert.Equal(["billing-worker:12"], outcome.Reports.Select(r => r.DisplayName));
        Assert.Equal(1, outcome.Calls[AwsActions.ListTaskDefinitions.Action]);
        Assert.Equal(1, outcome.Calls[AwsActions.DescribeTaskDefinition.Action]);
        Assert.Equal(0, outcome.Calls[AwsActions.ListTaskDefinitionFamilies.Action]);
        Assert.Empty(outcome.Unfinished);
        Assert.Empty(outcome.FamiliesWithoutActive);
        Assert.Equal(Revision12, Assert.Single((await heads.HeadsAsync(CancellationToken.None))!).TaskDefinitionArn);
        // The sink learns the listing's time before the report arrives.
        Assert.Equal([time.GetUtcNow()], sink.ListedAt);
        Assert.Equal(["listed", "billing-worker:12"], sink.Order);
    }

    [Fact]
    public async Task A_family_without_active_revisions_is_named_not_unfinished_and_nothing_is_described()
    {
        using var aws = fake.Connect();

        var outcome = await Pipeline(fake.Sources(aws)).RunAsync(new AuditTargets.NewestActive("retired-worker"), null, CancellationToken.None);

        Assert.Empty(outcome.Reports);
        Assert.Empty(outcome.Unfinished);
        Assert.Equal("retired-worker", Assert.Single(outcome.FamiliesWithoutActive));
        Assert.Equal(1, outcome.Calls[AwsActions.ListTaskDefinitions.Action]);
        Assert.Equal(0, outcome.Calls[AwsActions.DescribeTaskDefinition.Action]);
    }

    // 11: an older revision went, and 12, audited when it was registered, is unchanged. 12: ECS still lists the revision
    // just deregistered (it has not caught up). 13: a rollback, 12 speaks for the family again.
    [Theory]
    [InlineData(11, 0)]
    [InlineData(12, 0)]
    [InlineData(13, 1)]
    public async Task After_a_deregistration_only_an_older_newest_revision_is_audited(int deregistered, int audited)
    {
        var outcome = await Pipeline(Demo.Sources()).RunAsync(new AuditTargets.NewestActive("billing-worker") { Deregistered = deregistered }, null, CancellationToken.None);

        Assert.Equal(audited, outcome.Reports.Length);
        Assert.Empty(outcome.Unfinished);
        Assert.Empty(outcome.FamiliesWithoutActive);
    }

    [Fact]
    public async Task A_listing_that_fails_is_an_unfinished_step()
    {
        var recorded = Demo.Sources();

        var outcome = await Pipeline(recorded with { Ecs = new DenyingEcs(recorded.Ecs, "ListTaskDefinitions") })
            .RunAsync(new AuditTargets.NewestActive("billing-worker"), null, CancellationToken.None);

        var unfinished = Assert.Single(outcome.Unfinished);
        Assert.True(unfinished.IsStep);
        Assert.Equal("the ACTIVE revisions of billing-worker", unfinished.Reference);
        Assert.Contains("AccessDeniedException", unfinished.Reason, StringComparison.Ordinal);
        Assert.Empty(outcome.FamiliesWithoutActive);
    }

    private sealed class ListingSink : IAuditSink
    {
        public List<DateTimeOffset> ListedAt { get; } = [];

        public List<string> Order { get; } = [];

        public Task ReportedAsync(TaskDefinitionReport report, TaskDefinition definition, TimeSpan duration, long apiCallsSoFar)
        {
            Order.Add(report.DisplayName);
            return Task.CompletedTask;
        }

        public void FamilyListed(DateTimeOffset listedAt)
        {
            ListedAt.Add(listedAt);
            Order.Add("listed");
        }
    }
}
