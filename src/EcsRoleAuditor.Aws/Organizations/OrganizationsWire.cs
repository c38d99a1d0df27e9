using System.Text.Json.Serialization;

namespace EcsRoleAuditor.Aws.Organizations;

/// <summary>ListAccounts' request body.</summary>
internal sealed record ListAccountsBody(int MaxResults, string? NextToken);

/// <summary>ListAccounts' response body.</summary>
internal sealed record ListAccountsResult(IReadOnlyList<AccountEntry?>? Accounts, string? NextToken);

/// <summary>An account as ListAccounts writes it; the members the auditor does not read (Email, JoinedTimestamp, Paths, ...) are skipped.</summary>
internal sealed record AccountEntry(string? Id, string? Arn, string? Name, string? Status, string? State);

/// <summary>Source-generated (AOT-safe) JSON for Organizations' awsJson1_1 bodies: PascalCase members as the API names them, absent when null.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ListAccountsBody))]
[JsonSerializable(typeof(ListAccountsResult))]
internal sealed partial class OrganizationsJsonContext : JsonSerializerContext;
