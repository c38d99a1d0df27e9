using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.State;

/// <summary>A finding an alert names, and why.</summary>
/// <param name="Finding">The finding as this audit shows it.</param>
/// <param name="Fingerprint">Its fingerprint.</param>
/// <param name="Reason">New, reopened or severity rose.</param>
/// <param name="Before">The store's record before this audit, when there was one (when it was first seen, the severity alerted).</param>
public sealed record AlertedFinding(Finding Finding, string Fingerprint, AlertReason Reason, StoredFinding? Before);

/// <summary>What the store made of one report.</summary>
/// <param name="Family">The family the report was recorded under.</param>
/// <param name="Claim">The claim the pending alerts were decided under.</param>
/// <param name="ToAlert">Findings this caller alerts (the others are still open and alerted, suppressed, below MIN_SEVERITY, or alerted by a concurrent caller).</param>
/// <param name="ToAnnounce">Findings this caller announces as resolved (as the store held them before).</param>
/// <param name="StillOpen">Findings the report shows that were alerted before and stay open.</param>
public sealed record LedgerEntry(FamilyKey Family, string Claim, ImmutableArray<AlertedFinding> ToAlert, ImmutableArray<StoredFinding> ToAnnounce, ImmutableArray<StoredFinding> StillOpen)
{
    /// <summary>Findings still open this caller reminds of (<see cref="FindingLedger.RemindAsync"/>).</summary>
    public ImmutableArray<StoredFinding> ToRemind { get; init; } = [];

    /// <summary>When the store first saw each finding the report shows, by fingerprint (this audit, for one it did not hold).</summary>
    public ImmutableDictionary<string, DateTimeOffset> FirstSeen { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty;

    /// <summary>
    /// The fingerprints of findings the report shows suppressed that the store held unsuppressed (open or resolved): a
    /// suppression that came after the finding (Security Hub takes a workflow status only when it creates a finding).
    /// </summary>
    public ImmutableHashSet<string> NewlySuppressed { get; init; } = [];

    /// <summary>The fingerprints of findings the report shows unsuppressed that the store held suppressed: a suppression lifted.</summary>
    public ImmutableHashSet<string> NewlyUnsuppressed { get; init; } = [];

    /// <summary>The fingerprints of findings the report shows that newer evidence of the family outranks (not recorded: an older revision's word).</summary>
    public ImmutableHashSet<string> Outdated { get; init; } = [];
}

/// <summary>
/// Records reports in the store and says what to alert: each finding of the report is observed (one conditional write
/// each), and each open finding of the family the report no longer shows is resolved, when the report may resolve.
/// After publishing, <see cref="DeliveredAsync"/> confirms; an invocation that fails before that is retried by Lambda
/// with the same claim and publishes again.
/// </summary>
/// <param name="store">The store.</param>
/// <param name="time">The clock.</param>
public sealed class FindingLedger(IFindingStore store, TimeProvider time)
{
    private (string Account, ILookup<FamilyKey, StoredFinding> Families)? _snapshot;

    /// <summary>The store.</summary>
    public IFindingStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>
    /// Reads the account's findings once (a few pages of one Query) for a run that records many families, such as a
    /// sweep, instead of one Query per family. The snapshot may trail the newest writes (an index answers eventually
    /// consistent); every decision is still a conditional write, so a stale snapshot costs at most a skipped refresh
    /// or a resolution left to the next run, never a duplicate alert.
    /// </summary>
    public async Task<IReadOnlyList<StoredFinding>> SnapshotAsync(string account, CancellationToken cancellationToken)
    {
        var findings = await Store.AccountFindingsAsync(account, null, cancellationToken).ConfigureAwait(false);
        _snapshot = (account, findings.ToLookup(f => f.Family));
        return findings;
    }

