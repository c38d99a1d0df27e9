namespace EcsRoleAuditor.FakeAws;

/// <summary>The calls a server answered, in order of arrival; thread-safe.</summary>
public sealed class CallLog
{
    private readonly Lock _lock = new();
    private readonly List<RecordedCall> _calls = [];
    private long _sequence;

    /// <summary>A snapshot of the calls so far.</summary>
    public IReadOnlyList<RecordedCall> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>How many calls of <paramref name="operation"/> were answered (errors included).</summary>
    public int Count(string operation)
    {
        lock (_lock)
        {
            return _calls.Count(c => c.Operation == operation);
        }
    }

    /// <summary>Call counts by operation.</summary>
    public IReadOnlyDictionary<string, int> CountsByOperation()
    {
        lock (_lock)
        {
            return _calls.GroupBy(c => c.Operation, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    /// <summary>Forgets the calls so far.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _calls.Clear();
        }
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(RecordedCall call)
    {
        lock (_lock)
        {
            _calls.Add(call);
        }
    }
}
