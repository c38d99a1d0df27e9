using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.State;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.State.Tests;

/// <summary>
/// The alert policy of issue 14 as every store must keep it (docs/state.md): one alert per new problem, one notice when
/// it is resolved, exactly one alerter among concurrent invocations, a retried invocation publishes what it had not,
/// and older evidence never overrides newer. Each store implementation runs these through <see cref="FindingLedger"/>.
/// </summary>
public abstract class FindingStoreContract
{
    private const string Account = "111122223333";
    private const string ExecutionRole = TestData.SampleFindings.ExecutionRole;

    private static readonly Finding AppOnExecutionRole = TestData.SampleFindings.AppPermissionOnExecutionRole;

    private static readonly Finding SecondProblem = AppOnExecutionRole with { Statement = "Queues", Actions = ["sqs:SendMessage"], Message = "Execution role allows sqs:SendMessage." };

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A new, empty store; every call of a test returns the same store.</summary>
    protected abstract IFindingStore Store { get; }

    /// <summary>The store's family heads of an account and region.</summary>
    protected abstract Pipeline.IFamilyHeadIndex Heads(string account, string region);

    private static Pipeline.FamilyHead Head(string family, int revision, string? taskRole = "app-task") =>
        new(family, $"arn:aws:ecs:eu-west-1:{Account}:task-definition/{family}:{revision}", revision, taskRole, $"arn:aws:iam::{Account}:role/{family}-execution");

    private FindingLedger Ledger => new(Store, Time);

    protected static TaskDefinitionReport Report(int revision, params Finding[] findings) =>
        new($"arn:aws:ecs:eu-west-1:{Account}:task-definition/billing-worker:{revision}", "billing-worker", revision, null, ExecutionRole, [.. findings]);

    private static bool AtLeastMedium(Finding finding) => finding.Severity >= Severity.Medium;

    private async Task<LedgerEntry> RecordAsync(TaskDefinitionReport report, string claim = "event-1", bool deliver = true, bool mayResolve = true)
    {
        var entry = await Ledger.RecordAsync(report, AtLeastMedium, claim, mayResolve, CancellationToken.None);
        Assert.NotNull(entry);
        if (deliver)
        {
            await Ledger.DeliveredAsync(entry, CancellationToken.None);
        }
        Time.Advance(TimeSpan.FromMinutes(5));
        return entry;
    }

    [Fact]
    public async Task The_same_violation_over_ten_revisions_is_alerted_once()
    {
        var alerts = 0;
        for (var revision = 1; revision <= 10; revision++)
        {
            var entry = await RecordAsync(Report(revision, AppOnExecutionRole), claim: $"register-{revision}");
            alerts += entry.ToAlert.Length;
            Assert.Equal(revision == 1 ? 0 : 1, entry.StillOpen.Length);
        }

        Assert.Equal(1, alerts);
    }

    [Fact]
    public async Task A_fix_in_a_new_revision_is_announced_once_and_a_relapse_reopens()
    {
        await RecordAsync(Report(10, AppOnExecutionRole), claim: "r10");

        var fixedIn11 = await RecordAsync(Report(11), claim: "r11");
        var stillFixed = await RecordAsync(Report(12), claim: "r12");
        var relapse = await RecordAsync(Report(13, AppOnExecutionRole), claim: "r13");

        var resolved = Assert.Single(fixedIn11.ToAnnounce);
        Assert.Equal(ExecutionRole, resolved.RoleArn);
        Assert.Empty(fixedIn11.ToAlert);
        Assert.Empty(stillFixed.ToAnnounce);
        Assert.Equal(AlertReason.Reopened, Assert.Single(relapse.ToAlert).Reason);
        var stored = Assert.Single(await Store.FamilyFindingsAsync(relapse.Family, CancellationToken.None));
        Assert.Equal(FindingStatus.Open, stored.Status);
        Assert.Equal(13, stored.EvidenceRevision);
    }

