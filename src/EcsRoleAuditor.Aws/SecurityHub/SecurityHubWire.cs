using System.Text.Json.Serialization;

namespace EcsRoleAuditor.Aws.SecurityHub;

/// <summary>AwsSecurityFindingIdentifier.</summary>
internal sealed record FindingIdentifier(string? Id, string? ProductArn);

/// <summary>BatchImportFindings' response body.</summary>
internal sealed record BatchImportFindingsResult(int? FailedCount, int? SuccessCount, IReadOnlyList<ImportFindingsError?>? FailedFindings);

/// <summary>ImportFindingsError.</summary>
internal sealed record ImportFindingsError(string? Id, string? ErrorCode, string? ErrorMessage);

/// <summary>BatchUpdateFindings' request body: the fields the auditor sets (no severity, types or user-defined fields).</summary>
internal sealed record BatchUpdateFindingsBody(IReadOnlyList<FindingIdentifier> FindingIdentifiers, WorkflowUpdate? Workflow, NoteUpdate? Note);

/// <summary>WorkflowUpdate.</summary>
internal sealed record WorkflowUpdate(string Status);

/// <summary>NoteUpdate.</summary>
internal sealed record NoteUpdate(string Text, string UpdatedBy);

/// <summary>BatchUpdateFindings' response body.</summary>
internal sealed record BatchUpdateFindingsResult(IReadOnlyList<FindingIdentifier?>? ProcessedFindings, IReadOnlyList<UnprocessedFinding?>? UnprocessedFindings);

/// <summary>BatchUpdateFindingsUnprocessedFinding.</summary>
internal sealed record UnprocessedFinding(FindingIdentifier? FindingIdentifier, string? ErrorCode, string? ErrorMessage);

/// <summary>GetFindings' request body.</summary>
internal sealed record GetFindingsBody(IReadOnlyDictionary<string, IReadOnlyList<FindingFilter>> Filters, int MaxResults, string? NextToken);

/// <summary>A StringFilter (<c>Value</c>, <c>Comparison</c>) or, with a <c>Key</c>, a MapFilter.</summary>
internal sealed record FindingFilter(string? Key, string Value, string Comparison);

/// <summary>GetFindings' response body.</summary>
internal sealed record GetFindingsResult(IReadOnlyList<WireFinding?>? Findings, string? NextToken);

/// <summary>AwsSecurityFinding: the members the auditor reads back.</summary>
internal sealed record WireFinding(
    string? Id,
    string? ProductArn,
    string? GeneratorId,
    string? AwsAccountId,
    string? RecordState,
    WireStatus? Compliance,
    WireStatus? Workflow,
    string? CreatedAt,
    string? UpdatedAt,
    IReadOnlyList<WireResource?>? Resources,
    IReadOnlyDictionary<string, string>? ProductFields,
    WireSeverity? Severity,
    WireProviderFields? FindingProviderFields,
    string? Description);

/// <summary>Severity: its <c>Label</c>.</summary>
internal sealed record WireSeverity(string? Label);

/// <summary>FindingProviderFields: its <c>Severity</c>.</summary>
internal sealed record WireProviderFields(WireSeverity? Severity);

/// <summary>Compliance or Workflow: their <c>Status</c>.</summary>
internal sealed record WireStatus(string? Status);

/// <summary>Resource: its <c>Id</c>.</summary>
internal sealed record WireResource(string? Id);

/// <summary>Source-generated (AOT-safe) JSON for Security Hub's restJson1 bodies: PascalCase members as the API names them, absent when null.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchImportFindingsResult))]
[JsonSerializable(typeof(BatchUpdateFindingsBody))]
[JsonSerializable(typeof(BatchUpdateFindingsResult))]
[JsonSerializable(typeof(GetFindingsBody))]
[JsonSerializable(typeof(GetFindingsResult))]
internal sealed partial class SecurityHubJsonContext : JsonSerializerContext;
