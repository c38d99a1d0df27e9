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
/// type (ECS, Organizations, Secrets Manager and SSM speak awsJson1_1, DynamoDB and SQS awsJson1_0; the two differ in nothing else our clients use).
/// </summary>
/// <param name="TargetPrefix">The prefix of <c>X-Amz-Target</c>, e.g. <c>DynamoDB_20120810</c>.</param>
/// <param name="Version">The protocol version, <c>1.0</c> or <c>1.1</c>.</param>
internal sealed record AwsJsonProtocol(string TargetPrefix, string Version)
{
    /// <summary>ECS: awsJson1_1, <c>AmazonEC2ContainerServiceV20141113</c>.</summary>
    public static AwsJsonProtocol Ecs { get; } = new("AmazonEC2ContainerServiceV20141113", "1.1");

    /// <summary>DynamoDB: awsJson1_0, <c>DynamoDB_20120810</c>.</summary>
    public static AwsJsonProtocol DynamoDb { get; } = new("DynamoDB_20120810", "1.0");

    /// <summary>Organizations: awsJson1_1, <c>AWSOrganizationsV20161128</c>.</summary>
    public static AwsJsonProtocol Organizations { get; } = new("AWSOrganizationsV20161128", "1.1");

    /// <summary>
    /// SQS: awsJson1_0, <c>AmazonSQS</c> ("Making query API requests using AWS JSON protocol in Amazon SQS", SQS
    /// Developer Guide: <c>X-Amz-Target: AmazonSQS.SendMessage</c>, <c>Content-Type: application/x-amz-json-1.0</c>).
    /// </summary>
    public static AwsJsonProtocol Sqs { get; } = new("AmazonSQS", "1.0");

    /// <summary>
    /// Secrets Manager: awsJson1_1, <c>secretsmanager</c> ("DescribeSecret", AWS Secrets Manager API Reference:
    /// <c>X-Amz-Target: secretsmanager.DescribeSecret</c>).
    /// </summary>
    public static AwsJsonProtocol SecretsManager { get; } = new("secretsmanager", "1.1");

    /// <summary>SSM: awsJson1_1, <c>AmazonSSM</c> ("DescribeParameters", AWS Systems Manager API Reference: <c>X-Amz-Target: AmazonSSM.DescribeParameters</c>).</summary>
    public static AwsJsonProtocol Ssm { get; } = new("AmazonSSM", "1.1");

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
    private const string QueryErrorHeader = "x-amzn-query-error";

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
        UseQueryErrorCode(error, input.ResponseData?.GetHeaderValue(QueryErrorHeader));
        return new AwsServiceException(serviceId, ServiceError.From(error, innerException, statusCode));
    }

    /// <summary>
    /// A service that moved from awsQuery to JSON (SQS) still names its query-era code, and whether the sender or the
    /// service is at fault, in <c>x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender</c> ("Interpreting
    /// Amazon SQS JSON API responses", SQS Developer Guide). That code wins over <c>__type</c> (the SDKs' handling of such
    /// "query compatible" services), so an error keeps the code SQS's documentation and older clients use.
    /// </summary>
    internal static void UseQueryErrorCode(ErrorResponse error, string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Split(';') is not [{ Length: > 0 } code, var fault])
        {
            return;
        }
        error.Code = code;
        error.Type = fault switch
        {
            "Sender" => ErrorType.Sender,
            "Receiver" => ErrorType.Receiver,
            _ => error.Type,
        };
    }
}
