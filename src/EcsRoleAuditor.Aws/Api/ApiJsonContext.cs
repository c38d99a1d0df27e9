using System.Text.Json.Serialization;

namespace EcsRoleAuditor.Aws.Api;

/// <summary>Source-generated JSON for the small values the API contracts serialise themselves.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
