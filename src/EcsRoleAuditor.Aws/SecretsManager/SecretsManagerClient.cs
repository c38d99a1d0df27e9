using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.SecretsManager;

/// <summary>
/// <see cref="ISecretsManagerApi"/> over Secrets Manager's awsJson1_1 API (target prefix <c>secretsmanager</c>) on the SDK
/// pipeline shared with the other clients: the same operation table, retries, call counting, bounded answers and error type.
/// </summary>
internal sealed class SecretsManagerClient : JsonServiceClient, ISecretsManagerApi
{
    /// <summary>The largest answer read: a secret's metadata (tags, versions, replicas) is a few KB; 1 MiB is ample.</summary>
    public const long MaxResponseBytes = 1024 * 1024;

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public SecretsManagerClient(AWSCredentials? credentials, SecretsManagerClientConfig config)
        : base(credentials, config, AwsJsonProtocol.SecretsManager, MaxResponseBytes)
    {
    }

    /// <inheritdoc />
    public Task<SecretDescription> DescribeSecretAsync(string secretId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        return CallAsync(AwsActions.DescribeSecret, new DescribeSecretBody(secretId), SecretsManagerJsonContext.Default.DescribeSecretBody,
            SecretsManagerJsonContext.Default.DescribeSecretResult, result => new SecretDescription(result.ARN, result.Name, string.IsNullOrEmpty(result.KmsKeyId) ? null : result.KmsKeyId),
            cancellationToken);
    }
}
