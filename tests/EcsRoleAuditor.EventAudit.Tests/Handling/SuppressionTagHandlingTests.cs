using System.Text.Json.Nodes;
using EcsRoleAuditor.State;
using EcsRoleAuditor.State.Memory;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// The suppression tag put on or taken off a task definition, end to end: the handler re-audits the family's newest
/// ACTIVE revision as ECS now describes it (tags included), and with the findings store the finding's record follows.
/// </summary>
public sealed class SuppressionTagHandlingTests
{
    private const string Family = "billing-worker";
    private const string Revision12 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12";
    private const string Alert12 = "[HIGH] 2 ECS role violations in billing-worker:12";

    private static byte[] Event(string sample, string id, Action<JsonNode>? changeDetail = null) =>
        DemoAccount.Event(sample, id, changeDetail is null ? null : node => changeDetail(node["detail"]!));

    private static byte[] TagEvent(string id) => Event("tag-task-definition-suppress.json", id);

    private static byte[] UntagEvent(string id) => Event("tag-task-definition-suppress.json", id, detail =>
    {
        detail["eventName"] = "UntagResource";
        var request = detail["requestParameters"]!.AsObject();
        request.Remove("tags");
        request["tagKeys"] = new JsonArray("ecs-role-auditor:suppress");
    });

    // billing-worker:12 as ECS describes it once the tag is on (or, with null, off) the revision.
    private static void Tag(HandlerFixture fixture, string? value, string arn = Revision12)
    {
        var output = JsonNode.Parse(DemoAccount.DescribeOutputs()[Revision12])!;
        output["tags"] = value is null ? new JsonArray() : new JsonArray(new JsonObject { ["key"] = "ecs-role-auditor:suppress", ["value"] = value });
        output["taskDefinition"]!["taskDefinitionArn"] = arn;
        output["taskDefinition"]!["revision"] = int.Parse(arn.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        fixture.Ecs.Add(output.ToJsonString());
    }

    private static string[] Subjects(HandlerFixture fixture) => [.. fixture.Sns.Published.Select(m => m.Subject ?? "")];

    [Fact]
    public async Task A_tag_on_an_old_revision_re_audits_the_newest_one_only()
    {
        var fixture = new HandlerFixture();
        var revision11 = Revision12.Replace(":12", ":11", StringComparison.Ordinal);
        Tag(fixture, "ERA020", revision11);

        await fixture.InvokeAsync(Event("tag-task-definition-suppress.json", "tag-11", detail => detail["requestParameters"]!["resourceArn"] = revision11));

        // The family is listed and its newest ACTIVE revision described: 12, untagged, still alerted; 11 never read.
        Assert.Equal([Revision12], fixture.Ecs.Described);
        Assert.Equal([Alert12], Subjects(fixture));
    }

    [Fact]
    public async Task A_tag_on_a_family_without_active_revisions_publishes_nothing()
    {
        var fixture = new HandlerFixture();
        fixture.Ecs.Deregister(Family);

        var response = await fixture.InvokeAsync(TagEvent("tag-gone"));

        // Nothing to audit is not an audit that could not finish: no ERA005.
        Assert.Empty(fixture.Sns.Published);
        Assert.Empty(fixture.Ecs.Described);
        Assert.Contains("\"incomplete\":0", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_store_the_re_audit_marks_the_finding_suppressed_and_sends_nothing()
    {
        var fixture = new HandlerFixture();
        Tag(fixture, "ERA020:invoice reads move to the task role in the next release");

        await fixture.InvokeAsync(TagEvent("tag-1"));

        Assert.Empty(fixture.Sns.Published);
        Assert.Contains(fixture.Observability.Lines, l => l.Message.Contains(
            "ERA020 HIGH suppressed (tag ecs-role-auditor:suppress on task definition billing-worker:12: invoice reads move to the task role in the next release)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_store_a_suppressed_finding_is_recorded_suppressed_without_a_notice_and_alerts_again_once_untagged()
    {
        InMemoryFindingStore? store = null;
        var fixture = new HandlerFixture(findings: time => store = new InMemoryFindingStore(time));
        async Task<FindingStatus[]> Era020Statuses() =>
            [.. (await store!.AccountFindingsAsync("111122223333", null, CancellationToken.None)).Where(f => f.Family.Family == Family && f.RuleId == "ERA020").Select(f => f.Status)];

        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-12"));
        Assert.Equal([FindingStatus.Open, FindingStatus.Open], await Era020Statuses());

        Tag(fixture, "ERA020");
        await fixture.InvokeAsync(TagEvent("tag-1"));

        // Still shown by the audit, so not resolved: no RESOLVED notice, and the record says suppressed, not alerted.
        Assert.Equal([Alert12], Subjects(fixture));
        Assert.Equal([FindingStatus.Suppressed, FindingStatus.Suppressed], await Era020Statuses());
        Assert.All((await store!.AccountFindingsAsync("111122223333", FindingStatus.Suppressed, CancellationToken.None)).Where(f => f.RuleId == "ERA020"),
            f => Assert.Null(f.AlertedSeverity));

        Tag(fixture, null);
        await fixture.InvokeAsync(UntagEvent("untag-1"));

        // A finding that was suppressed has no alert on record: lifting the suppression alerts it again, once.
        Assert.Equal([Alert12, Alert12], Subjects(fixture));
        Assert.Equal("OPEN", fixture.Sns.Published[^1].Attributes["status"].Value);
        Assert.Equal([FindingStatus.Open, FindingStatus.Open], await Era020Statuses());
        await fixture.InvokeAsync(UntagEvent("untag-again"));
        Assert.Equal(2, fixture.Sns.Published.Count);
    }

    [Fact]
    public async Task The_sweep_after_a_tag_event_reads_the_tagged_answer_it_kept_and_does_not_reopen_the_finding()
    {
        InMemoryFindingStore? store = null;
        var fixture = new HandlerFixture(findings: time => store = new InMemoryFindingStore(time));
        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep-day-1"));
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        Tag(fixture, "ERA020");
        await fixture.InvokeAsync(TagEvent("tag-1"));
        fixture.Ecs.Described.Clear();
        fixture.Time.Advance(TimeSpan.FromDays(1));

        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep-day-2"));

        // Read from the kept answers (the tag event's for billing-worker): nothing described, nothing alerted again.
        Assert.Empty(fixture.Ecs.Described);
        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12", "[CRITICAL] 5 ECS role violations in legacy-reports:3"], Subjects(fixture));
        Assert.All((await store!.AccountFindingsAsync("111122223333", null, CancellationToken.None)).Where(f => f.RuleId == "ERA020"),
            f => Assert.Equal(FindingStatus.Suppressed, f.Status));
    }
}
