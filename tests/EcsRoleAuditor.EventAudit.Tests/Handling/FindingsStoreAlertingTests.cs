using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.State;
using EcsRoleAuditor.State.Memory;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// The function with the findings store (issue 14): what a team receives over a series of events. The store's own
/// semantics are pinned by the contract suite in EcsRoleAuditor.State.Tests; these tests pin the handler's use of it.
/// </summary>
public sealed class FindingsStoreAlertingTests
{
    private static HandlerFixture WithStore() => new(findings: time => new InMemoryFindingStore(time));

    private static byte[] Event(string sample, string id, Action<JsonNode>? change = null) => DemoAccount.Event(sample, id, change);

    private static string[] Subjects(HandlerFixture fixture) => [.. fixture.Sns.Published.Select(m => m.Subject ?? "")];

    [Fact]
    public async Task A_standing_violation_is_alerted_once_over_sweeps_and_iam_events()
    {
        var fixture = WithStore();

        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep-day-1"));
        await fixture.InvokeAsync(Event("put-role-policy.json", "iam-1"));
        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep-day-2"));

        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12", "[CRITICAL] 5 ECS role violations in legacy-reports:3"], Subjects(fixture));
        Assert.All(fixture.Sns.Published, m => Assert.Equal("OPEN", m.Attributes["status"].Value));
        Assert.Contains(fixture.Observability.Lines, l => l.Message.Contains("ERA020 HIGH open, alerted earlier", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warm_sweep_lists_the_active_revisions_and_describes_none_of_them()
    {
        var fixture = WithStore();
        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep-day-1"));
        var cold = fixture.Observability.Lines[^1].Message;
        fixture.Time.Advance(TimeSpan.FromDays(1));

        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep-day-2"));

        Assert.Contains("ecs:DescribeTaskDefinition 3", cold, StringComparison.Ordinal);
        var warm = fixture.Observability.Lines[^1].Message;
        Assert.StartsWith("Handled Scheduled Event: ", warm, StringComparison.Ordinal);
        Assert.Contains("ecs:ListTaskDefinitions 1", warm, StringComparison.Ordinal);
        Assert.DoesNotContain("ecs:DescribeTaskDefinition", warm, StringComparison.Ordinal);
        Assert.Equal(3, fixture.Ecs.Described.Count);
    }

    [Fact]
    public async Task A_rollback_that_deregisters_the_newest_revision_makes_the_next_sweep_speak_for_the_older_one()
    {
        var fixture = WithStore();
        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-12"));
        // Revision 13 runs with another execution role: billing-worker-execution's application permissions are gone.
        const string arn13 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:13";
        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-13", node =>
        {
            var definition = node["detail"]!["responseElements"]!["taskDefinition"]!;
            definition["taskDefinitionArn"] = arn13;
            definition["revision"] = 13;
            definition["executionRoleArn"] = "arn:aws:iam::111122223333:role/service-role/orders-api-execution";
            fixture.Ecs.Add(node["detail"]!["responseElements"]!.ToJsonString());
        }));
        var beforeRollback = Subjects(fixture);
        fixture.Time.Advance(TimeSpan.FromHours(2));
        fixture.Ecs.DeregisterRevision(arn13);

        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep-after-rollback"));

        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12", "[MEDIUM] 1 ECS role violation in billing-worker:13", "[RESOLVED] 2 ECS role violations fixed in billing-worker:13"], beforeRollback);
        // 12 is the newest ACTIVE revision again: what 13 fixed is back (REOPENED), what 13 brought is gone.
        Assert.Equal(
            ["[HIGH] 2 ECS role violations in billing-worker:12", "[RESOLVED] 1 ECS role violation fixed in billing-worker:12", "[CRITICAL] 5 ECS role violations in legacy-reports:3"],
            Subjects(fixture).Skip(beforeRollback.Length));
        var (_, email, _) = HandlerFixture.Bodies(fixture.Sns.Published[beforeRollback.Length]);
        Assert.Contains(" - REOPENED", email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_sweep_an_iam_event_lists_nothing_and_describes_only_the_task_definitions_naming_the_role()
    {
        var stateless = new HandlerFixture();
        var fixture = WithStore();
        await stateless.InvokeAsync(Event("put-role-policy.json", "iam-0"));
        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep"));
        var afterSweep = fixture.Ecs.Calls;

        await fixture.InvokeAsync(Event("put-role-policy.json", "iam-1"));

        // Without the store: one page of ACTIVE revisions and a describe of each family's newest (1 + 3).
        Assert.Equal(4, stateless.Ecs.Calls);
        Assert.Equal(1, fixture.Ecs.Calls - afterSweep);
        Assert.Equal(["arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12"], fixture.Ecs.Described.Skip(3));
        // The invocation's own count, logged at its end: one describe, the role reads, no listing.
        var handled = fixture.Observability.Lines[^1].Message;
        Assert.StartsWith("Handled PutRolePolicy: ", handled, StringComparison.Ordinal);
        Assert.Contains("ecs:DescribeTaskDefinition 1", handled, StringComparison.Ordinal);
        Assert.DoesNotContain("ecs:List", handled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_alert_labels_each_finding_new()
    {
        var fixture = WithStore();

        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-12"));

        var (_, email, chat) = HandlerFixture.Bodies(Assert.Single(fixture.Sns.Published));
        Assert.Contains("ERA020", email, StringComparison.Ordinal);
        Assert.Contains(" - NEW", email, StringComparison.Ordinal);
        Assert.Contains("Each finding is alerted once", email, StringComparison.Ordinal);
        Assert.Contains("(NEW)", chat.GetProperty("content").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_revision_without_the_violation_sends_one_resolved_notice()
    {
        var fixture = WithStore();
        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-12"));

        var fixedEvent = Event("register-task-definition-violating.json", "register-13", FixedRevision13);
        await fixture.InvokeAsync(fixedEvent);
        await fixture.InvokeAsync(Event("register-task-definition-violating.json", "register-13-again", FixedRevision13));

        var notice = Assert.Single(fixture.Sns.Published, m => m.Attributes["status"].Value == "RESOLVED");
        Assert.Equal("[RESOLVED] 2 ECS role violations fixed in billing-worker:13", notice.Subject);
        Assert.Equal("HIGH", notice.Attributes["severity"].Value);
        Assert.Equal("[\"ERA020\"]", notice.Attributes["ruleIds"].Value);
        var (json, email, chat) = HandlerFixture.Bodies(notice);
        Assert.Equal("RESOLVED", json.GetProperty("status").GetString());
        Assert.Equal(13, json.GetProperty("revision").GetInt32());
        Assert.All(json.GetProperty("findings").EnumerateArray(), f => Assert.Equal("arn:aws:iam::111122223333:role/billing-worker-execution", f.GetProperty("roleArn").GetString()));
        Assert.Contains("- RESOLVED", email, StringComparison.Ordinal);
        Assert.Contains("Open since", email, StringComparison.Ordinal);
        Assert.Equal("RoleViolationsResolved", chat.GetProperty("metadata").GetProperty("eventType").GetString());
    }

    [Fact]
    public async Task A_retry_after_a_failed_publish_still_sends_the_alert_once()
    {
        var fixture = WithStore();
        var register = Event("register-task-definition-violating.json", "register-12");
        fixture.Sns.Unreachable = true;

        await Assert.ThrowsAnyAsync<Exception>(() => fixture.InvokeAsync(register));
        fixture.Sns.Unreachable = false;
        await fixture.InvokeAsync(Event("put-role-policy.json", "iam-meanwhile"));
        await fixture.InvokeAsync(register);
        await fixture.InvokeAsync(register);

        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12"], Subjects(fixture));
    }

    [Fact]
    public async Task Concurrent_events_for_the_same_family_alert_once()
    {
        var fixture = WithStore();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => fixture.InvokeAsync(Event("register-task-definition-violating.json", $"register-{i}")))));

        Assert.Single(fixture.Sns.Published);
    }

    [Fact]
    public async Task Role_overrides_at_run_time_alert_as_without_a_store_and_are_not_recorded()
    {
        var fixture = WithStore();

        await fixture.InvokeAsync(Event("run-task-with-role-overrides.json", "run-1"));
        await fixture.InvokeAsync(Event("run-task-with-role-overrides.json", "run-2"));
        await fixture.InvokeAsync(Event("scheduled-sweep.json", "sweep"));

        Assert.Equal(2, fixture.Sns.Published.Count(m => m.Subject == "[CRITICAL] 3 ECS role violations in orders-api:7"));
        Assert.DoesNotContain(fixture.Sns.Published, m => m.Attributes["status"].Value == "RESOLVED");
    }

    // Revision 13 of billing-worker runs with orders-api's execution role, which has no application permissions.
    private static void FixedRevision13(JsonNode node)
    {
        var definition = node["detail"]!["responseElements"]!["taskDefinition"]!;
        definition["revision"] = 13;
        definition["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:13";
        definition["executionRoleArn"] = "arn:aws:iam::111122223333:role/service-role/orders-api-execution";
    }
}

/// <summary>REMIND_AFTER_DAYS: a daily sweep reminds, once per period, of what stays open.</summary>
public sealed class ReminderTests
{
    [Fact]
    public async Task After_the_configured_days_a_sweep_sends_one_reminder_per_family_and_then_waits_again()
    {
        var fixture = new HandlerFixture(findings: time => new InMemoryFindingStore(time), remindAfterDays: 7);
        await fixture.InvokeAsync(Sweep("day-1"));
        var alerts = fixture.Sns.Published.Count;

        for (var day = 2; day <= 9; day++)
        {
            fixture.Time.Advance(TimeSpan.FromDays(1));
            await fixture.InvokeAsync(Sweep($"day-{day}"));
        }

        var reminders = fixture.Sns.Published.Skip(alerts).ToList();
        Assert.Equal(["[HIGH] Reminder: 2 ECS role violations still open in billing-worker:12", "[CRITICAL] Reminder: 5 ECS role violations still open in legacy-reports:3"],
            reminders.Select(m => m.Subject));
        var (json, email, _) = HandlerFixture.Bodies(reminders[0]);
        Assert.True(json.GetProperty("reminder").GetBoolean());
        Assert.Equal("OPEN", reminders[0].Attributes["status"].Value);
        Assert.Contains("- STILL OPEN", email, StringComparison.Ordinal);
        // Both of billing-worker's open findings are ERA020 on the execution role: the command that settles them.
        Assert.Contains("\nWrite the least-privilege execution role: ecs-role-auditor fix --live --task-definition billing-worker:12 --region eu-west-1\n", email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_REMIND_AFTER_DAYS_a_standing_violation_is_never_repeated()
    {
        var fixture = new HandlerFixture(findings: time => new InMemoryFindingStore(time));

        for (var day = 1; day <= 30; day++)
        {
            await fixture.InvokeAsync(Sweep($"day-{day}"));
            fixture.Time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal(2, fixture.Sns.Published.Count);
    }

    private static byte[] Sweep(string id) => DemoAccount.Event("scheduled-sweep.json", id);
}

/// <summary>A sweep closes the findings of families that have no ACTIVE task definition any more.</summary>
public sealed class FamilyGoneTests
{
    // "When you deregister all revisions in a task family, the task definition family is moved to the INACTIVE list"
    // and "You can't use an INACTIVE task definition revision to run new tasks or create new services", while existing
    // tasks and services keep running and can scale (Amazon ECS Developer Guide, "Deregistering an Amazon ECS task
    // definition revision"): the notice closes the findings and says what it no longer watches.
    [Fact]
    public async Task A_sweep_that_no_longer_lists_a_family_closes_its_findings_once_and_says_what_still_runs()
    {
        var fixture = new HandlerFixture(findings: time => new InMemoryFindingStore(time));
        await fixture.InvokeAsync(SweepWithId("day-1"));
        fixture.Time.Advance(TimeSpan.FromDays(1));
        fixture.Ecs.Deregister("billing-worker");

        await fixture.InvokeAsync(SweepWithId("day-2"));
        await fixture.InvokeAsync(SweepWithId("day-3"));

        var notice = Assert.Single(fixture.Sns.Published, m => m.Attributes["status"].Value == "RESOLVED");
        Assert.Equal("[RESOLVED] 2 ECS role violations closed: billing-worker has no ACTIVE revision", notice.Subject);
        var (json, email, _) = HandlerFixture.Bodies(notice);
        Assert.Equal("billing-worker", json.GetProperty("family").GetString());
        Assert.Contains("tasks and services already using it keep running", email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_that_could_not_list_everything_closes_nothing()
    {
        var fixture = new HandlerFixture(findings: time => new InMemoryFindingStore(time));
        await fixture.InvokeAsync(SweepWithId("day-1"));
        fixture.Ecs.Deregister("billing-worker");
        fixture.Ecs.OnDescribe = arn => throw new Amazon.Runtime.AmazonServiceException("denied") { ErrorCode = "AccessDeniedException" };

        await fixture.InvokeAsync(SweepWithId("day-2"));

        Assert.DoesNotContain(fixture.Sns.Published, m => m.Attributes["status"].Value == "RESOLVED");
    }

    private static byte[] SweepWithId(string id) => DemoAccount.Event("scheduled-sweep.json", id);
}

/// <summary>A findings store that fails never silences an alert.</summary>
public sealed class FailingStoreTests
{
    [Fact]
    public async Task A_store_that_denies_access_is_logged_once_and_the_invocation_alerts_as_without_it()
    {
        var fixture = new HandlerFixture(findings: time => new DeniedStore());

        await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));

        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12", "[CRITICAL] 5 ECS role violations in legacy-reports:3"], fixture.Sns.Published.Select(m => m.Subject));
        Assert.Equal(1, fixture.Observability.StoreFailures);
        var error = Assert.Single(fixture.Observability.Lines, l => l.Level == EventAudit.Handling.LogLevel.Error);
        Assert.Equal("The findings store failed while reading the account's findings (AccessDeniedException): this invocation alerts without it, so some findings may be alerted again.", error.Message);
    }

    private sealed class DeniedHeads : Pipeline.IFamilyHeadIndex
    {
        public Task<IReadOnlyList<Pipeline.FamilyHead>?> HeadsAsync(CancellationToken cancellationToken) => DeniedStore.Denied<IReadOnlyList<Pipeline.FamilyHead>?>();

        public Task RecordAsync(IReadOnlyList<Pipeline.FamilyHead> heads, bool complete, DateTimeOffset listedAt, IReadOnlyList<Pipeline.FamilyHead>? known, CancellationToken cancellationToken) => DeniedStore.Denied<bool>();

        public Task ListedFamilyAsync(string family, Pipeline.FamilyHead? newest, DateTimeOffset listedAt, CancellationToken cancellationToken) => DeniedStore.Denied<bool>();
    }

    private sealed class DeniedRevisions : Pipeline.IRevisionCache
    {
        public Task<IReadOnlyList<Pipeline.CachedRevision>> ReadAsync(CancellationToken cancellationToken) => DeniedStore.Denied<IReadOnlyList<Pipeline.CachedRevision>>();

        public Task KeepAsync(IReadOnlyList<Pipeline.CachedRevision> answers, CancellationToken cancellationToken) => DeniedStore.Denied<bool>();
    }

    /// <summary>Every call fails as DynamoDB answers a role without dynamodb:* on the table.</summary>
    private sealed class DeniedStore : IFindingStore
    {
        public static Task<T> Denied<T>() => throw new Amazon.Runtime.AmazonServiceException("User is not authorized to perform: dynamodb:Query")
        {
            ErrorCode = "AccessDeniedException",
            StatusCode = System.Net.HttpStatusCode.BadRequest,
        };

        public Pipeline.IFamilyHeadIndex HeadIndex(string account, string region) => new DeniedHeads();

        public Pipeline.IRevisionCache RevisionCache(string account, string region) => new DeniedRevisions();

        public Task<IReadOnlyList<StoredFinding>> FamilyFindingsAsync(FamilyKey family, CancellationToken cancellationToken) => Denied<IReadOnlyList<StoredFinding>>();

        public Task<Observed> ObserveAsync(Observation observation, CancellationToken cancellationToken) => Denied<Observed>();

        public Task CountAsync(string account, DateOnly day, int opened, int resolved, CancellationToken cancellationToken) => Denied<bool>();

        public Task<Resolved> ResolveAsync(Resolution resolution, CancellationToken cancellationToken) => Denied<Resolved>();

        public Task<bool> ClaimReminderAsync(Reminder reminder, CancellationToken cancellationToken) => Denied<bool>();

        public Task DeliveredAsync(FamilyKey family, string fingerprint, string claim, DateTimeOffset at, CancellationToken cancellationToken) => Denied<bool>();

        public Task<IReadOnlyList<FindingChange>> HistoryAsync(string fingerprint, CancellationToken cancellationToken) => Denied<IReadOnlyList<FindingChange>>();

        public Task<IReadOnlyList<StoredFinding>> AccountFindingsAsync(string account, FindingStatus? status, CancellationToken cancellationToken) => Denied<IReadOnlyList<StoredFinding>>();

        public Task<IReadOnlyList<DailyCount>> DailyCountsAsync(string account, DateOnly first, DateOnly last, CancellationToken cancellationToken) => Denied<IReadOnlyList<DailyCount>>();
    }
}
