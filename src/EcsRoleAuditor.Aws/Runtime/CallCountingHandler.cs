using Amazon.Runtime;
using Amazon.Runtime.Internal;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// Records each attempt of a call in the current run's counter (<see cref="ApiCallCounting"/>). Placed inside the SDK's
/// retry handler, a call retried twice counts 3: every request sent is one AWS serves and rates against its limits.
/// </summary>
internal sealed class CallCountingHandler : PipelineHandler
{
    /// <summary>Adds the handler inside the retry handler, so it runs once per attempt.</summary>
    public static void AddTo(RuntimePipeline pipeline) => pipeline.AddHandlerAfter<RetryHandler>(new CallCountingHandler());

    /// <inheritdoc />
    public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        // Counted before sending, so an attempt that fails or times out is counted as well.
        if (executionContext.RequestContext.OriginalRequest is IOperationRequest request)
        {
            ApiCallCounting.Record(request.Operation);
        }

        return base.InvokeAsync<T>(executionContext);
    }
}

/// <summary>A request of the auditor's clients, naming the operation it calls.</summary>
internal interface IOperationRequest
{
    /// <summary>The operation, from the <see cref="AwsActions"/> table.</summary>
    AwsOperation Operation { get; }
}
