using System.Text.Json.Serialization;

namespace EcsRoleAuditor.Aws.Ssm;

/// <summary>DescribeParameters' request body.</summary>
internal sealed record DescribeParametersBody(IReadOnlyList<ParameterStringFilter> ParameterFilters, int MaxResults, string? NextToken);

/// <summary>A <c>ParameterStringFilter</c>: Key, Option (<c>Equals</c>), Values.</summary>
internal sealed record ParameterStringFilter(string Key, string Option, IReadOnlyList<string> Values);

/// <summary>DescribeParameters' response body.</summary>
internal sealed record DescribeParametersResult(IReadOnlyList<ParameterMetadata?>? Parameters, string? NextToken);

/// <summary>A parameter's metadata as DescribeParameters writes it; the members the auditor does not read are skipped.</summary>
internal sealed record ParameterMetadata(string? Name, string? Type, string? KeyId);

/// <summary>Source-generated (AOT-safe) JSON for SSM's awsJson1_1 bodies, members as the API names them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeParametersBody))]
[JsonSerializable(typeof(DescribeParametersResult))]
internal sealed partial class SsmJsonContext : JsonSerializerContext;
