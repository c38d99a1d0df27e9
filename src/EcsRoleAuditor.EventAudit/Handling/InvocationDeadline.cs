namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The time budget of one invocation, and its only owner: the host passes Lambda's deadline through untouched, and this
/// splits what is left into auditing, then <see cref="PublishReserve"/> for the alerts (above all the "audit
/// incomplete" one), then <see cref="ResponseReserve"/> for the host to post the response or the error to the Runtime API.
/// </summary>
internal sealed class InvocationDeadline : IDisposable
{
    // Publishing is one SNS call per alert (about 5 ms in the cold-start benchmark, docs/benchmarks.md); 2.5 s leaves
    // room for a new TLS connection and a retry, so that an audit cut short is still reported rather than lost.
    public static readonly TimeSpan PublishReserve = TimeSpan.FromSeconds(2.5);

    // Posting to the Runtime API is a local HTTP call (about 2 ms measured); a response not posted by the deadline
    // turns a finished invocation into a timeout that Lambda retries.
    public static readonly TimeSpan ResponseReserve = TimeSpan.FromSeconds(0.5);

    // CancellationTokenSource accepts at most ~49 days; Lambda's deadline is at most 15 minutes away, a test's anywhere.
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);
    private readonly CancellationTokenSource _auditTimer;
    private readonly CancellationTokenSource _audit;
    private readonly CancellationTokenSource _publish;

    /// <param name="context">Carries Lambda's deadline.</param>
    /// <param name="time">The clock the deadline is measured with.</param>
    /// <param name="stopping">The host's shutdown (SIGTERM): it stops auditing, not publishing what is already known.</param>
    public InvocationDeadline(InvocationContext context, TimeProvider time, CancellationToken stopping)
    {
        var remaining = context.RemainingTime(time);
        _auditTimer = new CancellationTokenSource(Clamp(remaining - ResponseReserve - PublishReserve), time);
        _audit = CancellationTokenSource.CreateLinkedTokenSource(stopping, _auditTimer.Token);
        _publish = new CancellationTokenSource(Clamp(remaining - ResponseReserve), time);
    }

    /// <summary>Cancelled when auditing must stop.</summary>
    public CancellationToken Audit => _audit.Token;

    /// <summary>Cancelled when publishing must stop, leaving the host its time to post the response.</summary>
    public CancellationToken Publish => _publish.Token;

    public void Dispose()
    {
        _audit.Dispose();
        _auditTimer.Dispose();
        _publish.Dispose();
    }

    private static TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > Longest ? Longest : delay;
}
