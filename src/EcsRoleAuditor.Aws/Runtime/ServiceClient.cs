using Amazon.Runtime;
using Amazon.Runtime.Internal;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime.Internal.Transform;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// Base of the auditor's AWS clients: the SDK's own client pipeline (credential chain, SigV4, standard/adaptive retries
/// with throttling detection, clock-skew correction, endpoint overrides) with this assembly's endpoint resolution and
/// SigV4 auth step in place of the generated ones, and every attempt counted for the current run. Null credentials mean
/// the SDK's default credential chain.
/// </summary>
internal abstract class ServiceClient : AmazonServiceClient
{
    private protected ServiceClient(AWSCredentials? credentials, ServiceClientConfig config)
        : base(credentials, config)
    {
    }

    /// <inheritdoc />
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new ServiceEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new SigV4AuthResolver());
        AttemptTimeoutHandler.AddTo(pipeline, ((ServiceClientConfig)Config).RequestTimeout);
        CallCountingHandler.AddTo(pipeline);
    }

    private protected Task<TResponse> SendAsync<TResponse>(
        AmazonWebServiceRequest request,
        IMarshaller<IRequest, AmazonWebServiceRequest> marshaller,
        ResponseUnmarshaller unmarshaller,
        CancellationToken cancellationToken)
        where TResponse : AmazonWebServiceResponse, new()
    {
        var options = new InvokeOptions { RequestMarshaller = marshaller, ResponseUnmarshaller = unmarshaller };
        return InvokeAsync<TResponse>(request, options, cancellationToken);
    }
}

/// <summary>An awsQuery client (IAM, SNS): one marshaller per client, a reader per call (it names the operation in errors).</summary>
internal abstract class QueryServiceClient : ServiceClient
{
    private readonly QueryRequestMarshaller marshaller;
    private readonly string serviceId;

    private protected QueryServiceClient(AWSCredentials? credentials, ServiceClientConfig config)
        : base(credentials, config)
    {
        marshaller = new QueryRequestMarshaller(config.Service);
        serviceId = config.Service.ServiceId;
    }

    private protected async Task<System.Xml.Linq.XElement> CallAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var reader = new QueryResponseReader(serviceId, request.Operation);
        return (await SendAsync<QueryResponse>(request, marshaller, reader, cancellationToken).ConfigureAwait(false)).Result;
    }
}

/// <summary>An awsJson client (ECS, Organizations, Secrets Manager and SSM 1.1, DynamoDB and SQS 1.0): one marshaller and reader per client; answers are checked to be JSON.</summary>
internal abstract class JsonServiceClient : ServiceClient
{
    private readonly JsonRequestMarshaller marshaller;
    private readonly JsonResponseReader reader;

    /// <param name="credentials">The credentials, or null for the SDK's default chain.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="protocol">The service's awsJson protocol.</param>
    /// <param name="maxResponseBytes">The largest answer read; a client whose answers are small by nature says so.</param>
    private protected JsonServiceClient(AWSCredentials? credentials, ServiceClientConfig config, AwsJsonProtocol protocol, long maxResponseBytes = BoundedReadStream.DefaultLimit)
        : base(credentials, config)
    {
        marshaller = new JsonRequestMarshaller(config.Service, protocol);
        reader = new JsonResponseReader(config.Service.ServiceId, maxResponseBytes);
        ServiceId = config.Service.ServiceId;
    }

    /// <summary>The SDK service id, e.g. <c>ECS</c>, for error messages.</summary>
    private protected string ServiceId { get; }

    /// <summary>The answer's body, checked to be JSON: a body that is not (cut short, garbled) is an unmarshalling error naming the operation.</summary>
    private protected async Task<string> CallAsync(AwsOperation operation, byte[] body, CancellationToken cancellationToken)
    {
        var response = await SendAsync<JsonResponse>(new JsonRequest(operation, body), marshaller, reader, cancellationToken).ConfigureAwait(false);
        try
        {
            // Reading every token checks the whole body without building a document; callers parse it their own way.
            var json = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(response.Body));
            while (json.Read())
            {
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, response.ResponseMetadata?.RequestId, e);
        }

        return response.Body;
    }

    /// <summary>
    /// One call with a source-generated JSON body and answer: <paramref name="read"/> turns the answer into the caller's
    /// type, and an answer of another shape (a <see cref="System.Text.Json.JsonException"/> from deserializing or from
    /// <paramref name="read"/>) is an unmarshalling error naming the operation, as a body that is not JSON is.
    /// </summary>
    private protected async Task<TOut> CallAsync<TRequest, TResult, TOut>(
        AwsOperation operation, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResult> resultType, Func<TResult, TOut> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var text = await CallAsync(operation, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, requestType), cancellationToken).ConfigureAwait(false);
        try
        {
            var result = System.Text.Json.JsonSerializer.Deserialize(text, resultType) ?? throw new System.Text.Json.JsonException("The response body is null.");
            return read(result);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, null, e);
        }
    }
}