    /// <summary>
    /// Records <paramref name="report"/>; null when the report cannot be recorded (no task definition ARN or revision: the
    /// caller alerts it as without a store). A report may resolve findings only when <paramref name="mayResolve"/> and it
    /// is complete: an audit that could not read something does not show a finding is gone.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="alertable">The alert policy: whether an unsuppressed finding is alerted.</param>
    /// <param name="claim">The invocation's claim (its event id).</param>
    /// <param name="mayResolve">False for audits that do not speak for the family (roles overridden at run time).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <param name="listedAt">When the report's revision is its family's newest ACTIVE one as a listing begun at this
    /// time found it (a sweep): evidence from a newer revision recorded well before then is from a revision the listing
    /// would have shown were it still ACTIVE, so it no longer outranks this report (a rollback that deregistered it).</param>
    public async Task<LedgerEntry?> RecordAsync(TaskDefinitionReport report, Func<Finding, bool> alertable, string claim, bool mayResolve, CancellationToken cancellationToken,
        DateTimeOffset? listedAt = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(alertable);
        ArgumentException.ThrowIfNullOrEmpty(claim);
        if (FamilyKey.Of(report) is not { } family || report.Revision is not { } revision)
        {
            return null;
        }
        var at = time.GetUtcNow();
        var held = _snapshot is { } snapshot && snapshot.Account == family.Account
            ? [.. snapshot.Families[family]]
            : await Store.FamilyFindingsAsync(family, cancellationToken).ConfigureAwait(false);
        var before = held.ToDictionary(f => f.Fingerprint, StringComparer.Ordinal);
        var supersedes = listedAt is { } listed
            ? held.Where(f => f.EvidenceRevision > revision && EvidenceSeen(f) < listed - StoreRules.ListingMargin).Select(f => (int?)f.EvidenceRevision).Max()
            : null;
        var toAlert = ImmutableArray.CreateBuilder<AlertedFinding>();
        var stillOpen = ImmutableArray.CreateBuilder<StoredFinding>();
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var firstSeen = ImmutableDictionary.CreateBuilder<string, DateTimeOffset>(StringComparer.Ordinal);
        var newlySuppressed = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var outdated = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var unsuppressed = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var opened = 0;
        foreach (var finding in report.Findings)
        {
            var fingerprint = FindingFingerprint.Of(report, finding);
            if (!shown.Add(fingerprint))
            {
                // Two findings of one identity in one report (the same rule on the same statement twice) are one problem.
                continue;
            }
            var old = before.GetValueOrDefault(fingerprint);
            firstSeen[fingerprint] = old?.FirstSeen ?? at;
            // A finding the store did not hold may still be in Security Hub (the store enabled later, its record expired).
            if (finding.Suppressed && old is not { Status: FindingStatus.Suppressed })
            {
                newlySuppressed.Add(fingerprint);
            }
            else if (!finding.Suppressed && old is { Status: FindingStatus.Suppressed })
            {
                unsuppressed.Add(fingerprint);
            }
            var isAlertable = !finding.Suppressed && alertable(finding);
            var reason = ReasonFor(old, finding);
            // A finding the store already holds alerted at this severity is recorded without trying to claim an alert:
            // one write instead of a claim that fails and then the record.
            var claimWorth = isAlertable && NeedsAlert(old, finding);
            var observed = Unchanged(old, finding, isAlertable, revision, at)
                ? new Observed(ObserveResult.Recorded, Opened: false)
                : await Store.ObserveAsync(new Observation(family, revision, fingerprint, finding, claimWorth, reason, claim, at) { Supersedes = supersedes }, cancellationToken).ConfigureAwait(false);
            opened += observed.Opened ? 1 : 0;
            if (observed.Result == ObserveResult.Outdated)
            {
                outdated.Add(fingerprint);
            }
            if (observed.Result == ObserveResult.Alert)
            {
                toAlert.Add(new AlertedFinding(finding, fingerprint, reason, old));
            }
            else if (old is { Status: FindingStatus.Open, AlertedSeverity: not null } && !finding.Suppressed)
            {
                stillOpen.Add(old);
            }
        }
        var (toAnnounce, resolved) = mayResolve && !report.IsIncomplete
            ? await ResolveAsync(family, before.Values.Where(f => !shown.Contains(f.Fingerprint)), _ => revision, claim, at, cancellationToken, supersedes).ConfigureAwait(false)
            : ([], 0);
        await CountAsync(family, at, opened, resolved, cancellationToken).ConfigureAwait(false);
        return new LedgerEntry(family, claim, toAlert.ToImmutable(), toAnnounce, stillOpen.ToImmutable())
        {
            FirstSeen = firstSeen.ToImmutable(), NewlySuppressed = newlySuppressed.ToImmutable(), Outdated = outdated.ToImmutable(), NewlyUnsuppressed = unsuppressed.ToImmutable(),
        };
    }

    /// <summary>
    /// Resolves every open finding of a family that has no ACTIVE task definition any more (a complete sweep did not list
    /// it): no new task or service can start from an INACTIVE revision, so the auditor stops tracking them (the notice
    /// says what may still run). Each keeps its evidence revision, so a revision registered later can open them again.
    /// </summary>
    public async Task<LedgerEntry> CloseFamilyAsync(FamilyKey family, IReadOnlyList<StoredFinding> findings, string claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(findings);
        var at = time.GetUtcNow();
        var (toAnnounce, resolved) = await ResolveAsync(family, findings.Where(f => f.Family == family), f => f.EvidenceRevision, claim, at, cancellationToken).ConfigureAwait(false);
        await CountAsync(family, at, 0, resolved, cancellationToken).ConfigureAwait(false);
        return new LedgerEntry(family, claim, [], toAnnounce, []);
    }

