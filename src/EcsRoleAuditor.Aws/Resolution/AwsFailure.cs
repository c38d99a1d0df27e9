using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>How an AWS call failed, as far as the audit cares.</summary>
public enum AwsFailureKind
{
    /// <summary>The resource does not exist (<c>NoSuchEntity</c>, ECS <c>ClientException</c> on describe, SQS's missing queue, no organization).</summary>
    NotFound,
    /// <summary>The caller lacks the permission (<c>AccessDenied</c>, <c>AccessDeniedException</c>; Security Hub's <c>InvalidAccessException</c>, not enabled).</summary>
    AccessDenied,
    /// <summary>Still throttled after the SDK's retries.</summary>
    Throttled,
    /// <summary>A server-side error (5xx, <c>ServiceFailure</c>) after the SDK's retries.</summary>
    ServiceError,
    /// <summary>No complete answer within the request timeout, on every attempt of the SDK's retries.</summary>
    TimedOut,
    /// <summary>A recorded source (an AWS CLI output file) does not hold the answer; the message names the file and what to export.</summary>
    NotRecorded,
    /// <summary>Anything else: credentials, network, an unexpected error code.</summary>
    Other,
}

/// <summary>A failed AWS call: which action on which resource, and why. <see cref="Describe"/> is the sentence findings carry.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Operation">The call, one of <see cref="AwsActions"/>; messages name it by its IAM action, e.g. <c>iam:GetRole</c>.</param>
/// <param name="Resource">The resource the call was about: a role or policy ARN, a name, a task definition.</param>
/// <param name="ErrorCode">The wire error code, or the exception type when there is none.</param>
/// <param name="Message">AWS's (or the SDK's) message.</param>
public sealed record AwsFailure(AwsFailureKind Kind, AwsOperation Operation, string Resource, string ErrorCode, string Message)
{
    // Security Hub's InvalidAccessException (401) says the account may not use Security Hub here: not enabled
    // (subscribed) in the region, or the finding provider not enabled; like a missing permission, only a person can fix it.
    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError",
        "InvalidAccessException",
    };

    // Organization mode adds Organizations' "the caller's account is not in an organization" (the organization to list is
    // not found) and SQS's missing queue, by its query-era code (x-amzn-query-error) and by its JSON type.
    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "NoSuchEntity", "NoSuchEntityException", "NotFound", "NotFoundException", "ResourceNotFoundException",
        "AWSOrganizationsNotInUseException", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
    };

    // The codes the SDK's retry handler treats as throttling; when one surfaces here the retries were exhausted.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    /// <summary>What to do about it when the source knows better than ERA005's remediation (a recording that leaves a value to deployment), or null.</summary>
    public string? Remedy { get; init; }

    /// <summary>One sentence for a finding: what failed, on what, and what to do.</summary>
    public string Describe() => Kind switch
    {
        AwsFailureKind.AccessDenied => $"access denied: {Operation.Action} on {Resource} (grant it to the auditor's role)",
        AwsFailureKind.NotFound => $"not found: {Operation.Action} on {Resource} ({ErrorCode})",
        AwsFailureKind.Throttled => $"throttled: {Operation.Action} on {Resource} was still throttled ({ErrorCode}) after the SDK's retries; audit again later or lower the concurrency",
        AwsFailureKind.ServiceError => $"AWS error: {Operation.Action} on {Resource} failed with {ErrorCode} after the SDK's retries",
        AwsFailureKind.TimedOut => $"{Message}: {Operation.Action} on {Resource} had no complete answer on any of the SDK's attempts",
        AwsFailureKind.NotRecorded => Message,
        _ => $"{Operation.Action} on {Resource} failed: {ErrorCode}: {Message}",
    };

    /// <summary>
    /// The failure in a word for alerts and reports: the error code, or the message when it is the auditor's own (a
    /// recording that lacks the answer, an answer that could not be read, a request timeout). AWS's messages can quote request parameters,
    /// and nothing from the environment may reach an alert unescaped and unbounded.
    /// </summary>
    public string Brief => Kind switch
    {
        AwsFailureKind.NotRecorded => Message,
        AwsFailureKind.TimedOut => Describe(),
        _ => ErrorCode == TaskDefinitionSource.UnexpectedResponse ? Message : ErrorCode,
    };

    /// <summary>
    /// True for the exceptions an AWS call reports failures with, timeouts included; never for the caller's
    /// cancellation. HttpClient reports its own timeout as a cancellation wrapping a <see cref="TimeoutException"/>.
    /// </summary>
    public static bool IsAwsError(Exception exception) =>
        exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException
            or OperationCanceledException { InnerException: TimeoutException };

    /// <summary>Classifies an exception thrown by an AWS call (see <see cref="IsAwsError"/>).</summary>
    public static AwsFailure From(Exception exception, AwsOperation operation, string resource)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TimeoutException or OperationCanceledException { InnerException: TimeoutException })
        {
            var timeout = exception as TimeoutException ?? (TimeoutException)exception.InnerException!;
            return new AwsFailure(AwsFailureKind.TimedOut, operation, resource, "RequestTimeout",
                timeout is AwsRequestTimeoutException ? timeout.Message : "request timed out");
        }
        if (exception is not AmazonServiceException service)
        {
            return new AwsFailure(AwsFailureKind.Other, operation, resource, exception.GetType().Name, exception.Message);
        }
        var status = (int)service.StatusCode;
        var code = string.IsNullOrEmpty(service.ErrorCode)
            ? status == 0 ? service.GetType().Name : $"HTTP {status}"
            : service.ErrorCode;
        var kind = code == Offline.RecordedIam.NotRecordedCode ? AwsFailureKind.NotRecorded
            : AccessDeniedCodes.Contains(code) ? AwsFailureKind.AccessDenied
            : NotFoundCodes.Contains(code) ? AwsFailureKind.NotFound
            : ThrottlingCodes.Contains(code) || service.StatusCode == HttpStatusCode.TooManyRequests ? AwsFailureKind.Throttled
            : status >= 500 || code is "ServiceFailure" or "ServiceUnavailable" or "InternalFailure" or "ServerException" or "ServiceException" ? AwsFailureKind.ServiceError
            : AwsFailureKind.Other;
        return new AwsFailure(kind, operation, resource, code, service.Message) { Remedy = (service as Offline.NotRecordedException)?.Remedy };
    }
}