    [Fact]
    public async Task A_rising_severity_alerts_again_and_a_falling_one_does_not()
    {
        await RecordAsync(Report(1, AppOnExecutionRole with { Severity = Severity.Medium }), claim: "r1");

        var rose = await RecordAsync(Report(2, AppOnExecutionRole with { Severity = Severity.Critical }), claim: "r2");
        var fell = await RecordAsync(Report(3, AppOnExecutionRole with { Severity = Severity.High }), claim: "r3");

        var alerted = Assert.Single(rose.ToAlert);
        Assert.Equal(AlertReason.SeverityRose, alerted.Reason);
        Assert.Equal(Severity.Medium, alerted.Before?.AlertedSeverity);
        Assert.Empty(fell.ToAlert);
    }

    [Fact]
    public async Task Concurrent_invocations_for_the_same_family_alert_once()
    {
        var entries = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Ledger.RecordAsync(Report(5, AppOnExecutionRole, SecondProblem), AtLeastMedium, $"event-{i}", mayResolve: true, CancellationToken.None))));

        Assert.Equal(2, entries.Sum(e => e!.ToAlert.Length));
        Assert.Equal(2, entries.SelectMany(e => e!.ToAlert).Select(a => a.Fingerprint).Distinct().Count());
    }

    [Fact]
    public async Task A_retry_after_a_failed_publish_alerts_again_and_then_never()
    {
        var failed = await RecordAsync(Report(4, AppOnExecutionRole), claim: "event-A", deliver: false);
        var otherEvent = await RecordAsync(Report(4, AppOnExecutionRole), claim: "event-B");
        var retry = await RecordAsync(Report(4, AppOnExecutionRole), claim: "event-A");
        var later = await RecordAsync(Report(4, AppOnExecutionRole), claim: "event-A");

        Assert.Single(failed.ToAlert);
        Assert.Empty(otherEvent.ToAlert);
        Assert.Equal(AlertReason.New, Assert.Single(retry.ToAlert).Reason);
        Assert.Empty(later.ToAlert);
    }

    [Fact]
    public async Task A_claim_whose_owner_never_confirms_is_taken_over_after_the_timeout()
    {
        await RecordAsync(Report(4, AppOnExecutionRole), claim: "crashed", deliver: false);
        var before = await RecordAsync(Report(4, AppOnExecutionRole), claim: "sweep-1");
        Time.Advance(StoreRules.ClaimTimeout);
        var after = await RecordAsync(Report(4, AppOnExecutionRole), claim: "sweep-2");

        Assert.Empty(before.ToAlert);
        Assert.Single(after.ToAlert);
    }

    [Fact]
    public async Task An_older_revision_arriving_late_neither_reopens_nor_resolves()
    {
        await RecordAsync(Report(12, AppOnExecutionRole), claim: "r12");
        var fixedIn13 = await RecordAsync(Report(13, SecondProblem), claim: "r13");
        var late12 = await RecordAsync(Report(12, AppOnExecutionRole), claim: "r12-late");

        Assert.Single(fixedIn13.ToAnnounce);
        Assert.Single(fixedIn13.ToAlert);
        Assert.Empty(late12.ToAlert);
        Assert.Empty(late12.ToAnnounce);
        var stored = await Store.FamilyFindingsAsync(fixedIn13.Family, CancellationToken.None);
        Assert.Equal([FindingStatus.Open, FindingStatus.Resolved], stored.OrderBy(f => f.Message.Contains("sqs", StringComparison.Ordinal) ? 0 : 1).Select(f => f.Status));
    }

    private static readonly Finding ThirdProblem = AppOnExecutionRole with { Statement = "Topics", Actions = ["sns:Publish"], Message = "Execution role allows sns:Publish." };

    // A rollback: revision 13 fixed AppOnExecutionRole and brought SecondProblem; the team deregistered 13, and a sweep
    // that began long after 13 was recorded lists 12 as the family's newest ACTIVE revision. 13 no longer runs new
    // tasks (ECS API Reference, DeregisterTaskDefinition: an INACTIVE task definition cannot run new tasks or create
    // services), so 12 speaks for the family again: ThirdProblem (in both) stays open without a new alert, SecondProblem
    // is resolved, AppOnExecutionRole reopens.
    [Fact]
    public async Task A_sweep_listing_an_older_newest_revision_supersedes_evidence_of_a_deregistered_one()
    {
        await RecordAsync(Report(12, AppOnExecutionRole, ThirdProblem), claim: "r12");
        await RecordAsync(Report(13, SecondProblem, ThirdProblem), claim: "r13");
        Time.Advance(TimeSpan.FromHours(1));

        var sweep = await Ledger.RecordAsync(Report(12, AppOnExecutionRole, ThirdProblem), AtLeastMedium, "sweep", mayResolve: true, CancellationToken.None, listedAt: Time.GetUtcNow());

        Assert.Equal([AlertReason.Reopened], sweep!.ToAlert.Select(a => a.Reason));
        Assert.Equal("Execution role allows sqs:SendMessage.", Assert.Single(sweep.ToAnnounce).Message);
        var stored = await Store.FamilyFindingsAsync(sweep.Family, CancellationToken.None);
        Assert.All(stored, f => Assert.Equal(12, f.EvidenceRevision));
        Assert.Equal(2, stored.Count(f => f.Status == FindingStatus.Open));
    }

    [Fact]
    public async Task A_revision_recorded_just_before_the_listing_began_is_not_superseded_by_it()
    {
        await RecordAsync(Report(12, AppOnExecutionRole), claim: "r12");
        Time.Advance(TimeSpan.FromHours(1));
        // Revision 13 registered and recorded a minute before a sweep whose listing (eventually consistent) still shows 12.
        await RecordAsync(Report(13, SecondProblem), claim: "r13");

        var sweep = await Ledger.RecordAsync(Report(12, AppOnExecutionRole), AtLeastMedium, "sweep", mayResolve: true, CancellationToken.None, listedAt: Time.GetUtcNow().AddMinutes(-4));

        Assert.Empty(sweep!.ToAlert);
        Assert.Empty(sweep.ToAnnounce);
        Assert.All(await Store.FamilyFindingsAsync(sweep.Family, CancellationToken.None), f => Assert.Equal(13, f.EvidenceRevision));
    }

    [Fact]
    public async Task A_retried_resolution_announces_again_until_delivered()
    {
        await RecordAsync(Report(1, AppOnExecutionRole), claim: "r1");

        var failed = await RecordAsync(Report(2), claim: "r2", deliver: false);
        var retry = await RecordAsync(Report(2), claim: "r2");
        var again = await RecordAsync(Report(2), claim: "r2");

        Assert.Single(failed.ToAnnounce);
        Assert.Single(retry.ToAnnounce);
        Assert.Empty(again.ToAnnounce);
    }

    [Fact]
    public async Task Incomplete_audits_and_audits_that_do_not_speak_for_the_family_resolve_nothing()
    {
        await RecordAsync(Report(1, AppOnExecutionRole), claim: "r1");
        var unreadable = IncompleteAuditRule.ForTaskDefinition("billing-worker:2", "The audit of billing-worker:2 is incomplete.", "Grant read access.");

        var incomplete = await RecordAsync(Report(2, unreadable), claim: "r2");
        var overridden = await RecordAsync(Report(3), claim: "run-task", mayResolve: false);

        Assert.Empty(incomplete.ToAnnounce);
        Assert.Empty(overridden.ToAnnounce);
        Assert.Contains(await Store.FamilyFindingsAsync(incomplete.Family, CancellationToken.None), f => f.RuleId == AppOnExecutionRole.RuleId && f.Status == FindingStatus.Open);
    }

    [Fact]
    public async Task Suppressed_and_low_findings_are_kept_without_alert_until_they_qualify()
    {
        var suppressed = AppOnExecutionRole with { Suppressed = true, SuppressionReason = "accepted" };
        var low = SecondProblem with { Severity = Severity.Low };

        var first = await RecordAsync(Report(1, suppressed, low), claim: "r1");
        var unsuppressedAndRisen = await RecordAsync(Report(2, AppOnExecutionRole, SecondProblem), claim: "r2");

        Assert.Empty(first.ToAlert);
        Assert.Equal(2, unsuppressedAndRisen.ToAlert.Length);
        var statuses = (await Store.FamilyFindingsAsync(first.Family, CancellationToken.None)).Select(f => f.Status);
        Assert.All(statuses, s => Assert.Equal(FindingStatus.Open, s));
    }

    [Fact]
    public async Task A_finding_never_alerted_is_resolved_without_a_notice()
    {
        await RecordAsync(Report(1, SecondProblem with { Severity = Severity.Low }), claim: "r1");

        var fixedIn2 = await RecordAsync(Report(2), claim: "r2");

        Assert.Empty(fixedIn2.ToAnnounce);
        Assert.Equal(FindingStatus.Resolved, Assert.Single(await Store.FamilyFindingsAsync(fixedIn2.Family, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task History_records_each_status_change_of_a_fingerprint()
    {
        var opened = await RecordAsync(Report(1, AppOnExecutionRole), claim: "r1");
        await RecordAsync(Report(2, AppOnExecutionRole), claim: "r2");
        await RecordAsync(Report(3), claim: "r3");
        await RecordAsync(Report(4, AppOnExecutionRole), claim: "r4");

        var history = await Store.HistoryAsync(opened.ToAlert[0].Fingerprint, CancellationToken.None);

        Assert.Equal([FindingStatus.Open, FindingStatus.Resolved, FindingStatus.Open], history.Select(h => h.Status));
        Assert.Equal([1, 3, 4], history.Select(h => h.Revision));
    }

    [Fact]
    public async Task An_accounts_findings_list_by_status_most_severe_first()
    {
        await RecordAsync(Report(1, AppOnExecutionRole, SecondProblem with { Severity = Severity.Critical }), claim: "r1");
        await RecordAsync(Report(2, AppOnExecutionRole), claim: "r2");

        var open = await Store.AccountFindingsAsync(Account, FindingStatus.Open, CancellationToken.None);
        var resolved = await Store.AccountFindingsAsync(Account, FindingStatus.Resolved, CancellationToken.None);
        var all = await Store.AccountFindingsAsync(Account, null, CancellationToken.None);
        var otherAccount = await Store.AccountFindingsAsync("444455556666", null, CancellationToken.None);

        Assert.Equal([Severity.High], open.Select(f => f.Severity));
        Assert.Equal([Severity.Critical], resolved.Select(f => f.Severity));
        Assert.Equal([FindingStatus.Open, FindingStatus.Resolved], all.Select(f => f.Status));
        Assert.Empty(otherAccount);
    }

    [Fact]
    public async Task Daily_counts_add_up_openings_and_resolutions_per_utc_day()
    {
        var day1 = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        await RecordAsync(Report(1, AppOnExecutionRole, SecondProblem), claim: "r1");
        await RecordAsync(Report(2, AppOnExecutionRole, SecondProblem), claim: "r2");
        Time.Advance(TimeSpan.FromDays(1));
        await RecordAsync(Report(3, AppOnExecutionRole), claim: "r3");

        var days = await Store.DailyCountsAsync(Account, day1, day1.AddDays(7), CancellationToken.None);

        Assert.Equal([(day1, 2, 0), (day1.AddDays(1), 0, 1)], days.Select(d => (d.Day, d.Opened, d.Resolved)));
        Assert.Empty(await Store.DailyCountsAsync(Account, day1.AddDays(2), day1.AddDays(7), CancellationToken.None));
    }

    [Fact]
    public async Task Closing_a_family_announces_its_alerted_findings_once_and_a_new_revision_reopens_them()
    {
        var opened = await RecordAsync(Report(7, AppOnExecutionRole, SecondProblem with { Severity = Severity.Low }), claim: "r7");
        var held = await Store.FamilyFindingsAsync(opened.Family, CancellationToken.None);

        var closed = await Ledger.CloseFamilyAsync(opened.Family, held, "sweep-1", CancellationToken.None);
        await Ledger.DeliveredAsync(closed, CancellationToken.None);
        var again = await Ledger.CloseFamilyAsync(opened.Family, await Store.FamilyFindingsAsync(opened.Family, CancellationToken.None), "sweep-2", CancellationToken.None);
        var reregistered = await RecordAsync(Report(8, AppOnExecutionRole), claim: "r8");

        Assert.Equal([AppOnExecutionRole.Message], closed.ToAnnounce.Select(f => f.Message));
        Assert.Empty(again.ToAnnounce);
        Assert.Equal(AlertReason.Reopened, Assert.Single(reregistered.ToAlert).Reason);
    }

    [Fact]
    public async Task A_reminder_goes_out_once_per_period_for_what_stays_open_and_is_never_an_alert()
    {
        await RecordAsync(Report(1, AppOnExecutionRole), claim: "r1");
        var remindAfter = TimeSpan.FromDays(7);

        async Task<LedgerEntry> SweepAsync(string claim, bool deliver = true)
        {
            var entry = await Ledger.RemindAsync((await Ledger.RecordAsync(Report(1, AppOnExecutionRole), AtLeastMedium, claim, true, CancellationToken.None))!, remindAfter, CancellationToken.None);
            if (deliver)
            {
                await Ledger.DeliveredAsync(entry, CancellationToken.None);
            }
            Time.Advance(TimeSpan.FromDays(1));
            return entry;
        }

        var early = await SweepAsync("day-1");
        Time.Advance(TimeSpan.FromDays(6));
        var failed = await SweepAsync("day-8", deliver: false);
        var otherEvent = await Ledger.RecordAsync(Report(1, AppOnExecutionRole), AtLeastMedium, "iam-event", true, CancellationToken.None);
        var retried = await SweepAsync("day-8");
        var nextDay = await SweepAsync("day-9");

        Assert.Empty(early.ToRemind);
        Assert.Single(failed.ToRemind);
        Assert.Empty(otherEvent!.ToAlert);
        Assert.Single(retried.ToRemind);
        Assert.Empty(retried.ToAlert);
        Assert.Empty(nextDay.ToRemind);
    }

    [Fact]
    public async Task Family_heads_are_unknown_until_a_complete_listing_and_then_follow_registrations_and_deregistrations()
    {
        var heads = Heads(Account, "eu-west-1");
        await heads.RecordAsync([Head("billing", 3)], complete: false, Time.GetUtcNow(), known: null, CancellationToken.None);
        var beforeListing = await heads.HeadsAsync(CancellationToken.None);

        await heads.RecordAsync([Head("billing", 3), Head("orders", 7)], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);
        var listed = await heads.HeadsAsync(CancellationToken.None);
        await heads.RecordAsync([Head("billing", 4, taskRole: null), Head("orders", 6)], complete: false, Time.GetUtcNow(), known: listed, CancellationToken.None);
        var registered = await heads.HeadsAsync(CancellationToken.None);
        await heads.RecordAsync([Head("billing", 4, taskRole: null)], complete: true, Time.GetUtcNow(), known: registered, CancellationToken.None);

        Assert.Null(beforeListing);
        Assert.Equal([Head("billing", 3), Head("orders", 7)], listed);
        // Revision 6 of orders is older than the 7 recorded: kept at 7.
        Assert.Equal([Head("billing", 4, taskRole: null), Head("orders", 7)], registered);
        Assert.Equal([Head("billing", 4, taskRole: null)], await heads.HeadsAsync(CancellationToken.None));
        Assert.Null(await Heads(Account, "us-east-1").HeadsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_revision_registered_during_a_listing_keeps_its_family_active()
    {
        var heads = Heads(Account, "eu-west-1");
        await heads.RecordAsync([Head("billing", 3), Head("orders", 7)], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);
        var seenBySweep = await heads.HeadsAsync(CancellationToken.None);

        // The sweep listed before orders:8 was registered, and orders:7 had just been deregistered.
        await heads.RecordAsync([Head("orders", 8)], complete: false, Time.GetUtcNow(), known: null, CancellationToken.None);
        await heads.RecordAsync([Head("billing", 3)], complete: true, Time.GetUtcNow(), known: seenBySweep, CancellationToken.None);

        Assert.Equal([Head("billing", 3), Head("orders", 8)], await heads.HeadsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_complete_listing_lowers_a_head_whose_newest_revision_was_deregistered_well_before_it_began()
    {
        var heads = Heads(Account, "eu-west-1");
        await heads.RecordAsync([Head("billing", 13), Head("orders", 7)], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);
        // billing:13 deregistered (a rollback to 12): a sweep listing after the margin, with what it read, lowers it; so
        // does one that read nothing, for orders:8 registered and deregistered since.
        Time.Advance(StoreRules.ListingMargin + TimeSpan.FromSeconds(1));
        var seenBySweep = await heads.HeadsAsync(CancellationToken.None);
        await heads.RecordAsync([Head("billing", 12), Head("orders", 7)], complete: true, Time.GetUtcNow(), known: seenBySweep, CancellationToken.None);
        var lowered = await heads.HeadsAsync(CancellationToken.None);
        await heads.RecordAsync([Head("orders", 8)], complete: false, Time.GetUtcNow(), known: null, CancellationToken.None);
        Time.Advance(StoreRules.ListingMargin + TimeSpan.FromSeconds(1));
        await heads.RecordAsync([Head("billing", 12), Head("orders", 7)], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);

        Assert.Equal([Head("billing", 12), Head("orders", 7)], lowered);
        Assert.Equal([Head("billing", 12), Head("orders", 7)], await heads.HeadsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_head_recorded_within_the_margin_before_a_listing_began_is_kept()
    {
        var heads = Heads(Account, "eu-west-1");
        await heads.RecordAsync([Head("billing", 12)], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(1));
        await heads.RecordAsync([Head("billing", 13)], complete: false, Time.GetUtcNow(), known: null, CancellationToken.None);
        // The listing began just inside the margin after 13 was registered, and ECS did not list 13 yet.
        Time.Advance(StoreRules.ListingMargin - TimeSpan.FromSeconds(1));
        var listedAt = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(2));
        await heads.RecordAsync([Head("billing", 12)], complete: true, listedAt, known: null, CancellationToken.None);
        // A registration's time lowers nothing, however late it is given.
        Time.Advance(TimeSpan.FromDays(1));
        await heads.RecordAsync([Head("billing", 12)], complete: false, Time.GetUtcNow(), known: null, CancellationToken.None);

        Assert.Equal([Head("billing", 13)], await heads.HeadsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_listing_of_one_family_lowers_its_head_or_marks_it_inactive_unless_the_head_was_recorded_within_the_margin()
    {
        var heads = Heads(Account, "eu-west-1");
        await heads.RecordAsync([Head("billing", 13), Head("orders", 7), Head("reports", 2)], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(1));
        // orders:8 and payments:1 are registered just inside the margin before the listings began, which ECS did not show yet.
        await heads.RecordAsync([Head("orders", 8), Head("payments", 1)], complete: false, Time.GetUtcNow(), known: null, CancellationToken.None);
        Time.Advance(StoreRules.ListingMargin - TimeSpan.FromSeconds(1));
        var listedAt = Time.GetUtcNow();

        // billing:13 deregistered (a rollback to 12); every revision of reports deregistered.
        await heads.ListedFamilyAsync("billing", Head("billing", 12), listedAt, CancellationToken.None);
        await heads.ListedFamilyAsync("reports", null, listedAt, CancellationToken.None);
        await heads.ListedFamilyAsync("orders", Head("orders", 7), listedAt, CancellationToken.None);
        await heads.ListedFamilyAsync("payments", null, listedAt, CancellationToken.None);
        // A family never recorded gets no head from a listing that found nothing.
        await heads.ListedFamilyAsync("unknown", null, listedAt, CancellationToken.None);

        Assert.Equal([Head("billing", 12), Head("orders", 8), Head("payments", 1)], await heads.HeadsAsync(CancellationToken.None));
    }

    private static Pipeline.CachedRevision Answer(string family, int revision, DateTimeOffset describedAt, string tags = "[]") =>
        new(family, $"arn:aws:ecs:eu-west-1:{Account}:task-definition/{family}:{revision}", revision,
            $$"""{"taskDefinition":{"family":"{{family}}","revision":{{revision}},"containerDefinitions":[{"name":"app","image":"café:1"}]},"tags":{{tags}}}""", describedAt);

    [Fact]
    public async Task Kept_answers_come_back_as_kept_per_account_and_region_until_due_to_be_described_again()
    {
        var cache = Store.RevisionCache(Account, "eu-west-1");
        var described = Time.GetUtcNow();
        await cache.KeepAsync([Answer("billing", 3, described), Answer("orders", 7, described)], CancellationToken.None);
        var kept = await cache.ReadAsync(CancellationToken.None);
        var otherRegion = await Store.RevisionCache(Account, "us-east-1").ReadAsync(CancellationToken.None);

        // Each family falls due after its own period (4 to 7 days); a day before it is still read, after it not.
        var firstDue = new[] { "billing", "orders" }.Min(f => StoreRules.RevisionRefresh(f));
        Time.Advance(firstDue - TimeSpan.FromMinutes(1));
        var beforeDue = await cache.ReadAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(2));
        var afterDue = await cache.ReadAsync(CancellationToken.None);

        Assert.Equal([Answer("billing", 3, described), Answer("orders", 7, described)], kept.OrderBy(k => k.Family, StringComparer.Ordinal));
        Assert.Empty(otherRegion);
        Assert.Equal(2, beforeDue.Count);
        Assert.Empty(afterDue);
    }

    [Fact]
    public async Task The_later_description_of_a_family_wins_whatever_its_revision()
    {
        var cache = Store.RevisionCache(Account, "eu-west-1");
        var sweepStarted = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromSeconds(30));
        // A tag change on billing:3 described and kept while a sweep that started earlier was describing it.
        await cache.KeepAsync([Answer("billing", 3, Time.GetUtcNow(), tags: """[{"key":"ecs-role-auditor:suppress","value":"ERA020"}]""")], CancellationToken.None);
        await cache.KeepAsync([Answer("billing", 3, sweepStarted), Answer("orders", 7, sweepStarted)], CancellationToken.None);
        var afterRace = await cache.ReadAsync(CancellationToken.None);

        // orders:7 deregistered: a later sweep lists orders:6 as the newest ACTIVE revision again.
        Time.Advance(TimeSpan.FromDays(1));
        await cache.KeepAsync([Answer("orders", 6, Time.GetUtcNow())], CancellationToken.None);

        Assert.Contains("ecs-role-auditor:suppress", Assert.Single(afterRace, k => k.Family == "billing").Answer, StringComparison.Ordinal);
        Assert.Equal(6, Assert.Single(await cache.ReadAsync(CancellationToken.None), k => k.Family == "orders").Revision);
    }

    // A kept answer from a clock that ran ahead (or written by hand) would otherwise never fall due, and no later
    // description could replace it: a suppression tag removed since would stay applied for good.
    [Fact]
    public async Task An_answer_described_in_the_future_is_described_again_and_replaced_by_the_next_description()
    {
        var cache = Store.RevisionCache(Account, "eu-west-1");
        await cache.KeepAsync([Answer("billing", 3, Time.GetUtcNow().AddYears(1), tags: """[{"key":"ecs-role-auditor:suppress","value":"ERA020"}]""")], CancellationToken.None);
        // Clocks differ a little: a minute ahead is still a description like any other.
        await cache.KeepAsync([Answer("orders", 7, Time.GetUtcNow().AddMinutes(1))], CancellationToken.None);
        var ahead = await cache.ReadAsync(CancellationToken.None);

        await cache.KeepAsync([Answer("billing", 3, Time.GetUtcNow())], CancellationToken.None);

        Assert.Equal(["orders"], ahead.Select(k => k.Family));
        Assert.Equal(Answer("billing", 3, Time.GetUtcNow()), Assert.Single(await cache.ReadAsync(CancellationToken.None), k => k.Family == "billing"));
    }

    [Fact]
    public async Task An_answer_too_long_for_a_table_item_is_not_kept()
    {
        var cache = Store.RevisionCache(Account, "eu-west-1");
        var padding = new string('é', (StoreRules.MaxAnswerBytes / 2) + 1);
        var tooLong = Answer("billing", 3, Time.GetUtcNow()) with { Answer = $$"""{"taskDefinition":{"family":"billing","revision":3,"cpu":"{{padding}}"},"tags":[]}""" };

        await cache.KeepAsync([tooLong, Answer("orders", 7, Time.GetUtcNow())], CancellationToken.None);

        Assert.Equal(["orders"], (await cache.ReadAsync(CancellationToken.None)).Select(k => k.Family));
    }

    [Fact]
    public async Task Reports_without_a_task_definition_arn_are_not_recorded()
    {
        var report = Report(1, AppOnExecutionRole) with { TaskDefinitionArn = null };

        Assert.Null(await Ledger.RecordAsync(report, AtLeastMedium, "event", mayResolve: true, CancellationToken.None));
    }
}
