using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// A restJson1 request: the operation, its HTTP method and request path (no path or query parameters: the operations
/// our clients call carry everything in the body) and its UTF-8 JSON body.
/// </summary>
internal sealed class RestJsonRequest(AwsOperation operation, string method, string path, byte[] body) : AmazonWebServiceRequest, IOperationRequest
{
    /// <summary>The operation, e.g. <c>BatchImportFindings</c>.</summary>
    public AwsOperation Operation { get; } = operation;

    /// <summary>The HTTP method, e.g. <c>POST</c> or <c>PATCH</c>.</summary>
    public string Method { get; } = method;

    /// <summary>The request path, e.g. <c>/findings/import</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The JSON body.</summary>
    public byte[] Body { get; } = body;
}

/// <summary>Writes a <see cref="RestJsonRequest"/>: its method and path, <c>Content-Type: application/json</c>, the body.</summary>
internal sealed class RestJsonRequestMarshaller(ServiceDescription service) : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    /// <inheritdoc />
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var rest = (RestJsonRequest)input;
        var request = new DefaultRequest(rest, "Amazon." + service.ServiceId)
        {
            HttpMethod = rest.Method,
            ResourcePath = rest.Path,
            Content = rest.Body,
        };
        request.Headers["Content-Type"] = "application/json";
        return request;
    }
}

/// <summary>
/// Keeps restJson1 bodies as text and turns error answers into <see cref="AwsServiceException"/>. The error's code is
/// the <c>x-amzn-ErrorType</c> header when present, else the body's <c>__type</c>, <c>code</c> or <c>Code</c> (Security
/// Hub writes <c>{"Code":..,"Message":..}</c>), each without a <c>namespace#</c> prefix or a <c>:uri</c> suffix, as the
/// Smithy "AWS restJson1 protocol" specification's "Operation error serialization" says clients read it.
/// </summary>
internal sealed class RestJsonResponseReader(string serviceId, long maxBodyBytes = BoundedReadStream.DefaultLimit) : JsonResponseUnmarshaller
{
    // An error body is a code and a message; one larger than this is not read for them (the status still decides).
    private const long MaxErrorBodyBytes = 64 * 1024;

    /// <inheritdoc />
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var requestId = input.ResponseData?.GetHeaderValue("x-amzn-RequestId");
        string body;
        try
        {
            using var text = new StreamReader(new BoundedReadStream(input.Stream, maxBodyBytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            body = text.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw UnreadableResponse.For(serviceId, "answer", requestId, e);
        }
        var response = new JsonResponse { Body = body };
        if (requestId is { Length: > 0 })
        {
            response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
        }

        return response;
    }

    /// <inheritdoc />
    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (bodyCode, message) = ReadErrorBody(input.Stream);
        var code = ErrorCode(input.ResponseData?.GetHeaderValue("x-amzn-ErrorType")) ?? ErrorCode(bodyCode);
        var type = (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
        var requestId = input.ResponseData?.GetHeaderValue("x-amzn-RequestId");
        return new AwsServiceException(serviceId, new ServiceError(message, innerException, type, code, requestId, statusCode));
    }

    /// <summary><c>ns#Code:uri</c> → <c>Code</c>; null for an empty value.</summary>
    internal static string? ErrorCode(string? wire)
    {
        if (string.IsNullOrWhiteSpace(wire))
        {
            return null;
        }
        var code = wire.Trim();
        if (code.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            code = code[..colon];
        }
        if (code.LastIndexOf('#') is var hash and >= 0)
        {
            code = code[(hash + 1)..];
        }
        return code.Length == 0 ? null : code;
    }

    /// <summary>The body's code (<c>__type</c>, else <c>code</c>, else <c>Code</c>) and message (<c>message</c> or <c>Message</c>), when it is such JSON.</summary>
    private static (string? Code, string? Message) ReadErrorBody(Stream? stream)
    {
        if (stream is null)
        {
            return (null, null);
        }
        byte[] bytes;
        try
        {
            using var bounded = new BoundedReadStream(stream, MaxErrorBodyBytes);
            using var copy = new MemoryStream();
            bounded.CopyTo(copy);
            bytes = copy.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return (null, null);
        }
        if (bytes.Length == 0)
        {
            return (null, null);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }
            string? Member(string name) =>
                document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return (Member("__type") ?? Member("code") ?? Member("Code"), Member("message") ?? Member("Message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}

/// <summary>A restJson1 client (Security Hub): one marshaller and reader per client; answers are checked to be JSON.</summary>
internal abstract class RestJsonServiceClient : ServiceClient
{
    private readonly RestJsonRequestMarshaller marshaller;
    private readonly RestJsonResponseReader reader;

    /// <param name="credentials">The credentials, or null for the SDK's default chain.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="maxResponseBytes">The largest answer read.</param>
    private protected RestJsonServiceClient(AWSCredentials? credentials, ServiceClientConfig config, long maxResponseBytes = BoundedReadStream.DefaultLimit)
        : base(credentials, config)
    {
        marshaller = new RestJsonRequestMarshaller(config.Service);
        reader = new RestJsonResponseReader(config.Service.ServiceId, maxResponseBytes);
        ServiceId = config.Service.ServiceId;
    }

    /// <summary>The SDK service id, e.g. <c>SecurityHub</c>, for error messages.</summary>
    private protected string ServiceId { get; }

    /// <summary>The answer's body, checked to be JSON: a body that is not (cut short, garbled) is an unmarshalling error naming the operation.</summary>
    private protected async Task<string> CallAsync(AwsOperation operation, string method, string path, byte[] body, CancellationToken cancellationToken)
    {
        var response = await SendAsync<JsonResponse>(new RestJsonRequest(operation, method, path, body), marshaller, reader, cancellationToken).ConfigureAwait(false);
        try
        {
            var json = new Utf8JsonReader(Encoding.UTF8.GetBytes(response.Body));
            while (json.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, response.ResponseMetadata?.RequestId, e);
        }

        return response.Body;
    }
}
