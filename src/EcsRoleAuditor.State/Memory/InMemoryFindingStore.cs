using EcsRoleAuditor.Audit.Findings;

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

    /// <summary>Puts back what <see cref="Findings"/> and <see cref="History"/> gave (loading a saved store); a fingerprint given twice is refused.</summary>
    public void Load(IEnumerable<StoredFinding> findings, IEnumerable<FindingChange> history)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(history);
        lock (_gate)
        {
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
    public Task<ObserveResult> ObserveAsync(Observation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var o = observation;
        var finding = o.Finding;
        lock (_gate)
        {
            var old = _findings.GetValueOrDefault(o.Fingerprint);
            if (old is not null && old.EvidenceRevision > o.Revision)
            {
                return Task.FromResult(ObserveResult.Outdated);
            }
            var claimFree = old?.PendingClaim is null || old.PendingClaim == o.Claim || old.PendingSince < o.At - StoreRules.ClaimTimeout;
            var needsAlert = old is null || old.Status != FindingStatus.Open || old.AlertedSeverity is null || old.AlertedSeverity < finding.Severity || old.PendingClaim is not null;
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
            return Task.FromResult(claims ? ObserveResult.Alert : ObserveResult.Recorded);
        }
    }

    /// <inheritdoc />
    public Task<bool> ResolveAsync(Resolution resolution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var r = resolution;
        lock (_gate)
        {
            if (_findings.GetValueOrDefault(r.Fingerprint) is not { } old
                || !((old.Status == FindingStatus.Open && old.EvidenceRevision <= r.Revision)
                    || (r.Announce && old.Status == FindingStatus.Resolved && old.PendingClaim == r.Claim)))
            {
                return Task.FromResult(false);
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
            return Task.FromResult(r.Announce);
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

    private void RecordChange(StoredFinding? old, StoredFinding updated, DateTimeOffset at)
    {
        if (old?.Status != updated.Status)
        {
            _history.Add(new FindingChange(updated.Fingerprint, at, updated.Status, updated.Severity, updated.EvidenceRevision, at.AddDays(historyDays)));
        }
    }
}
