namespace EcsRoleAuditor.State.Tests;

/// <summary>A store that counts the calls made to the one it wraps: each call is one request on DynamoDB.</summary>
public sealed class CountingStore(IFindingStore inner) : IFindingStore
{
    public int Reads { get; private set; }

    public int Writes { get; private set; }

    public Pipeline.IFamilyHeadIndex HeadIndex(string account, string region) => inner.HeadIndex(account, region);

    public Pipeline.IRevisionCache RevisionCache(string account, string region) => inner.RevisionCache(account, region);

    public Task<IReadOnlyList<StoredFinding>> FamilyFindingsAsync(FamilyKey family, CancellationToken cancellationToken)
    {
        Reads++;
        return inner.FamilyFindingsAsync(family, cancellationToken);
    }

    public Task<Observed> ObserveAsync(Observation observation, CancellationToken cancellationToken)
    {
        Writes++;
        return inner.ObserveAsync(observation, cancellationToken);
    }

    public Task<Resolved> ResolveAsync(Resolution resolution, CancellationToken cancellationToken)
    {
        Writes++;
        return inner.ResolveAsync(resolution, cancellationToken);
    }

    public Task CountAsync(string account, DateOnly day, int opened, int resolved, CancellationToken cancellationToken)
    {
        Writes++;
        return inner.CountAsync(account, day, opened, resolved, cancellationToken);
    }

    public Task<bool> ClaimReminderAsync(Reminder reminder, CancellationToken cancellationToken)
    {
        Writes++;
        return inner.ClaimReminderAsync(reminder, cancellationToken);
    }

    public Task DeliveredAsync(FamilyKey family, string fingerprint, string claim, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Writes++;
        return inner.DeliveredAsync(family, fingerprint, claim, at, cancellationToken);
    }

    public Task<IReadOnlyList<FindingChange>> HistoryAsync(string fingerprint, CancellationToken cancellationToken)
    {
        Reads++;
        return inner.HistoryAsync(fingerprint, cancellationToken);
    }

    public Task<IReadOnlyList<StoredFinding>> AccountFindingsAsync(string account, FindingStatus? status, CancellationToken cancellationToken)
    {
        Reads++;
        return inner.AccountFindingsAsync(account, status, cancellationToken);
    }

    public Task<IReadOnlyList<DailyCount>> DailyCountsAsync(string account, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        Reads++;
        return inner.DailyCountsAsync(account, first, last, cancellationToken);
    }
}
