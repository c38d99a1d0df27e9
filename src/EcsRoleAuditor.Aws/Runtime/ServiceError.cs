using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>An AWS error response as read from the wire, the content of an <see cref="AwsServiceException"/>.</summary>
/// <param name="Message">The error message.</param>
/// <param name="InnerException">The HTTP-level exception, if any.</param>
/// <param name="Type">Sender or Receiver.</param>
/// <param name="Code">The wire error code, e.g. <c>NoSuchEntity</c>.</param>
/// <param name="RequestId">The request id.</param>
/// <param name="StatusCode">The HTTP status.</param>
internal sealed record ServiceError(string? Message, Exception? InnerException, ErrorType Type, string? Code, string? RequestId, HttpStatusCode StatusCode)
{
    /// <summary>Reads the SDK's error response with the status the pipeline saw.</summary>
    public static ServiceError From(ErrorResponse response, Exception? innerException, HttpStatusCode statusCode) =>
        new(response.Message, innerException, response.Type, response.Code, response.RequestId, statusCode);
}

/// <summary>
/// A success response whose body could not be read (cut short, not XML or JSON, not the expected shape): the SDK's
/// unmarshalling error, an <see cref="AmazonServiceException"/>, naming the service and operation, so callers see an AWS
/// error and not a parser's exception.
/// </summary>
internal static class UnreadableResponse
{
    public static AmazonUnmarshallingException For(string serviceId, string operation, string? requestId, Exception cause) =>
        new(requestId ?? string.Empty, $"{serviceId} {operation}", new FormatException($"The {serviceId} {operation} response could not be read: {cause.Message}", cause));
}
