using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>An AWS error response as read from the wire, handed to a service's exception factory.</summary>
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

/// <summary>Builds a service's exception type for an error code.</summary>
internal delegate AmazonServiceException ServiceErrorFactory(ServiceError error);
