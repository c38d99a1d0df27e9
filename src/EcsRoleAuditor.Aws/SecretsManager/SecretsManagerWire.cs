using System.Text.Json.Serialization;

namespace EcsRoleAuditor.Aws.SecretsManager;

/// <summary>DescribeSecret's request body.</summary>
internal sealed record DescribeSecretBody(string SecretId);

/// <summary>DescribeSecret's response body, the members the auditor reads (the rest, rotation, versions, tags, is skipped).</summary>
internal sealed record DescribeSecretResult(string? ARN, string? Name, string? KmsKeyId);

/// <summary>Source-generated (AOT-safe) JSON for Secrets Manager's awsJson1_1 bodies, members as the API names them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeSecretBody))]
[JsonSerializable(typeof(DescribeSecretResult))]
internal sealed partial class SecretsManagerJsonContext : JsonSerializerContext;
