using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.State;
using EcsRoleAuditor.State.Memory;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.Pipeline.Tests;

/// <summary>
/// Sweeps with the revision cache (issue 14, "Cost at scale"): a warm sweep of an unchanged account reads the kept
/// DescribeTaskDefinition answers and describes nothing; what changed since (a new revision, a tag change, an answer
/// past its age limit, an answer that is not the listed revision's) is described.
/// </summary>
public class RevisionCacheTests
{
    private const string Account = "111122223333";
    private const string Billing = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordedEcs _recorded = Demo.Ecs();
    private readonly DescribingEcs _ecs;
    private readonly InMemoryFindingStore _store;

    public RevisionCacheTests()
    {
        _ecs = new DescribingEcs(_recorded);
        _store = new InMemoryFindingStore(_time);
    }

    private AuditSources Sources(IRevisionCache? cache = null) =>
        Demo.Sources() with { Ecs = _ecs, Revisions = cache ?? _store.RevisionCache(Account, "eu-west-1"), Clock = _time };

    private Task<AuditOutcome> SweepAsync(AuditSources? sources = null) =>
        new AuditPipeline(sources ?? Sources(), Auditor.WithAllRules()).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);

    private static string[] Findings(AuditOutcome outcome) =>
        [.. outcome.Reports.SelectMany(r => r.Findings.Select(f => $"{r.DisplayName} {f.Rule.Id} {f.Suppressed} {f.Message}")).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_warm_sweep_of_an_unchanged_account_describes_nothing_and_finds_the_same()
    {
        var cold = await SweepAsync();
        var coldDescribes = _ecs.Described.Count;
        _time.Advance(TimeSpan.FromDays(1));

        var warm = await SweepAsync();

        Assert.Equal(3, coldDescribes);
        Assert.Equal(3, _ecs.Described.Count);
        Assert.NotEmpty(Findings(cold));
        Assert.Equal(Findings(cold), Findings(warm));
        Assert.Empty(warm.Unfinished);
    }

    [Fact]
    public async Task A_revision_registered_since_is_the_only_one_described()
    {
        await SweepAsync();
        _ecs.Described.Clear();
        var orders = JsonNode.Parse(_ecs.Answer("orders-api:7"))!;
        orders["taskDefinition"]!["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:8";
        orders["taskDefinition"]!["revision"] = 8;
        using (var document = JsonDocument.Parse(orders.ToJsonString()))
        {
            _recorded.Add(document.RootElement, "orders-api:8");
        }

        var warm = await SweepAsync();

        Assert.Equal(["arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:8"], _ecs.Described);
        Assert.Contains("orders-api:8", warm.Reports.Select(r => r.DisplayName));
    }

    [Fact]
    public async Task A_tag_change_keeps_the_new_answer_and_the_next_sweep_applies_it_without_describing()
    {
        await SweepAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        _ecs.Tag(Billing, "ecs-role-auditor:suppress", "ERA020:accepted by the billing team");

        var tagged = await new AuditPipeline(Sources(), Auditor.WithAllRules())
            .RunAsync(new AuditTargets.NewestActive("billing-worker") { TagsChanged = true }, null, CancellationToken.None);
        _ecs.Described.Clear();
        var warm = await SweepAsync();

        Assert.Empty(_ecs.Described);
        var billing = Assert.Single(warm.Reports, r => r.DisplayName == "billing-worker:12");
        Assert.All(billing.Findings.Where(f => f.Rule.Id == "ERA020"), f => Assert.True(f.Suppressed));
        Assert.Equal(Findings(tagged), Findings(warm).Where(f => f.StartsWith("billing-worker", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Without_the_tag_change_flag_a_family_listing_keeps_nothing_and_the_sweep_reads_the_old_answer()
    {
        await SweepAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        _ecs.Tag(Billing, "ecs-role-auditor:suppress", "ERA020");

        await new AuditPipeline(Sources(), Auditor.WithAllRules()).RunAsync(new AuditTargets.NewestActive("billing-worker"), null, CancellationToken.None);
        var warm = await SweepAsync();

        // Shows what the flag is for: the kept answer predates the tag until its age limit.
        Assert.Contains(Assert.Single(warm.Reports, r => r.DisplayName == "billing-worker:12").Findings, f => f.Rule.Id == "ERA020" && !f.Suppressed);
    }

    [Fact]
    public async Task Answers_past_their_age_limit_are_described_again()
    {
        await SweepAsync();
        _ecs.Described.Clear();
        _time.Advance(TimeSpan.FromDays(7));

        await SweepAsync();

        Assert.Equal(3, _ecs.Described.Count);
    }

    [Fact]
    public async Task A_kept_answer_that_is_not_the_listed_revisions_or_unreadable_is_described()
    {
        var cache = _store.RevisionCache(Account, "eu-west-1");
        var orders = _ecs.Answer("orders-api:7");
        await cache.KeepAsync(
        [
            new CachedRevision("billing-worker", Billing, 12, orders, _time.GetUtcNow()),
            new CachedRevision("legacy-reports", "arn:aws:ecs:eu-west-1:111122223333:task-definition/legacy-reports:3", 3, "{\"taskDefinition\":", _time.GetUtcNow()),
        ], CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));

        var sweep = await SweepAsync();

        Assert.Equal(3, _ecs.Described.Count);
        Assert.Equal(["billing-worker:12", "legacy-reports:3", "orders-api:7"], sweep.Reports.Select(r => r.DisplayName).Order(StringComparer.Ordinal));
        // Described anew and kept in their place.
        Assert.Equal(Billing, JsonNode.Parse(Assert.Single(await cache.ReadAsync(CancellationToken.None), k => k.Family == "billing-worker").Answer)!["taskDefinition"]!["taskDefinitionArn"]!.GetValue<string>());
    }

    // Whatever a kept answer holds, the sweep finds what it finds without the cache: an answer the reader refuses is
    // described, never a crash and never a report with less in it.
    [Theory]
    [InlineData("""{"taskDefinition":[],"tags":[]}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("REVISION_AS_TEXT")]
    [InlineData("ARN_AS_NUMBER")]
    [InlineData("TAGS_AS_TEXT")]
    [InlineData("CONTAINERS_AS_OBJECT")]
    [InlineData("DEEP")]
    public async Task A_hostile_kept_answer_finds_what_a_sweep_without_the_cache_finds(string answer)
    {
        var cold = await SweepAsync();
        var billing = JsonNode.Parse(_ecs.Answer(Billing))!;
        var definition = billing["taskDefinition"]!;
        switch (answer)
        {
            case "REVISION_AS_TEXT": definition["revision"] = "12"; break;
            case "ARN_AS_NUMBER": definition["taskDefinitionArn"] = 12; break;
            case "TAGS_AS_TEXT": billing["tags"] = "ecs-role-auditor:suppress"; break;
            case "CONTAINERS_AS_OBJECT": definition["containerDefinitions"] = new JsonObject(); break;
            case "DEEP": definition["cpu"] = JsonNode.Parse(new string('[', 5000) + new string(']', 5000), documentOptions: new JsonDocumentOptions { MaxDepth = 6000 }); break;
            default: break;
        }
        var kept = answer.StartsWith('{') || answer is "[]" or "null" || answer.StartsWith('"') ? answer : billing.ToJsonString(new JsonSerializerOptions { MaxDepth = 6000 });
        _time.Advance(TimeSpan.FromMinutes(1));
        await _store.RevisionCache(Account, "eu-west-1").KeepAsync([new CachedRevision("billing-worker", Billing, 12, kept, _time.GetUtcNow())], CancellationToken.None);

        var warm = await SweepAsync();

        Assert.Equal(Findings(cold), Findings(warm));
        Assert.Empty(warm.Unfinished);
    }

    [Fact]
    public async Task A_cache_that_fails_costs_describes_never_the_sweep()
    {
        var cold = await SweepAsync();
        _ecs.Described.Clear();

        var denied = await SweepAsync(Sources(new FailingCache()));

        Assert.Equal(3, _ecs.Described.Count);
        Assert.Equal(Findings(cold), Findings(denied));
        Assert.Empty(denied.Unfinished);
    }

    // The pipeline's promise: the deadline never ends a run; what it stops is unfinished, never thrown and never clean.
    [Fact]
    public async Task The_deadline_reached_while_reading_the_cache_leaves_the_sweep_unfinished_not_thrown()
    {
        using var deadline = new CancellationTokenSource();

        var outcome = await new AuditPipeline(Sources(new DeadlineCache(deadline)), Auditor.WithAllRules())
            .RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, deadline.Token);

        Assert.Empty(outcome.Reports);
        Assert.Equal(3, outcome.Unfinished.Length);
    }

    [Fact]
    public async Task Every_revision_sweeps_keep_only_each_familys_newest()
    {
        var orders = JsonNode.Parse(_ecs.Answer("orders-api:7"))!;
        orders["taskDefinition"]!["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:6";
        orders["taskDefinition"]!["revision"] = 6;
        using (var document = JsonDocument.Parse(orders.ToJsonString()))
        {
            _recorded.Add(document.RootElement, "orders-api:6");
        }

        await new AuditPipeline(Sources(), Auditor.WithAllRules()).RunAsync(new AuditTargets.AllActive(AllRevisions: true), null, CancellationToken.None);

        Assert.Equal(4, _ecs.Described.Count);
        Assert.Equal(
            ["billing-worker:12", "legacy-reports:3", "orders-api:7"],
            (await _store.RevisionCache(Account, "eu-west-1").ReadAsync(CancellationToken.None)).Select(k => k.TaskDefinitionArn.Split('/')[^1]).Order(StringComparer.Ordinal));
    }

    /// <summary>The recorded demo ECS, counting describes, with tags that can be changed as TagResource would.</summary>
    private sealed class DescribingEcs(IEcsApi recorded) : IEcsApi
    {
        private readonly Dictionary<string, JsonArray> _tags = new(StringComparer.Ordinal);

        public List<string> Described { get; } = [];

        public void Tag(string arn, string key, string value) =>
            (_tags.TryGetValue(arn, out var tags) ? tags : _tags[arn] = []).Add(new JsonObject { ["key"] = key, ["value"] = value });

        public string Answer(string reference) => recorded.DescribeTaskDefinitionAsync(reference, includeTags: true, CancellationToken.None).GetAwaiter().GetResult();

        public async Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken)
        {
            Described.Add(taskDefinition);
            var answer = JsonNode.Parse(await recorded.DescribeTaskDefinitionAsync(taskDefinition, includeTags, cancellationToken))!;
            if (_tags.TryGetValue(answer["taskDefinition"]!["taskDefinitionArn"]!.GetValue<string>(), out var tags))
            {
                answer["tags"] = tags.DeepClone();
            }
            return answer.ToJsonString();
        }

        public Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken) =>
            recorded.ListTaskDefinitionsAsync(filter, nextToken, cancellationToken);

        public Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken) =>
            recorded.ListTaskDefinitionFamiliesAsync(familyPrefix, status, nextToken, cancellationToken);
    }

    /// <summary>A cache read the deadline interrupts.</summary>
    private sealed class DeadlineCache(CancellationTokenSource deadline) : IRevisionCache
    {
        public async Task<IReadOnlyList<CachedRevision>> ReadAsync(CancellationToken cancellationToken)
        {
            await deadline.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return [];
        }

        public Task KeepAsync(IReadOnlyList<CachedRevision> answers, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FailingCache : IRevisionCache
    {
        public Task<IReadOnlyList<CachedRevision>> ReadAsync(CancellationToken cancellationToken) =>
            Task.FromException<IReadOnlyList<CachedRevision>>(new Amazon.Runtime.AmazonServiceException("throttled") { ErrorCode = "ThrottlingException", StatusCode = System.Net.HttpStatusCode.BadRequest });

        public Task KeepAsync(IReadOnlyList<CachedRevision> answers, CancellationToken cancellationToken) =>
            Task.FromException(new Amazon.Runtime.AmazonServiceException("throttled") { ErrorCode = "ThrottlingException", StatusCode = System.Net.HttpStatusCode.BadRequest });
    }
}
