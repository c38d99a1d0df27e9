namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// The counter of the run in progress, ambient per async flow: the auditor's AWS clients record every request they
/// send into it from the SDK pipeline, so a run counts what it sent without its clients knowing about runs, and
/// concurrent runs in one process (a multi-account fan-out, tests) never mix their counts. Scopes nest: a request
/// counts in the current counter and in every counter of the scopes around it (a run inside an invocation counts in
/// both, so the invocation also counts what it sent outside the run).
/// </summary>
public static class ApiCallCounting
{
    private static readonly AsyncLocal<Level?> Current = new();

    /// <summary>
    /// Makes <paramref name="counter"/> the current counter of this async flow (and the tasks it starts) until the
    /// returned scope is disposed, which restores the previous one.
    /// </summary>
    public static IDisposable Begin(ApiCallCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        var scope = new Scope(Current.Value);
        Current.Value = new Level(counter, Current.Value);
        return scope;
    }

    /// <summary>Records one request of <paramref name="operation"/> in the current counters; outside any scope nothing is counted.</summary>
    public static void Record(AwsOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var level = Current.Value; level is not null; level = level.Outer)
        {
            level.Counter.Record(operation.Action);
        }
    }

    private sealed record Level(ApiCallCounter Counter, Level? Outer);

    private sealed class Scope(Level? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
