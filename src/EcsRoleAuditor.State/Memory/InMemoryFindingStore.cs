using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.State.Memory;

/// <summary>
/// The store in memory, with the DynamoDB store's conditions applied under one lock: what the unit tests and the CLI's
/// local state file use. Its history honours <see cref="FindingChange.ExpiresAt"/> as DynamoDB's TTL would (items
/// past it are gone), which DynamoDB applies within days rather than at once.
/// </summary>
public sealed class InMemoryFindingStore(TimeProvider time, int historyDays = StoreRules.DefaultHistoryDays) : IFindingStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredFinding> _findings = new(StringComparer.Ordinal);
    private readonly List<FindingChange> _history = [];
    private readonly Dictionary<(string Account, DateOnly Day), DailyCount> _days = [];
    private readonly Dictionary<(string Account, string Region, string Family), StoredHead> _heads = [];
    private readonly HashSet<(string Account, string Region)> _completeHeads = [];
    private readonly Dictionary<(string Account, string Region, string Family), CachedRevision> _revisions = [];

    /// <inheritdoc />
    public IFamilyHeadIndex HeadIndex(string account, string region) => new InMemoryFamilyHeads(this, account, region);

    /// <inheritdoc />
    public IRevisionCache RevisionCache(string account, string region) => new InMemoryRevisionCache(this, account, region);

    /// <summary>Every family head held, for saving.</summary>
    public IReadOnlyList<StoredHead> Heads
    {
        get
        {
            lock (_gate)
            {
                return [.. _heads.Values.OrderBy(h => h.Account, StringComparer.Ordinal).ThenBy(h => h.Region, StringComparer.Ordinal).ThenBy(h => h.Head.Family, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The accounts and regions whose heads a complete listing recorded, for saving.</summary>
    public IReadOnlyList<string> CompleteHeadIndexes
    {
        get
        {
            lock (_gate)
            {
                return [.. _completeHeads.Select(k => $"{k.Account}/{k.Region}").Order(StringComparer.Ordinal)];
            }
        }
    }

    internal IReadOnlyList<CachedRevision> ReadRevisions(string account, string region)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return [.. _revisions.Where(r => r.Key.Account == account && r.Key.Region == region).Select(r => r.Value)
                .Where(kept => StoreRules.RevisionCurrent(kept.Family, kept.DescribedAt, now)).OrderBy(kept => kept.Family, StringComparer.Ordinal)];
        }
    }

    internal void KeepRevisions(string account, string region, IReadOnlyList<CachedRevision> answers)
    {
        lock (_gate)
        {
            var ahead = time.GetUtcNow() + StoreRules.RevisionClockSkew;
            foreach (var answer in answers.Where(a => StoreRules.Keepable(a.Answer)))
            {
                var key = (account, region, answer.Family);
                // Compared to the millisecond, as the table's time strings are.
                if (_revisions.GetValueOrDefault(key) is not { } kept || Milliseconds(kept.DescribedAt) < Milliseconds(answer.DescribedAt) || kept.DescribedAt > ahead)
                {
                    _revisions[key] = answer;
                }
            }
        }

        static long Milliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
    }

    internal IReadOnlyList<FamilyHead>? ReadHeads(string account, string region)
    {
        lock (_gate)
        {
            return _completeHeads.Contains((account, region))
                ? [.. _heads.Values.Where(h => h.Account == account && h.Region == region && h.Active).Select(h => h.Head).OrderBy(h => h.Family, StringComparer.Ordinal)]
                : null;
        }
    }

    internal void WriteHeads(string account, string region, IReadOnlyList<FamilyHead> heads, bool complete, DateTimeOffset listedAt, IReadOnlyList<FamilyHead>? known)
    {
        lock (_gate)
        {
            // As the table is written: a head the run read (or, for a complete listing, the store holds) is not written
            // again, so it keeps the time it was first recorded.
            var unchanged = (known ?? (complete ? _heads.Values.Where(h => h.Account == account && h.Region == region && h.Active).Select(h => h.Head) : [])).ToHashSet();
            var now = time.GetUtcNow();
            // Compared to the millisecond, as the table's time strings are.
            var before = (listedAt - StoreRules.ListingMargin).ToUnixTimeMilliseconds();
            foreach (var head in heads.Where(h => !unchanged.Contains(h)))
            {
                var key = (account, region, head.Family);
                // A newer revision recorded meanwhile (a registration during a sweep) is kept; a complete listing lowers one
                // recorded well before it began (deregistered), or by a version that kept no time (long ago).
                if (_heads.GetValueOrDefault(key) is not { } old || old.Head.Revision <= head.Revision
                    || (complete && (old.RecordedAt is not { } at || at.ToUnixTimeMilliseconds() < before)))
                {
                    _heads[key] = new StoredHead(account, region, head, Active: true, now);
                }
            }
            if (complete)
            {
                var listed = heads.Select(h => h.Family).ToHashSet(StringComparer.Ordinal);
                // The revision the run saw for each family it no longer lists (from what it read, else what is stored):
                // a revision registered since keeps the family ACTIVE.
                var seen = known?.ToDictionary(h => h.Family, h => h.Revision, StringComparer.Ordinal);
                foreach (var (key, old) in _heads.Where(h => h.Key.Account == account && h.Key.Region == region && h.Value.Active && !listed.Contains(h.Key.Family)).ToList())
                {
                    if (seen is null || (seen.TryGetValue(key.Family, out var revision) && old.Head.Revision <= revision))
                    {
                        _heads[key] = old with { Active = false };
                    }
                }
                _completeHeads.Add((account, region));
            }
        }
    }

    internal void WriteListedFamily(string account, string region, string family, FamilyHead? newest, DateTimeOffset listedAt)
    {
        lock (_gate)
        {
            var key = (account, region, family);
            var old = _heads.GetValueOrDefault(key);
            // As a complete listing decides: a revision recorded within the margin may have been registered while ECS
            // was listed, so it is kept; one recorded earlier (or without a time) and not listed was deregistered.
            var deregistered = old?.RecordedAt is not { } at || at.ToUnixTimeMilliseconds() < (listedAt - StoreRules.ListingMargin).ToUnixTimeMilliseconds();
            if (newest is null)
            {
                if (old is not null && deregistered)
                {
                    _heads[key] = old with { Active = false };
                }
            }
            else if (old is null || old.Head.Revision <= newest.Revision || deregistered)
            {
                _heads[key] = new StoredHead(account, region, newest, Active: true, time.GetUtcNow());
            }
        }
    }

    /// <summary>The SHA-256 of the file this store was loaded from (null: none, or the file did not exist), so a save can tell whether the file changed meanwhile.</summary>
    internal string? LoadedContent { get; set; }

    /// <summary>Every finding held, for saving and for the <c>findings</c> command.</summary>
    public IReadOnlyList<StoredFinding> Findings
    {
        get
        {
            lock (_gate)
            {
                return [.. _findings.Values.OrderBy(f => f.Fingerprint, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Every history entry not expired.</summary>
    public IReadOnlyList<FindingChange> History
    {
        get
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                return [.. _history.Where(h => h.ExpiresAt > now)];
            }
        }
    }

    /// <summary>Every daily count not expired.</summary>
    public IReadOnlyList<DailyCount> Days
    {
        get
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                return [.. _days.Values.Where(d => d.ExpiresAt > now).OrderBy(d => d.Account, StringComparer.Ordinal).ThenBy(d => d.Day)];
            }
        }
    }

    /// <summary>Puts back what <see cref="Findings"/>, <see cref="History"/> and <see cref="Days"/> gave (loading a saved store); a fingerprint or day given twice is refused.</summary>
    public void Load(IEnumerable<StoredFinding> findings, IEnumerable<FindingChange> history, IEnumerable<DailyCount> days,
        IEnumerable<StoredHead>? heads = null, IEnumerable<string>? completeHeadIndexes = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(days);
        lock (_gate)
        {
            foreach (var head in heads ?? [])
            {
                if (!_heads.TryAdd((head.Account, head.Region, head.Head.Family), head))
                {
                    throw new ArgumentException($"The family {head.Head.Family} of {head.Account}/{head.Region} is given twice.", nameof(heads));
                }
            }
            foreach (var index in completeHeadIndexes ?? [])
            {
                var parts = index.Split('/');
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    throw new ArgumentException($"A complete head index is named account/region, not '{index}'.", nameof(completeHeadIndexes));
                }
                _completeHeads.Add((parts[0], parts[1]));
            }
            foreach (var day in days)
            {
                if (!_days.TryAdd((day.Account, day.Day), day))
                {
                    throw new ArgumentException($"The day {day.Day:yyyy-MM-dd} of account {day.Account} is given twice.", nameof(days));
                }
            }
            foreach (var finding in findings)
            {
                if (!_findings.TryAdd(finding.Fingerprint, finding))
                {
                    throw new ArgumentException($"The finding {finding.Fingerprint} is given twice.", nameof(findings));
                }
            }
            _history.AddRange(history);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFinding>> FamilyFindingsAsync(FamilyKey family, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredFinding>>([.. _findings.Values.Where(f => f.Family == family).OrderBy(f => f.Fingerprint, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<Observed> ObserveAsync(Observation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var o = observation;
        var finding = o.Finding;
        lock (_gate)
        {
            var old = _findings.GetValueOrDefault(o.Fingerprint);
            if (old is not null && old.EvidenceRevision > o.EvidenceBound)
            {
                return Task.FromResult(new Observed(ObserveResult.Outdated, Opened: false));
            }
            var claimFree = old?.PendingClaim is null || old.PendingClaim == o.Claim || old.PendingSince < o.At - StoreRules.ClaimTimeout;
            var needsAlert = old is null || old.Status != FindingStatus.Open || old.AlertedSeverity is null || old.AlertedSeverity < finding.Severity
                || (old.PendingClaim is not null && old.PendingReason != StoreRules.ReminderReason);
            var claims = o.Alertable && claimFree && needsAlert;
            var status = claims ? FindingStatus.Open : StoreRules.StatusShown(finding);
            var updated = new StoredFinding(
                o.Fingerprint, o.Family, finding.RuleId, finding.RoleSlot, finding.RoleArn, finding.Severity, status,
                FirstSeen: old?.FirstSeen ?? o.At,
                LastSeen: o.At,
                LastAlerted: old?.LastAlerted,
                AlertedSeverity: claims ? finding.Severity : status == FindingStatus.Suppressed ? null : old?.AlertedSeverity,
                EvidenceRevision: o.Revision,
                Message: StoreRules.Excerpt(finding.Message),
                Source: StoreRules.Excerpt(finding.Source.ToString()),
                PendingClaim: claims ? o.Claim : old?.PendingClaim,
                PendingReason: claims ? StoreRules.Name(o.Reason) : old?.PendingReason,
                PendingSince: claims ? o.At : old?.PendingSince,
                ResolvedAt: null);
            _findings[o.Fingerprint] = updated;
            RecordChange(old, updated, o.At);
            return Task.FromResult(new Observed(claims ? ObserveResult.Alert : ObserveResult.Recorded, Opened: updated.Status == FindingStatus.Open && old?.Status != FindingStatus.Open));
        }
    }

    /// <inheritdoc />
    public Task<Resolved> ResolveAsync(Resolution resolution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var r = resolution;
        lock (_gate)
        {
            if (_findings.GetValueOrDefault(r.Fingerprint) is not { } old
                || !((old.Status == FindingStatus.Open && old.EvidenceRevision <= r.EvidenceBound)
                    || (r.Announce && old.Status == FindingStatus.Resolved && old.PendingClaim == r.Claim)))
            {
                return Task.FromResult(new Resolved(Applied: false, Announce: false));
            }
            var updated = old with
            {
                Status = FindingStatus.Resolved,
                ResolvedAt = old.ResolvedAt ?? r.At,
                AlertedSeverity = null,
                EvidenceRevision = r.Revision,
                PendingClaim = r.Announce ? r.Claim : old.PendingClaim,
                PendingReason = r.Announce ? StoreRules.ResolvedReason : old.PendingReason,
                PendingSince = r.Announce ? r.At : old.PendingSince,
            };
            _findings[r.Fingerprint] = updated;
            RecordChange(old, updated, r.At);
            return Task.FromResult(new Resolved(Applied: old.Status == FindingStatus.Open, r.Announce));
        }
    }

    /// <inheritdoc />
    public Task<bool> ClaimReminderAsync(Reminder reminder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        var r = reminder;
        lock (_gate)
        {
            if (_findings.GetValueOrDefault(r.Fingerprint) is not { Status: FindingStatus.Open, AlertedSeverity: not null, LastAlerted: { } alerted } old
                || alerted >= r.AlertedBefore
                || !(old.PendingClaim is null || old.PendingClaim == r.Claim || old.PendingSince < r.At - StoreRules.ClaimTimeout))
            {
                return Task.FromResult(false);
            }
            _findings[r.Fingerprint] = old with { PendingClaim = r.Claim, PendingReason = StoreRules.ReminderReason, PendingSince = r.At };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task DeliveredAsync(FamilyKey family, string fingerprint, string claim, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_findings.GetValueOrDefault(fingerprint) is { } old && old.PendingClaim == claim)
            {
                _findings[fingerprint] = old with { PendingClaim = null, PendingReason = null, PendingSince = null, LastAlerted = at };
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FindingChange>> HistoryAsync(string fingerprint, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return Task.FromResult<IReadOnlyList<FindingChange>>([.. _history.Where(h => h.Fingerprint == fingerprint && h.ExpiresAt > now).OrderBy(h => h.At)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFinding>> AccountFindingsAsync(string account, FindingStatus? status, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredFinding>>([.. _findings.Values
                .Where(f => f.Family.Account == account && (status is null || f.Status == status))
                .OrderBy(f => f.Status).ThenByDescending(f => f.Severity).ThenBy(f => f.Family.Family, StringComparer.Ordinal).ThenBy(f => f.Fingerprint, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DailyCount>> DailyCountsAsync(string account, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return Task.FromResult<IReadOnlyList<DailyCount>>([.. _days.Values.Where(d => d.Account == account && d.Day >= first && d.Day <= last && d.ExpiresAt > now).OrderBy(d => d.Day)]);
        }
    }

    /// <inheritdoc />
    public Task CountAsync(string account, DateOnly day, int opened, int resolved, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var expires = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(historyDays + 1);
            var counts = _days.GetValueOrDefault((account, day)) ?? new DailyCount(account, day, 0, 0, expires);
            _days[(account, day)] = counts with { Opened = counts.Opened + opened, Resolved = counts.Resolved + resolved, ExpiresAt = expires };
        }
        return Task.CompletedTask;
    }

    private void RecordChange(StoredFinding? old, StoredFinding updated, DateTimeOffset at)
    {
        if (old?.Status != updated.Status)
        {
            _history.Add(new FindingChange(updated.Fingerprint, at, updated.Status, updated.Severity, updated.EvidenceRevision, at.AddDays(historyDays)));
        }
    }
}
