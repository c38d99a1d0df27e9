using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.State.Memory;

/// <summary>A family head as the store keeps it: the head, whether the family still has an ACTIVE revision, and where.</summary>
/// <param name="Account">The account.</param>
/// <param name="Region">The region.</param>
/// <param name="Head">The newest ACTIVE revision recorded.</param>
/// <param name="Active">False once a complete listing no longer showed the family.</param>
/// <param name="RecordedAt">When the head was recorded (the store's clock); null in files written before it was kept, read as long ago.</param>
public sealed record StoredHead(string Account, string Region, FamilyHead Head, bool Active, DateTimeOffset? RecordedAt = null);

/// <summary>The family heads of one account and region in the in-memory store, with DynamoDB's conditions applied under its lock.</summary>
internal sealed class InMemoryFamilyHeads(InMemoryFindingStore store, string account, string region) : IFamilyHeadIndex
{
    public Task<IReadOnlyList<FamilyHead>?> HeadsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(store.ReadHeads(account, region));

    public Task RecordAsync(IReadOnlyList<FamilyHead> heads, bool complete, DateTimeOffset listedAt, IReadOnlyList<FamilyHead>? known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heads);
        store.WriteHeads(account, region, heads, complete, listedAt, known);
        return Task.CompletedTask;
    }

    public Task ListedFamilyAsync(string family, FamilyHead? newest, DateTimeOffset listedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        store.WriteListedFamily(account, region, family, newest, listedAt);
        return Task.CompletedTask;
    }
}
