using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>An awsJson1_1 request: the operation (named in <c>X-Amz-Target</c>) and its UTF-8 JSON body.</summary>
internal sealed class JsonRequest(AwsOperation operation, byte[] body) : AmazonWebServiceRequest, IOperationRequest
{
    /// <summary>The operation, e.g. <c>DescribeTaskDefinition</c>.</summary>
    public AwsOperation Operation { get; } = operation;

    /// <summary>The JSON body.</summary>
    public byte[] Body { get; } = body;
}

/// <summary>Writes a <see cref="JsonRequest"/> as an awsJson1_1 POST.</summary>
internal sealed class JsonRequestMarshaller(ServiceDescription service, string targetPrefix) : IMarshaller<IRequest, AmazonWebServiceRequest>
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
        request.Headers["X-Amz-Target"] = targetPrefix + "." + json.Operation.Name;
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        return request;
    }
}

/// <summary>An awsJson1_1 response: the body text as received.</summary>
internal sealed class JsonResponse : AmazonWebServiceResponse
{
    /// <summary>The response body (UTF-8 decoded JSON text).</summary>
    public string Body { get; set; } = "{}";
}

/// <summary>Keeps awsJson1_1 bodies as text and turns error bodies (<c>__type</c>) into the service's exception types.</summary>
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
