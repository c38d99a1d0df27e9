using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// Bounds each attempt of a call, placed inside the SDK's retry handler: the HttpClient timeout stops only at the
/// response headers, so a body that stalls would hang the call; a token that fires after the whole-request limit ends
/// the attempt wherever it waits. Both kinds of timeout leave as <see cref="AwsRequestTimeoutException"/> naming the
/// limit; the caller's own cancellation passes through untouched.
/// </summary>
internal sealed class AttemptTimeoutHandler(TimeSpan requestTimeout) : PipelineHandler
{
    /// <summary>Adds the handler inside the retry handler, so each attempt gets the whole limit and a timed-out attempt is retried.</summary>
    public static void AddTo(RuntimePipeline pipeline, TimeSpan requestTimeout) =>
        pipeline.AddHandlerAfter<RetryHandler>(new AttemptTimeoutHandler(requestTimeout));

    /// <inheritdoc />
    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        // IRequestContext exposes the token read-only; the SDK's own RequestContext lets the pipeline replace it.
        var context = (RequestContext)executionContext.RequestContext;
        var caller = context.CancellationToken;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(caller);
        attempt.CancelAfter(requestTimeout);
        context.CancellationToken = attempt.Token;
        try
        {
            return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested && attempt.IsCancellationRequested)
        {
            throw new AwsRequestTimeoutException(requestTimeout);
        }
        catch (TimeoutException e) when (e is not AwsRequestTimeoutException && !caller.IsCancellationRequested)
        {
            // HttpClient's own timeout: no response headers within the client's Timeout.
            throw new AwsRequestTimeoutException(executionContext.RequestContext.ClientConfig.Timeout ?? requestTimeout);
        }
        finally
        {
            context.CancellationToken = caller;
        }
    }
}
