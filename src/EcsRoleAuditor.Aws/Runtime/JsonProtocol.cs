using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// An awsJson protocol of one service: the <c>X-Amz-Target</c> prefix and the protocol version, which names the content
/// type (ECS speaks awsJson1_1, DynamoDB awsJson1_0; the two differ in nothing else our clients use).
/// </summary>
/// <param name="TargetPrefix">The prefix of <c>X-Amz-Target</c>, e.g. <c>DynamoDB_20120810</c>.</param>
/// <param name="Version">The protocol version, <c>1.0</c> or <c>1.1</c>.</param>
internal sealed record AwsJsonProtocol(string TargetPrefix, string Version)
{
    /// <summary>ECS: awsJson1_1, <c>AmazonEC2ContainerServiceV20141113</c>.</summary>
    public static AwsJsonProtocol Ecs { get; } = new("AmazonEC2ContainerServiceV20141113", "1.1");

    /// <summary>DynamoDB: awsJson1_0, <c>DynamoDB_20120810</c>.</summary>
    public static AwsJsonProtocol DynamoDb { get; } = new("DynamoDB_20120810", "1.0");

    /// <summary>The request's Content-Type, e.g. <c>application/x-amz-json-1.0</c>.</summary>
    public string ContentType => "application/x-amz-json-" + Version;
}

/// <summary>An awsJson request: the operation (named in <c>X-Amz-Target</c>) and its UTF-8 JSON body.</summary>
internal sealed class JsonRequest(AwsOperation operation, byte[] body) : AmazonWebServiceRequest, IOperationRequest
{
    /// <summary>The operation, e.g. <c>DescribeTaskDefinition</c>.</summary>
    public AwsOperation Operation { get; } = operation;

    /// <summary>The JSON body.</summary>
    public byte[] Body { get; } = body;
}

/// <summary>Writes a <see cref="JsonRequest"/> as an awsJson POST of <paramref name="protocol"/>.</summary>
internal sealed class JsonRequestMarshaller(ServiceDescription service, AwsJsonProtocol protocol) : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    /// <inheritdoc />
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var json = (JsonRequest)input;
        var request = new DefaultRequest(json, "Amazon." + service.ServiceId)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = json.Body,
        };
        request.Headers["X-Amz-Target"] = protocol.TargetPrefix + "." + json.Operation.Name;
        request.Headers["Content-Type"] = protocol.ContentType;
        return request;
    }
}

/// <summary>An awsJson response: the body text as received.</summary>
internal sealed class JsonResponse : AmazonWebServiceResponse
{
    /// <summary>The response body (UTF-8 decoded JSON text).</summary>
    public string Body { get; set; } = "{}";
}

/// <summary>Keeps awsJson bodies as text and turns error bodies (<c>__type</c>) into the service's exception types.</summary>
internal sealed class JsonResponseReader(string serviceId, long maxBodyBytes = BoundedReadStream.DefaultLimit) : JsonResponseUnmarshaller
{
    /// <inheritdoc />
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var text = new StreamReader(new BoundedReadStream(input.Stream, maxBodyBytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        string body;
        try
        {
            body = text.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw UnreadableResponse.For(serviceId, "answer", input.ResponseData?.GetHeaderValue("x-amzn-RequestId"), e);
        }
        var response = new JsonResponse { Body = body };
        if (input.ResponseData?.GetHeaderValue("x-amzn-RequestId") is { Length: > 0 } requestId)
        {
            response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
        }

        return response;
    }

    /// <inheritdoc />
    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new StreamingUtf8JsonReader(input.Stream);
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(input, ref reader);
        return new AwsServiceException(serviceId, ServiceError.From(error, innerException, statusCode));
    }
}
