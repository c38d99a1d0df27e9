using System.Text.Json.Nodes;
using EcsRoleAuditor.State.Memory;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// DeregisterTaskDefinition acts at once: the family is listed, and its newest ACTIVE revision (an older one after a
/// rollback) speaks for it, or, with none left, its findings are closed as a sweep closes them.
/// </summary>
public sealed class DeregistrationHandlingTests
{
    private const string Revision12 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12";
    private const string Revision13 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:13";

    private static HandlerFixture WithStore() => new(findings: time => new InMemoryFindingStore(time));

    private static byte[] Event(string sample, string id, Action<JsonNode>? change = null) => DemoAccount.Event(sample, id, change);

    private static byte[] Deregistered(string reference, string id) =>
        Event("deregister-task-definition.json", id, node => node["detail"]!["requestParameters"]!["taskDefinition"] = reference);

    // Revision 13 runs with orders-api's execution role: billing-worker-execution's application permissions are gone.
    private static byte[] Registered13(HandlerFixture fixture) => Event("register-task-definition-violating.json", "register-13", node =>
    {
        var definition = node["detail"]!["responseElements"]!["taskDefinition"]!;
        definition["taskDefinitionArn"] = Revision13;
        definition["revision"] = 13;
        definition["executionRoleArn"] = "arn:aws:iam::111122223333:role/service-role/orders-api-execution";
        fixture.Ecs.Add(node["detail"]!["responseElements"]!.ToJsonString());
    });

    private static string[] Subjects(HandlerFixture fixture) => [.. fixture.Sns.Published.Select(m => m.Subject ?? "")];

    [Fact]
    public async Task A_rollback_speaks_for_the_older_revision_at_once_and_the_next_role_event_audits_it()
    {
        var fixture = WithStore();
        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep"));
        await fixture.InvokeAsync(Registered13(fixture));
        var beforeRollback = Subjects(fixture).Length;
        fixture.Time.Advance(TimeSpan.FromHours(2));
        fixture.Ecs.DeregisterRevision(Revision13);

        await fixture.InvokeAsync(Deregistered("billing-worker:13", "deregister-13"));
        var afterRollback = Subjects(fixture).Skip(beforeRollback).ToArray();
        var described = fixture.Ecs.Described.Count;
        // billing-worker-execution: 12's execution role, which 13 does not use.
        await fixture.InvokeAsync(Event("put-role-policy.json", "iam-after-rollback"));

        // What the sweep after a rollback says (FindingsStoreAlertingTests), without waiting for it: what 13 fixed is
        // back (REOPENED), what 13 brought is gone.
        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12", "[RESOLVED] 1 ECS role violation fixed in billing-worker:12"], afterRollback);
        var (_, email, _) = HandlerFixture.Bodies(fixture.Sns.Published[beforeRollback]);
        Assert.Contains(" - REOPENED", email, StringComparison.Ordinal);
        // The family's head is 12 again: the role event describes 12 (not the deregistered 13) and says nothing new.
        Assert.Equal([Revision12], fixture.Ecs.Described.Skip(described));
        Assert.Equal(beforeRollback + 2, fixture.Sns.Published.Count);
    }

    [Fact]
    public async Task Deregistering_an_older_revision_lists_the_family_once_and_describes_and_sends_nothing()
    {
        var fixture = WithStore();
        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-12"));
        await fixture.InvokeAsync(Registered13(fixture));
        var (published, calls, described) = (fixture.Sns.Published.Count, fixture.Ecs.Calls, fixture.Ecs.Described.Count);
        fixture.Time.Advance(TimeSpan.FromHours(2));
        fixture.Ecs.DeregisterRevision(Revision12);

        await fixture.InvokeAsync(Deregistered(Revision12, "deregister-12"));

        Assert.Equal(1, fixture.Ecs.Calls - calls);
        Assert.Equal(described, fixture.Ecs.Described.Count);
        Assert.Equal(published, fixture.Sns.Published.Count);
    }

    // "When you deregister all revisions in a task family, the task definition family is moved to the INACTIVE list"
    // (Amazon ECS Developer Guide, "Deregistering an Amazon ECS task definition revision"): the family is closed as a
    // sweep closes it (FamilyGoneTests), with one notice.
    [Fact]
    public async Task Deregistering_the_last_revision_closes_the_family_with_one_notice()
    {
        var fixture = WithStore();
        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-12"));
        fixture.Time.Advance(TimeSpan.FromHours(1));
        fixture.Ecs.Deregister("billing-worker");

        await fixture.InvokeAsync(Deregistered("billing-worker:12", "deregister-12"));
        await fixture.InvokeAsync(Deregistered("billing-worker:12", "deregister-12-again"));
        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep"));

        var notice = Assert.Single(fixture.Sns.Published, m => m.Attributes["status"].Value == "RESOLVED");
        Assert.Equal("[RESOLVED] 2 ECS role violations closed: billing-worker has no ACTIVE revision", notice.Subject);
        Assert.Same(notice, fixture.Sns.Published[1]);
        var (json, email, _) = HandlerFixture.Bodies(notice);
        Assert.Equal("billing-worker", json.GetProperty("family").GetString());
        Assert.Contains("tasks and services already using it keep running", email, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Sns.Published, m => m.Subject!.Contains("incomplete", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_revision_last_audited_within_the_listing_margin_is_not_closed_by_the_deregistration()
    {
        var fixture = WithStore();
        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-12"));
        fixture.Time.Advance(TimeSpan.FromMinutes(4));
        fixture.Ecs.Deregister("billing-worker");

        await fixture.InvokeAsync(Deregistered("billing-worker:12", "deregister-12"));

        // The listing may predate a registration seen that recently; the next sweep decides.
        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12"], Subjects(fixture));
    }

    [Fact]
    public async Task Without_the_store_deregistering_the_newest_audits_the_new_newest_and_the_last_sends_nothing()
    {
        var fixture = new HandlerFixture();
        await fixture.InvokeAsync(Registered13(fixture));
        fixture.Ecs.DeregisterRevision(Revision13);
        var registered = Subjects(fixture).Length;

        await fixture.InvokeAsync(Deregistered(Revision13, "deregister-13"));
        fixture.Ecs.Deregister("billing-worker");
        var response = await fixture.InvokeAsync(Deregistered(Revision12, "deregister-12"));

        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12"], Subjects(fixture).Skip(registered));
        Assert.Equal(Revision12, fixture.Ecs.Described[^1]);
        Assert.Contains("\"incomplete\":0", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_deregistration_is_ignored()
    {
        var fixture = WithStore();

        var response = await fixture.InvokeAsync(Deregistered("billing-worker", "deregister-family"));

        Assert.Contains("\"status\":\"ignored\"", response, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Ecs.Calls);
        Assert.Empty(fixture.Sns.Published);
    }
}
