namespace EcsRoleAuditor.Aws.Api;

/// <summary>
/// The AWS Security Hub operations the auditor calls (REST-JSON, API version 2018-10-26); each method is one request.
/// Errors as for <see cref="IIamApi"/>. Findings travel as ASFF JSON objects already written (the mapping lives with
/// the report writers), so the client measures exactly the bytes it sends against the call limits.
/// </summary>
public interface ISecurityHubApi
{
    /// <summary>
    /// BatchImportFindings: 1 to <see cref="SecurityHubLimits.MaxFindingsPerImport"/> findings, each one UTF-8 JSON
    /// object of at most <see cref="SecurityHubLimits.MaxFindingBytes"/>, the request body (the findings, a comma between
    /// two and the 15 bytes of <c>{"Findings":[]}</c>) at most <see cref="SecurityHubLimits.MaxImportBytes"/>
    /// (<see cref="ArgumentException"/> before anything is sent). A call
    /// that succeeds can still fail findings: each failure is reported.
    /// </summary>
    Task<SecurityHubImportResult> BatchImportFindingsAsync(IReadOnlyList<ReadOnlyMemory<byte>> findings, CancellationToken cancellationToken);

    /// <summary>
    /// BatchUpdateFindings: sets the workflow status and/or a note on 1 to
    /// <see cref="SecurityHubLimits.MaxFindingsPerUpdate"/> findings (the customer's fields, which BatchImportFindings
    /// ignores on findings that exist).
    /// </summary>
    Task<SecurityHubUpdateResult> BatchUpdateFindingsAsync(SecurityHubFindingsUpdate update, CancellationToken cancellationToken);

    /// <summary>GetFindings: one page of the findings the filters select (<paramref name="nextToken"/> null for the first).</summary>
    Task<SecurityHubFindingsPage> GetFindingsAsync(SecurityHubFindingsQuery query, string? nextToken, CancellationToken cancellationToken);
}

/// <summary>A finding's identity in Security Hub.</summary>
/// <param name="Id">The finding's <c>Id</c> (the product's identifier for it).</param>
/// <param name="ProductArn">The product that imported it.</param>
public sealed record SecurityHubFindingId(string Id, string ProductArn);

/// <summary>What BatchImportFindings did.</summary>
/// <param name="SuccessCount">Findings imported.</param>
/// <param name="Failed">Findings not imported, with Security Hub's reason.</param>
public sealed record SecurityHubImportResult(int SuccessCount, IReadOnlyList<SecurityHubFailedFinding> Failed);

/// <summary>A finding a batch call did not take.</summary>
/// <param name="Id">The finding's <c>Id</c>.</param>
/// <param name="ErrorCode">Security Hub's code, e.g. <c>InvalidInput</c>.</param>
/// <param name="ErrorMessage">Security Hub's message.</param>
public sealed record SecurityHubFailedFinding(string Id, string ErrorCode, string ErrorMessage);

/// <summary>A BatchUpdateFindings request.</summary>
/// <param name="Findings">The findings to change.</param>
/// <param name="WorkflowStatus"><c>NEW</c>, <c>NOTIFIED</c>, <c>SUPPRESSED</c> or <c>RESOLVED</c>; null leaves it.</param>
/// <param name="NoteText">A note to set (at most 512 characters), or null.</param>
/// <param name="NoteUpdatedBy">Who writes the note (required with a note).</param>
public sealed record SecurityHubFindingsUpdate(IReadOnlyList<SecurityHubFindingId> Findings, string? WorkflowStatus, string? NoteText, string? NoteUpdatedBy);

/// <summary>What BatchUpdateFindings did.</summary>
/// <param name="Processed">The findings changed.</param>
/// <param name="Unprocessed">The findings not changed, with Security Hub's reason (the failure's <c>Id</c> is the finding's).</param>
public sealed record SecurityHubUpdateResult(IReadOnlyList<SecurityHubFindingId> Processed, IReadOnlyList<SecurityHubFailedFinding> Unprocessed);

