using System.Text.Json.Serialization;

namespace EcsRoleAuditor.Aws.Ecs;

/// <summary>DescribeTaskDefinition's request body.</summary>
internal sealed record DescribeTaskDefinitionBody(string TaskDefinition, IReadOnlyList<string>? Include);

/// <summary>ListTaskDefinitions' request body.</summary>
internal sealed record ListTaskDefinitionsBody(string? FamilyPrefix, string Status, string Sort, string? NextToken, int MaxResults);

/// <summary>ListTaskDefinitionFamilies' request body.</summary>
internal sealed record ListTaskDefinitionFamiliesBody(string? FamilyPrefix, string Status, string? NextToken, int MaxResults);

/// <summary>ListTaskDefinitions' response body.</summary>
internal sealed record ListTaskDefinitionsResult(IReadOnlyList<string>? TaskDefinitionArns, string? NextToken);

/// <summary>ListTaskDefinitionFamilies' response body.</summary>
internal sealed record ListTaskDefinitionFamiliesResult(IReadOnlyList<string>? Families, string? NextToken);

/// <summary>Source-generated (AOT-safe) JSON for ECS's awsJson1_1 bodies: camelCase members, absent when null.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeTaskDefinitionBody))]
[JsonSerializable(typeof(ListTaskDefinitionsBody))]
[JsonSerializable(typeof(ListTaskDefinitionFamiliesBody))]
[JsonSerializable(typeof(ListTaskDefinitionsResult))]
[JsonSerializable(typeof(ListTaskDefinitionFamiliesResult))]
internal sealed partial class EcsJsonContext : JsonSerializerContext;
