using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.State.Memory;

/// <summary>The revision cache of one account and region in the in-memory store (not saved in the state file: a laptop run describes).</summary>
internal sealed class InMemoryRevisionCache(InMemoryFindingStore store, string account, string region) : IRevisionCache
{
    public Task<IReadOnlyList<CachedRevision>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(store.ReadRevisions(account, region));

    public Task KeepAsync(IReadOnlyList<CachedRevision> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        store.KeepRevisions(account, region, answers);
        return Task.CompletedTask;
    }
}
