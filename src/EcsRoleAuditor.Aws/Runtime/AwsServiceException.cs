using System.Net;
using Amazon.Runtime;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// An error IAM, ECS, SNS, DynamoDB, Organizations, SQS or Security Hub answered: <see cref="AmazonServiceException.ErrorCode"/> is the wire code (ECS's
/// <c>__type</c> without its namespace), <see cref="AmazonServiceException.StatusCode"/> the HTTP status. Callers tell
/// errors apart by code (<see cref="Resolution.AwsFailure"/>), so one type serves every service.
/// </summary>
internal sealed class AwsServiceException : AmazonServiceException
{
    // The services' throttling codes. The SDK's retry policy knows the first two (and DynamoDB's
    // ProvisionedThroughputExceededException and RequestLimitExceeded, tests/EcsRoleAuditor.Aws.Tests/Dynamo) but not
    // SNS's Throttled, so the exception says it is throttling itself; Organizations' TooManyRequestsException and SQS's
    // RequestThrottled are named here too rather than trusting a list inside the SDK (tests/EcsRoleAuditor.Aws.Tests/Clients).
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "Throttled", "TooManyRequestsException", "RequestThrottled",
    };

    // Security Hub answers its rate limits with LimitExceededException (HTTP 429: "beyond the current account or
    // throttling limits", AWS Security Hub API Reference). The operations we call create nothing that counts against
    // an account limit, so from Security Hub it is throttling; elsewhere (DynamoDB, ECS) the same code names resource
    // limits that a retry cannot lift.
    private static readonly Dictionary<string, string> ServiceThrottlingCodes = new(StringComparer.Ordinal)
    {
        [ServiceDescription.SecurityHub.ServiceId] = "LimitExceededException",
    };

    /// <summary>The error as the pipeline read it from <paramref name="serviceId"/>'s answer.</summary>
    public AwsServiceException(string serviceId, ServiceError error)
        : base(error.Message, error.InnerException, error.Type, error.Code, error.RequestId, error.StatusCode)
    {
        ServiceId = serviceId;
    }

    /// <summary>An error as an offline input or a test double reports it, without a request.</summary>
    public AwsServiceException(string serviceId, string errorCode, HttpStatusCode statusCode, string message)
        : base(message)
    {
        ServiceId = serviceId;
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The SDK service id of the service that answered, e.g. <c>IAM</c>.</summary>
    public string ServiceId { get; }

    /// <summary>Throttling for the retry policy when the code says so; otherwise what the SDK decides.</summary>
    public override RetryableDetails Retryable =>
        ErrorCode is { } code && (ThrottlingCodes.Contains(code) || ServiceThrottlingCodes.GetValueOrDefault(ServiceId) == code)
            ? new RetryableDetails(throttling: true)
            : base.Retryable;
}
