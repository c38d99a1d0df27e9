using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Iam;

/// <summary>An error IAM returned; <see cref="AmazonServiceException.ErrorCode"/> is the wire code.</summary>
public class IamException : AmazonServiceException
{
    /// <summary>An IAM error with a message only (test doubles set ErrorCode and StatusCode themselves).</summary>
    public IamException(string message)
        : base(message)
    {
    }

    internal IamException(ServiceError error)
        : base(error.Message, error.InnerException, error.Type, error.Code, error.RequestId, error.StatusCode)
    {
    }

    /// <summary>The exception type for the error's code (codes without their own type give an <see cref="IamException"/>).</summary>
    internal static AmazonServiceException FromError(ServiceError error) => error.Code switch
    {
        "NoSuchEntity" => new IamNoSuchEntityException(error),
        "AccessDenied" or "AccessDeniedException" => new IamAccessDeniedException(error),
        "Throttling" or "ThrottlingException" => new IamThrottlingException(error),
        "ServiceFailure" => new IamServiceFailureException(error),
        "InvalidInput" => new IamInvalidInputException(error),
        _ => new IamException(error),
    };
}

/// <summary><c>NoSuchEntity</c> (404): the role or policy does not exist.</summary>
public sealed class IamNoSuchEntityException : IamException
{
    /// <summary>Creates the exception with a message.</summary>
    public IamNoSuchEntityException(string message)
        : base(message)
    {
        ErrorCode = "NoSuchEntity";
        StatusCode = HttpStatusCode.NotFound;
    }

    internal IamNoSuchEntityException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>AccessDenied</c> (403): the caller may not perform the action; not retried.</summary>
public sealed class IamAccessDeniedException : IamException
{
    /// <summary>Creates the exception with a message.</summary>
    public IamAccessDeniedException(string message)
        : base(message)
    {
        ErrorCode = "AccessDenied";
        StatusCode = HttpStatusCode.Forbidden;
    }

    internal IamAccessDeniedException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>Throttling</c> (400): rate exceeded; the SDK retries it before this surfaces.</summary>
public sealed class IamThrottlingException : IamException
{
    /// <summary>Creates the exception with a message.</summary>
    public IamThrottlingException(string message)
        : base(message)
    {
        ErrorCode = "Throttling";
        StatusCode = HttpStatusCode.BadRequest;
    }

    internal IamThrottlingException(ServiceError error)
        : base(error)
    {
    }

    /// <summary>Marks the error as throttling for the retry policy whatever the exact code.</summary>
    public override RetryableDetails Retryable => new(throttling: true);
}

/// <summary><c>ServiceFailure</c> (500): IAM failed; retried by status before this surfaces.</summary>
public sealed class IamServiceFailureException : IamException
{
    /// <summary>Creates the exception with a message.</summary>
    public IamServiceFailureException(string message)
        : base(message)
    {
        ErrorCode = "ServiceFailure";
        StatusCode = HttpStatusCode.InternalServerError;
    }

    internal IamServiceFailureException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>InvalidInput</c> (400): a parameter was rejected.</summary>
public sealed class IamInvalidInputException : IamException
{
    /// <summary>Creates the exception with a message.</summary>
    public IamInvalidInputException(string message)
        : base(message)
    {
        ErrorCode = "InvalidInput";
        StatusCode = HttpStatusCode.BadRequest;
    }

    internal IamInvalidInputException(ServiceError error)
        : base(error)
    {
    }
}
