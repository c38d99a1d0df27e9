namespace EcsRoleAuditor.Aws.Connection;

/// <summary>The AWS connection could not be set up; the message is written for the person running the tool.</summary>
public class AwsConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AwsConnectionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AwsConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AwsConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>No credentials were found: no explicit ones, no usable profile, nothing in the default chain.</summary>
internal sealed class NoCredentialsException : AwsConnectionException
{
    /// <summary>The standard message.</summary>
    public const string DefaultMessage =
        "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, or run where a role provides them (ECS task, EC2, Lambda)";

    /// <summary>Creates the exception with the standard message.</summary>
    public NoCredentialsException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NoCredentialsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NoCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>No region was given and none is configured.</summary>
internal sealed class NoRegionException : AwsConnectionException
{
    /// <summary>The standard message.</summary>
    public const string DefaultMessage = "no region: pass --region or set AWS_REGION";

    /// <summary>Creates the exception with the standard message.</summary>
    public NoRegionException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NoRegionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NoRegionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
