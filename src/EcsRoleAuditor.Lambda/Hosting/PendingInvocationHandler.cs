using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>
/// A handler still being built in the background; invocations wait for it. Init can then end, and the first event be
/// fetched, while the slow part of building the handler (loading the action catalog) is still running. A failure to
/// build it fails each invocation that waits for it, as the handler itself would.
/// </summary>
public sealed class PendingInvocationHandler : IInvocationHandler
{
    private readonly Task<IInvocationHandler> building;

    /// <summary>Starts <paramref name="build"/> on a thread of its own (it blocks on the catalog; a thread-pool thread blocked there would delay the I/O the first invocation waits for).</summary>
    public PendingInvocationHandler(Func<IInvocationHandler> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        building = Task.Factory.StartNew(build, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async Task<string> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var handler = await building.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await handler.HandleAsync(payload, context, cancellationToken).ConfigureAwait(false);
    }
}