    /// <summary>
    /// Claims a reminder for each finding of <paramref name="entry"/> still open and last alerted more than
    /// <paramref name="remindAfter"/> ago (or whose reminder this claim made but did not confirm); the entry with them.
    /// </summary>
    public async Task<LedgerEntry> RemindAsync(LedgerEntry entry, TimeSpan remindAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = time.GetUtcNow();
        var before = at - remindAfter;
        var reminded = ImmutableArray.CreateBuilder<StoredFinding>();
        foreach (var open in entry.StillOpen.Where(f => f.LastAlerted < before || (f.PendingClaim == entry.Claim && f.PendingReason == StoreRules.ReminderReason)))
        {
            if (await Store.ClaimReminderAsync(new Reminder(entry.Family, open.Fingerprint, before, entry.Claim, at), cancellationToken).ConfigureAwait(false))
            {
                reminded.Add(open);
            }
        }
        return entry with { ToRemind = reminded.ToImmutable() };
    }

    /// <summary>The alerts, notices and reminders of <paramref name="entry"/> were published: clears their claims.</summary>
    public async Task DeliveredAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = time.GetUtcNow();
        foreach (var fingerprint in entry.ToAlert.Select(a => a.Fingerprint).Concat(entry.ToAnnounce.Select(r => r.Fingerprint)).Concat(entry.ToRemind.Select(r => r.Fingerprint)))
        {
            await Store.DeliveredAsync(entry.Family, fingerprint, entry.Claim, at, cancellationToken).ConfigureAwait(false);
        }
    }

    // Resolves the open candidates (and re-announces those this claim resolved without confirming delivery), returning
    // what this caller announces: those that had been alerted.
    private async Task<(ImmutableArray<StoredFinding> Announced, int Resolved)> ResolveAsync(FamilyKey family, IEnumerable<StoredFinding> candidates, Func<StoredFinding, int> revisionOf,
        string claim, DateTimeOffset at, CancellationToken cancellationToken, int? supersedes = null)
    {
        var announced = ImmutableArray.CreateBuilder<StoredFinding>();
        var resolved = 0;
        foreach (var old in candidates.OrderBy(f => f.Fingerprint, StringComparer.Ordinal))
        {
            var retry = old is { Status: FindingStatus.Resolved, PendingReason: StoreRules.ResolvedReason } && old.PendingClaim == claim;
            if (old.Status != FindingStatus.Open && !retry)
            {
                continue;
            }
            var announce = retry || old.AlertedSeverity is not null;
            var result = await Store.ResolveAsync(new Resolution(family, revisionOf(old), old.Fingerprint, old.Severity, announce, claim, at) { Supersedes = supersedes }, cancellationToken).ConfigureAwait(false);
            resolved += result.Applied ? 1 : 0;
            if (result.Announce)
            {
                announced.Add(old);
            }
        }
        return (announced.ToImmutable(), resolved);
    }

    /// <summary>
    /// When the finding's evidence revision was last audited (so it existed then): a resolution sets the evidence of a
    /// resolved finding, an observation that of any other.
    /// </summary>
    public static DateTimeOffset EvidenceSeen(StoredFinding finding) =>
        finding.Status == FindingStatus.Resolved && finding.ResolvedAt is { } resolved ? resolved : finding.LastSeen;

    // The report's openings and resolutions in one write to the day's counts (none when nothing changed).
    private Task CountAsync(FamilyKey family, DateTimeOffset at, int opened, int resolved, CancellationToken cancellationToken) =>
        opened + resolved == 0 ? Task.CompletedTask : Store.CountAsync(family.Account, DateOnly.FromDateTime(at.UtcDateTime), opened, resolved, cancellationToken);

    // A finding the store already holds as this audit shows it (same status, severity and revision, alerted as needed,
    // nothing pending) is not written again unless its lastSeen is older than LastSeenRefresh: a sweep of an unchanged
    // account then writes nothing.
    private static bool Unchanged(StoredFinding? old, Finding finding, bool alertable, int revision, DateTimeOffset at) =>
        old is not null
        && old.Status == StoreRules.StatusShown(finding)
        && old.Severity == finding.Severity
        && old.EvidenceRevision == revision
        && old.PendingClaim is null
        && (!alertable || old.AlertedSeverity >= finding.Severity)
        && at - old.LastSeen < StoreRules.LastSeenRefresh(old.Fingerprint);

    // As the store was read: never alerted since it opened, not open, alerted lower, or an alert claimed but not confirmed.
    private static bool NeedsAlert(StoredFinding? old, Finding finding) =>
        old is null || old.Status != FindingStatus.Open || old.AlertedSeverity is not { } alerted || alerted < finding.Severity
        || (old.PendingClaim is not null && old.PendingReason != StoreRules.ReminderReason);

    // Judged from the store as read before the writes; an alert claimed but never confirmed (this claim's earlier
    // attempt, or a claim taken over after its timeout) says what it would have said.
    private static AlertReason ReasonFor(StoredFinding? old, Finding finding) => old switch
    {
        null => AlertReason.New,
        { PendingClaim: not null, PendingReason: var pendingReason } when StoreRules.ParseReason(pendingReason) is { } earlier => earlier,
        { Status: FindingStatus.Resolved } => AlertReason.Reopened,
        { Status: FindingStatus.Open, AlertedSeverity: { } alerted } when alerted < finding.Severity => AlertReason.SeverityRose,
        _ => AlertReason.New,
    };
}
