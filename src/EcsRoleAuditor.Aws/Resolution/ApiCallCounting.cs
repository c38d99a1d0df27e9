namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// The counter of the run in progress, ambient per async flow: the auditor's AWS clients record every request they
/// send into it from the SDK pipeline, so a run counts what it sent without its clients knowing about runs, and
/// concurrent runs in one process (a multi-account fan-out, tests) never mix their counts.
/// </summary>
public static class ApiCallCounting
{
    private static readonly AsyncLocal<ApiCallCounter?> Current = new();

    /// <summary>
    /// Makes <paramref name="counter"/> the current counter of this async flow (and the tasks it starts) until the
    /// returned scope is disposed, which restores the previous one.
    /// </summary>
    public static IDisposable Begin(ApiCallCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        var scope = new Scope(Current.Value);
        Current.Value = counter;
        return scope;
    }

    /// <summary>Records one request of <paramref name="operation"/> in the current counter; outside any scope nothing is counted.</summary>
    public static void Record(AwsOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Current.Value?.Record(operation.Action);
    }

    private sealed class Scope(ApiCallCounter? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
