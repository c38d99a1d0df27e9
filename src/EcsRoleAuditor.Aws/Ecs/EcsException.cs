using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Ecs;

/// <summary>An error ECS returned; <see cref="AmazonServiceException.ErrorCode"/> is the wire code (<c>__type</c> without namespace).</summary>
public class EcsException : AmazonServiceException
{
    /// <summary>An ECS error with a message only (test doubles set ErrorCode and StatusCode themselves).</summary>
    public EcsException(string message)
        : base(message)
    {
    }

    internal EcsException(ServiceError error)
        : base(error.Message, error.InnerException, error.Type, error.Code, error.RequestId, error.StatusCode)
    {
    }

    /// <summary>The exception type for the error's code (codes without their own type give an <see cref="EcsException"/>).</summary>
    internal static AmazonServiceException FromError(ServiceError error) => error.Code switch
    {
        "ClientException" => new EcsClientException(error),
        "ServerException" => new EcsServerException(error),
        "InvalidParameterException" => new EcsInvalidParameterException(error),
        "AccessDeniedException" => new EcsAccessDeniedException(error),
        "ThrottlingException" => new EcsThrottlingException(error),
        _ => new EcsException(error),
    };
}

/// <summary><c>ClientException</c> (400): e.g. the task definition does not exist ("Unable to describe task definition.").</summary>
public sealed class EcsClientException : EcsException
{
    /// <summary>Creates the exception with a message.</summary>
    public EcsClientException(string message)
        : base(message)
    {
        ErrorCode = "ClientException";
        StatusCode = HttpStatusCode.BadRequest;
    }

    internal EcsClientException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>ServerException</c> (500): ECS failed; retried by status before this surfaces.</summary>
public sealed class EcsServerException : EcsException
{
    /// <summary>Creates the exception with a message.</summary>
    public EcsServerException(string message)
        : base(message)
    {
        ErrorCode = "ServerException";
        StatusCode = HttpStatusCode.InternalServerError;
    }

    internal EcsServerException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>InvalidParameterException</c> (400): a parameter was rejected.</summary>
public sealed class EcsInvalidParameterException : EcsException
{
    /// <summary>Creates the exception with a message.</summary>
    public EcsInvalidParameterException(string message)
        : base(message)
    {
        ErrorCode = "InvalidParameterException";
        StatusCode = HttpStatusCode.BadRequest;
    }

    internal EcsInvalidParameterException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>AccessDeniedException</c> (400): the caller may not perform the action; not retried.</summary>
public sealed class EcsAccessDeniedException : EcsException
{
    /// <summary>Creates the exception with a message.</summary>
    public EcsAccessDeniedException(string message)
        : base(message)
    {
        ErrorCode = "AccessDeniedException";
        StatusCode = HttpStatusCode.BadRequest;
    }

    internal EcsAccessDeniedException(ServiceError error)
        : base(error)
    {
    }
}

/// <summary><c>ThrottlingException</c> (400): rate exceeded; the SDK retries it before this surfaces.</summary>
public sealed class EcsThrottlingException : EcsException
{
    /// <summary>Creates the exception with a message.</summary>
    public EcsThrottlingException(string message)
        : base(message)
    {
        ErrorCode = "ThrottlingException";
        StatusCode = HttpStatusCode.BadRequest;
    }

    internal EcsThrottlingException(ServiceError error)
        : base(error)
    {
    }

    /// <summary>Marks the error as throttling for the retry policy.</summary>
    public override RetryableDetails Retryable => new(throttling: true);
}
