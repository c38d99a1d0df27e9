using Amazon.Runtime;

namespace EcsRoleAuditor.Aws.Connection;

/// <summary>
/// How to reach AWS: everything the CLI's <c>--region</c>, <c>--profile</c>, <c>--role-arn</c> and endpoint options
/// carry. Unset values come from the SDK's usual sources (environment, shared config/credentials files).
/// </summary>
public sealed record AwsConnectionOptions
{
    /// <summary>The region, e.g. <c>eu-west-1</c>; null: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the profile's region.</summary>
    public string? Region { get; init; }

    /// <summary>The shared-config profile; null: <c>AWS_PROFILE</c> or <c>default</c> through the default chain.</summary>
    public string? Profile { get; init; }

    /// <summary>Explicit credentials (take precedence over <see cref="Profile"/> and the default chain).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>A role to assume with the resolved credentials (cross-account audit), or null.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The external id the role's trust policy requires, or null.</summary>
    internal string? ExternalId { get; init; }

    /// <summary>The role session name; null: <c>EcsRoleAuditor</c>.</summary>
    internal string? RoleSessionName { get; init; }

    /// <summary>The assumed role's session length; null: one hour (renewed six minutes before expiry).</summary>
    internal TimeSpan? RoleSessionDuration { get; init; }

    /// <summary>Endpoint URL overrides per service (e.g. a local emulator); null: <c>AWS_ENDPOINT_URL_*</c>, profile <c>endpoint_url</c>, or AWS.</summary>
    public ServiceEndpointUrls EndpointUrls { get; init; } = new();

    /// <summary>Standard or Adaptive retries; null: the SDK's setting (<c>AWS_RETRY_MODE</c>, profile, else Standard).</summary>
    internal RequestRetryMode? RetryMode { get; init; }

    /// <summary>Attempts per call including the first; null: the SDK's setting (<c>AWS_MAX_ATTEMPTS</c>, profile, else 3).</summary>
    internal int? MaxAttempts { get; init; }

    /// <summary>
    /// The limit of one request (each attempt), connection to last byte; null: <see cref="RequestTimeouts.Request"/>.
    /// The time to first byte is <see cref="RequestTimeouts.TimeToFirstByte"/> or this, whichever is shorter.
    /// </summary>
    public TimeSpan? RequestTimeout { get; init; }
}

/// <summary>Endpoint URL overrides, one per service the auditor calls.</summary>
/// <param name="Iam">IAM (signed for the partition's IAM region even when overridden).</param>
/// <param name="Ecs">ECS.</param>
/// <param name="Sns">SNS.</param>
/// <param name="Sts">STS (used when a role is assumed).</param>
/// <param name="DynamoDb">DynamoDB (the findings store).</param>
/// <param name="Organizations">Organizations (organization mode; signed for the partition's Organizations region even when overridden).</param>
/// <param name="Sqs">SQS (organization mode's sweep queue).</param>
/// <param name="SecurityHub">Security Hub (the findings sink).</param>
/// <param name="SecretsManager">Secrets Manager (fix --live: the keys of secrets), in every region.</param>
/// <param name="Ssm">SSM (fix --live: the keys of parameters), in every region.</param>
public sealed record ServiceEndpointUrls(
    string? Iam = null, string? Ecs = null, string? Sns = null, string? Sts = null, string? DynamoDb = null, string? Organizations = null, string? Sqs = null, string? SecurityHub = null,
    string? SecretsManager = null, string? Ssm = null);
