using System.Collections.Concurrent;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// Reads keyed by name, each made once: concurrent and later requests for the same key share the first read's task.
/// A read cancelled by its first caller is forgotten, and a caller whose own token is not cancelled starts it again.
/// </summary>
internal sealed class SharedReads<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> _reads = new(comparer);

    public async Task<TValue> GetAsync(TKey key, Func<TKey, CancellationToken, Task<TValue>> read, CancellationToken cancellationToken)
    {
        while (true)
        {
            var shared = _reads.GetOrAdd(key, k => new Lazy<Task<TValue>>(() => read(k, cancellationToken)));
            try
            {
                return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _reads.TryRemove(KeyValuePair.Create(key, shared));
            }
            catch (OperationCanceledException)
            {
                if (shared.Value.IsCanceled)
                {
                    _reads.TryRemove(KeyValuePair.Create(key, shared));
                }
                throw;
            }
        }
    }
}