/// <summary>A GetFindings filter set; every filter must hold (AND). Empty lists filter nothing.</summary>
/// <param name="Exact">String filters with comparison <c>EQUALS</c> by ASFF filter field (<c>ProductArn</c>, <c>AwsAccountId</c>, <c>RecordState</c>, <c>GeneratorId</c>, <c>ResourceId</c>, <c>ComplianceStatus</c>, <c>WorkflowStatus</c>, <c>Id</c>); several values for one field are OR-ed as Security Hub does.</param>
/// <param name="Prefixes">String filters with comparison <c>PREFIX</c>, by field.</param>
/// <param name="ProductFields"><c>ProductFields</c> map filters with comparison <c>EQUALS</c> (key, value).</param>
/// <param name="MaxResults">Page size, 1 to 100.</param>
public sealed record SecurityHubFindingsQuery(
    IReadOnlyList<KeyValuePair<string, string>> Exact,
    IReadOnlyList<KeyValuePair<string, string>> Prefixes,
    IReadOnlyList<KeyValuePair<string, string>> ProductFields,
    int MaxResults = 100);

/// <summary>One page of GetFindings.</summary>
/// <param name="Findings">The findings, as much of each as the auditor reads.</param>
/// <param name="NextToken">The token of the next page, or null on the last.</param>
public sealed record SecurityHubFindingsPage(IReadOnlyList<SecurityHubFinding> Findings, string? NextToken) : IPage
{
    /// <summary>The next page's token, for <see cref="Resolution.Pages"/>.</summary>
    string? IPage.NextMarker => NextToken;
}

/// <summary>The fields of an imported finding the auditor reads back.</summary>
/// <param name="Id">Its <c>Id</c>.</param>
/// <param name="ProductArn">Its <c>ProductArn</c>.</param>
/// <param name="GeneratorId">Its <c>GeneratorId</c> (the rule).</param>
/// <param name="AwsAccountId">Its account.</param>
/// <param name="RecordState"><c>ACTIVE</c> or <c>ARCHIVED</c>.</param>
/// <param name="ComplianceStatus"><c>Compliance.Status</c>, or null.</param>
/// <param name="WorkflowStatus"><c>Workflow.Status</c>, or null.</param>
/// <param name="CreatedAt">Its <c>CreatedAt</c>.</param>
/// <param name="UpdatedAt">Its <c>UpdatedAt</c>.</param>
/// <param name="ResourceIds">The <c>Id</c> of each of its <c>Resources</c>.</param>
/// <param name="ProductFields">Its <c>ProductFields</c>.</param>
public sealed record SecurityHubFinding(
    string Id,
    string ProductArn,
    string GeneratorId,
    string AwsAccountId,
    string RecordState,
    string? ComplianceStatus,
    string? WorkflowStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> ResourceIds,
    IReadOnlyDictionary<string, string> ProductFields)
{
    /// <summary>The provider's severity label (<c>FindingProviderFields.Severity.Label</c>, else <c>Severity.Label</c>), or null.</summary>
    public string? SeverityLabel { get; init; }

    /// <summary>Its <c>Description</c>, or null.</summary>
    public string? Description { get; init; }
}

/// <summary>Security Hub's documented call limits ("BatchImportFindings", AWS Security Hub API Reference).</summary>
public static class SecurityHubLimits
{
    /// <summary>Findings in one BatchImportFindings call: 100.</summary>
    public const int MaxFindingsPerImport = 100;

    /// <summary>Findings in one BatchUpdateFindings call: 100.</summary>
    public const int MaxFindingsPerUpdate = 100;

    /// <summary>One finding's size: 240 KB.</summary>
    public const int MaxFindingBytes = 240 * 1024;

    /// <summary>One BatchImportFindings call's size: 6 MB.</summary>
    public const int MaxImportBytes = 6 * 1024 * 1024;

    /// <summary>The three import limits as the ASFF batching takes them.</summary>
    public static Audit.Reporting.SecurityHub.AsffImportLimits Import { get; } = new(MaxFindingsPerImport, MaxFindingBytes, MaxImportBytes);
}
