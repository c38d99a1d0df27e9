namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// What the Lambda runtime loop calls for each invocation: the seam between the Runtime API client (Hosting) and the
/// auditor's event handling. Moving to the official Amazon.Lambda.RuntimeSupport package one day replaces the loop, not
/// the handler.
/// </summary>
public interface IInvocationHandler
{
    /// <summary>
    /// Handles one event and returns the response body (JSON text) posted to the Runtime API. Throwing reports an
    /// invocation error, so Lambda retries and, after the retries, the event goes to the dead-letter queue.
    /// </summary>
    /// <param name="payload">The event as the Runtime API delivered it (UTF-8 JSON).</param>
    /// <param name="context">Request id, deadline, function ARN, trace id. The handler budgets the time to the deadline,
    /// leaving the host time to post what it returns (<see cref="InvocationDeadline"/>).</param>
    /// <param name="cancellationToken">Cancelled when the host is shutting down (SIGTERM); the deadline is not applied to it.</param>
    Task<string> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken);
}

/// <summary>What the Runtime API says about one invocation.</summary>
/// <param name="RequestId">Lambda-Runtime-Aws-Request-Id.</param>
/// <param name="Deadline">Lambda-Runtime-Deadline-Ms, as a UTC instant.</param>
/// <param name="InvokedFunctionArn">Lambda-Runtime-Invoked-Function-Arn.</param>
/// <param name="TraceId">Lambda-Runtime-Trace-Id (also exported as _X_AMZN_TRACE_ID), or null.</param>
public sealed record InvocationContext(string RequestId, DateTimeOffset Deadline, string InvokedFunctionArn, string? TraceId)
{
    /// <summary>Time left before the deadline, measured with <paramref name="time"/>.</summary>
    public TimeSpan RemainingTime(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Deadline - time.GetUtcNow();
    }
}
