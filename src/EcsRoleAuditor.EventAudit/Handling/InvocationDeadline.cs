
namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The two clocks of an invocation: auditing stops <c>publishReserve</c> before the deadline (or when the runtime
/// cancels), so there is time left to publish what could not be finished; publishing itself may run until the deadline.
/// </summary>
internal sealed class InvocationDeadline : IDisposable
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);
    private readonly CancellationTokenSource _auditTimer;
    private readonly CancellationTokenSource _audit;
    private readonly CancellationTokenSource _publish;

    public InvocationDeadline(InvocationContext context, TimeProvider time, TimeSpan publishReserve, CancellationToken runtime)
    {
        var remaining = context.RemainingTime(time);
        _auditTimer = new CancellationTokenSource(Clamp(remaining - publishReserve), time);
        _audit = CancellationTokenSource.CreateLinkedTokenSource(runtime, _auditTimer.Token);
        _publish = new CancellationTokenSource(Clamp(remaining), time);
    }

    /// <summary>Cancelled when auditing must stop.</summary>
    public CancellationToken Audit => _audit.Token;

    /// <summary>Cancelled at the deadline itself.</summary>
    public CancellationToken Publish => _publish.Token;

    public void Dispose()
    {
        _audit.Dispose();
        _auditTimer.Dispose();
        _publish.Dispose();
    }

    private static TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > Longest ? Longest : delay;
}
