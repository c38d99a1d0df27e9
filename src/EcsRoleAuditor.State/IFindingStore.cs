using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.State;

/// <summary>
/// The findings store's operations. Each write is one conditional single-item write (docs/state.md, "Deciding who
/// alerts"): the caller whose write applies is the one that alerts, so concurrent invocations and retries alert once,
/// and evidence from an older revision never overrides a newer one. Implementations: DynamoDB, and in memory (tests,
/// the CLI's local file) with the same semantics, held to it by one contract test suite.
/// </summary>
public interface IFindingStore
{
    /// <summary>The families' newest ACTIVE revisions the store keeps for one account and region (docs/state.md, "Family heads").</summary>
    Pipeline.IFamilyHeadIndex HeadIndex(string account, string region);

    /// <summary>The DescribeTaskDefinition answers the store keeps for one account and region (docs/state.md, "Revision cache").</summary>
    Pipeline.IRevisionCache RevisionCache(string account, string region);

    /// <summary>Every finding the store holds for the family, whatever its status.</summary>
    Task<IReadOnlyList<StoredFinding>> FamilyFindingsAsync(FamilyKey family, CancellationToken cancellationToken);

    /// <summary>Records that an audit shows the finding; says whether this caller must alert it and whether the finding opened.</summary>
    Task<Observed> ObserveAsync(Observation observation, CancellationToken cancellationToken);

    /// <summary>Records that an audit of the family no longer shows an open finding; says whether it was resolved now and whether this caller must announce it.</summary>
    Task<Resolved> ResolveAsync(Resolution resolution, CancellationToken cancellationToken);

    /// <summary>Adds to the account's counts of findings opened and resolved on <paramref name="day"/> (one atomic write for a whole report).</summary>
    Task CountAsync(string account, DateOnly day, int opened, int resolved, CancellationToken cancellationToken);

    /// <summary>Claims a reminder for an open finding last alerted before <see cref="Reminder.AlertedBefore"/>; true when this caller sends it.</summary>
    Task<bool> ClaimReminderAsync(Reminder reminder, CancellationToken cancellationToken);

    /// <summary>The alert or notice of <paramref name="claim"/> was published: the finding is no longer pending.</summary>
    Task DeliveredAsync(FamilyKey family, string fingerprint, string claim, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The finding's status changes, oldest first.</summary>
    Task<IReadOnlyList<FindingChange>> HistoryAsync(string fingerprint, CancellationToken cancellationToken);

    /// <summary>The account's findings of one status (all when null), most severe first, then by family.</summary>
    Task<IReadOnlyList<StoredFinding>> AccountFindingsAsync(string account, FindingStatus? status, CancellationToken cancellationToken);

    /// <summary>The account's findings opened and resolved per day (UTC) from <paramref name="first"/> to <paramref name="last"/>, days without a change left out.</summary>
    Task<IReadOnlyList<DailyCount>> DailyCountsAsync(string account, DateOnly first, DateOnly last, CancellationToken cancellationToken);
}

/// <summary>How many findings of an account opened (new or reopened) and were resolved on one UTC day.</summary>
/// <param name="Account">The account.</param>
/// <param name="Day">The day.</param>
/// <param name="Opened">Findings that became open.</param>
/// <param name="Resolved">Findings that were resolved.</param>
/// <param name="ExpiresAt">When the store may forget the day.</param>
public sealed record DailyCount(string Account, DateOnly Day, int Opened, int Resolved, DateTimeOffset ExpiresAt);

/// <summary>An audit of <paramref name="Revision"/> shows <paramref name="Finding"/>.</summary>
/// <param name="Family">The family.</param>
/// <param name="Revision">The audited revision: the order evidence is compared in.</param>
/// <param name="Fingerprint">The finding's fingerprint.</param>
/// <param name="Finding">The finding.</param>
/// <param name="Alertable">Whether to try to claim an alert: the policy alerts it (unsuppressed, at or above MIN_SEVERITY)
/// and, as the store was read before, it is not open and alerted at this severity already. The store decides.</param>
/// <param name="Reason">What an alert would say, judged from the store as read before the write.</param>
/// <param name="Claim">Who decides: the invocation's event id, the same on every retry of that event.</param>
/// <param name="At">Now.</param>
public sealed record Observation(FamilyKey Family, int Revision, string Fingerprint, Finding Finding, bool Alertable, AlertReason Reason, string Claim, DateTimeOffset At)
{
    /// <summary>Revisions up to this one are INACTIVE and <see cref="Revision"/> is the family's newest ACTIVE one: their evidence no longer outranks it.</summary>
    public int? Supersedes { get; init; }

    /// <summary>The newest evidence this write may replace.</summary>
    public int EvidenceBound => Math.Max(Revision, Supersedes ?? Revision);
}

/// <summary>An audit of <paramref name="Revision"/> no longer shows an open finding.</summary>
/// <param name="Family">The family.</param>
/// <param name="Revision">The audited revision.</param>
/// <param name="Fingerprint">The finding.</param>
/// <param name="Severity">Its severity as stored (it keeps its place among the account's findings).</param>
/// <param name="Announce">Whether a resolved notice follows (the finding had been alerted): the write then claims it.</param>
/// <param name="Claim">Who decides.</param>
/// <param name="At">Now.</param>
public sealed record Resolution(FamilyKey Family, int Revision, string Fingerprint, Severity Severity, bool Announce, string Claim, DateTimeOffset At)
{
    /// <summary>Revisions up to this one are INACTIVE and <see cref="Revision"/> is the family's newest ACTIVE one: their evidence no longer outranks it.</summary>
    public int? Supersedes { get; init; }

    /// <summary>The newest evidence this write may replace.</summary>
    public int EvidenceBound => Math.Max(Revision, Supersedes ?? Revision);
}

/// <summary>A reminder to claim: the finding is open, was alerted, and its last alert is older than <paramref name="AlertedBefore"/>.</summary>
/// <param name="Family">The family.</param>
/// <param name="Fingerprint">The finding.</param>
/// <param name="AlertedBefore">Remind only when the last alert is older than this.</param>
/// <param name="Claim">Who decides.</param>
/// <param name="At">Now.</param>
public sealed record Reminder(FamilyKey Family, string Fingerprint, DateTimeOffset AlertedBefore, string Claim, DateTimeOffset At);

/// <summary>What <see cref="IFindingStore.ObserveAsync"/> did.</summary>
/// <param name="Result">Alert, recorded, or outdated.</param>
/// <param name="Opened">True when the finding became open (new, reopened, unsuppressed): the daily count of openings.</param>
public readonly record struct Observed(ObserveResult Result, bool Opened);

/// <summary>What <see cref="IFindingStore.ResolveAsync"/> did.</summary>
/// <param name="Applied">True when the finding was open and is resolved now (false: not open, newer evidence, or this claim's retry).</param>
/// <param name="Announce">True when this caller announces it.</param>
public readonly record struct Resolved(bool Applied, bool Announce);

/// <summary>What <see cref="IFindingStore.ObserveAsync"/> decided.</summary>
public enum ObserveResult
{
    /// <summary>This caller alerts it: the write claimed the alert (new, reopened, severity rose, or this claim's own retry).</summary>
    Alert,
    /// <summary>Recorded, nothing to alert (still open and alerted, suppressed, below MIN_SEVERITY, or another caller alerts it).</summary>
    Recorded,
    /// <summary>Newer evidence is stored already: nothing written.</summary>
    Outdated,
}
