namespace EcsRoleAuditor.Aws.Api;

/// <summary>The Secrets Manager operation <c>fix --live</c> calls; one request. Errors as for <see cref="IIamApi"/> (<c>AccessDeniedException</c>, <c>ResourceNotFoundException</c>, throttling).</summary>
internal interface ISecretsManagerApi
{
    /// <summary>
    /// DescribeSecret: the secret's metadata, never its value. <paramref name="secretId"/> is the secret's ARN, a partial
    /// ARN (without the random suffix) or its name ("DescribeSecret", AWS Secrets Manager API Reference).
    /// </summary>
    Task<SecretDescription> DescribeSecretAsync(string secretId, CancellationToken cancellationToken);
}

/// <summary>What DescribeSecret says of a secret that the execution role's fix needs.</summary>
/// <param name="Arn">The secret's full ARN, or null when the answer held none.</param>
/// <param name="Name">The secret's name, or null when the answer held none.</param>
/// <param name="KmsKeyId">
/// The key that encrypts the secret as Secrets Manager names it (a key ARN, key ID or alias), or null: the answer omits
/// it when the AWS managed key <c>aws/secretsmanager</c> encrypts the secret ("DescribeSecret", AWS Secrets Manager API Reference).
/// </param>
internal sealed record SecretDescription(string? Arn, string? Name, string? KmsKeyId);
