using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Sns;

/// <summary>An error SNS returned; <see cref="AmazonServiceException.ErrorCode"/> is the wire code.</summary>
public class SnsException : AmazonServiceException
{
    /// <summary>An SNS error with a message only (test doubles set ErrorCode and StatusCode themselves).</summary>
    public SnsException(string message)
        : base(message)
    {
    }

    internal SnsException(ServiceError error)
        : base(error.Message, error.InnerException, error.Type, error.Code, error.RequestId, error.StatusCode)
    {
    }

    /// <summary>The exception type for the error's code (codes without their own type give an <see cref="SnsException"/>).</summary>
    internal static AmazonServiceException FromError(ServiceError error) => error.Code switch
    {
        "NotFound" => new SnsNotFoundException(error),
        "AuthorizationError" => new SnsAuthorizationErrorException(error),
        "InvalidParameter" or "InvalidParameterValue" => new SnsInvalidParameterException(error),
        "Throttled" => new SnsThrottledException(error),
        _ => new SnsException(error),
    };
}

/// <summary><c>NotFound</c> (404): the topic does not exist.</summary>
public sealed class SnsNotFoundException : SnsException
{
    /// <summary>Creates the exception with a message.</summary>
    public SnsNotFoundException(string message)
        : base(message)
    {
        ErrorCode = "NotFound";
        StatusCode = HttpStatusCode.NotFound;
    }

    internal SnsNotFoundException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>AuthorizationError</c> (403): the caller may not publish to the topic; not retried.</summary>
public sealed class SnsAuthorizationErrorException : SnsException
{
    /// <summary>Creates the exception with a message.</summary>
    public SnsAuthorizationErrorException(string message)
        : base(message)
    {
        ErrorCode = "AuthorizationError";
        StatusCode = HttpStatusCode.Forbidden;
    }

    internal SnsAuthorizationErrorException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>InvalidParameter</c> / <c>InvalidParameterValue</c> (400): e.g. a bad message structure or attribute.</summary>
public sealed class SnsInvalidParameterException : SnsException
{
    /// <summary>Creates the exception with a message.</summary>
    public SnsInvalidParameterException(string message)
        : base(message)
    {
        ErrorCode = "InvalidParameter";
        StatusCode = HttpStatusCode.BadRequest;
    }

    internal SnsInvalidParameterException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>Throttled</c> (429): rate exceeded; the SDK's list of throttling codes lacks it, so this type says so itself.</summary>
public sealed class SnsThrottledException : SnsException
{
    /// <summary>Creates the exception with a message.</summary>
    public SnsThrottledException(string message)
        : base(message)
    {
        ErrorCode = "Throttled";
        StatusCode = HttpStatusCode.TooManyRequests;
    }

    internal SnsThrottledException(ServiceError error)
        : base(error)
    {
    }

    /// <summary>Marks the error as throttling for the retry policy.</summary>
    public override RetryableDetails Retryable => new(throttling: true);
}
