using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.SecurityHub;

/// <summary>
/// <see cref="ISecurityHubApi"/> over Security Hub's restJson1 API (2018-10-26) on the SDK pipeline shared with the
/// other clients: the same operation table, retries (LimitExceededException is its throttling), call counting, bounded
/// answers and error type. Requests that break Security Hub's documented limits are refused before anything is sent.
/// </summary>
internal sealed class SecurityHubClient : RestJsonServiceClient, ISecurityHubApi
{
    /// <summary>
    /// The largest answer read: a GetFindings page of 100 findings of at most 240 KB each is 24 MB; with room for the
    /// fields Security Hub adds to each finding, 64 MiB.
    /// </summary>
    public const long MaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>Filter attributes in one GetFindings call ("GetFindings", Filters: "up to 10 finding attributes").</summary>
    public const int MaxFilterAttributes = 10;

    /// <summary>Filter values for one attribute ("GetFindings", Filters: "up to 20 filter values").</summary>
    public const int MaxFilterValues = 20;

    /// <summary>A note's text ("NoteUpdate" / "Note": 1 to 512 characters).</summary>
    public const int MaxNoteLength = 512;

    private static readonly HashSet<string> WorkflowStatuses = new(StringComparer.Ordinal) { "NEW", "NOTIFIED", "SUPPRESSED", "RESOLVED" };

    // The envelope around the findings: {"Findings":[ ... ]}, and a comma between two findings.
    private static readonly byte[] ImportPrefix = "{\"Findings\":["u8.ToArray();
    private static readonly byte[] ImportSuffix = "]}"u8.ToArray();

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public SecurityHubClient(AWSCredentials? credentials, SecurityHubClientConfig config)
        : base(credentials, config, MaxResponseBytes)
    {
    }

    /// <inheritdoc />
    public async Task<SecurityHubImportResult> BatchImportFindingsAsync(IReadOnlyList<ReadOnlyMemory<byte>> findings, CancellationToken cancellationToken)
    {
        var body = ImportBody(findings);
        var operation = AwsActions.BatchImportFindings;
        var text = await CallAsync(operation, "POST", "/findings/import", body, cancellationToken).ConfigureAwait(false);
        try
        {
            var answer = JsonSerializer.Deserialize(text, SecurityHubJsonContext.Default.BatchImportFindingsResult) ?? throw new JsonException("The response body is null.");
            var failed = (answer.FailedFindings ?? []).Select(f => new SecurityHubFailedFinding(
                f?.Id ?? throw new JsonException("A failed finding has no Id."),
                string.IsNullOrEmpty(f.ErrorCode) ? "UnknownError" : f.ErrorCode,
                f.ErrorMessage ?? "")).ToList();
            var succeeded = answer.SuccessCount ?? throw new JsonException("SuccessCount is missing.");
            if (succeeded < 0 || succeeded + failed.Count != findings.Count)
            {
                throw new JsonException("SuccessCount and FailedFindings do not add up to the findings sent.");
            }
            return new SecurityHubImportResult(succeeded, failed);
        }
        catch (JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, null, e);
        }
    }

    /// <inheritdoc />
    public async Task<SecurityHubUpdateResult> BatchUpdateFindingsAsync(SecurityHubFindingsUpdate update, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(UpdateBody(update), SecurityHubJsonContext.Default.BatchUpdateFindingsBody);
        var operation = AwsActions.BatchUpdateFindings;
        var text = await CallAsync(operation, "PATCH", "/findings/batchupdate", body, cancellationToken).ConfigureAwait(false);
        try
        {
            var answer = JsonSerializer.Deserialize(text, SecurityHubJsonContext.Default.BatchUpdateFindingsResult) ?? throw new JsonException("The response body is null.");
            var processed = (answer.ProcessedFindings ?? []).Select(Identity).ToList();
            var unprocessed = (answer.UnprocessedFindings ?? []).Select(u => new SecurityHubFailedFinding(
                Identity(u?.FindingIdentifier).Id,
                string.IsNullOrEmpty(u!.ErrorCode) ? "UnknownError" : u.ErrorCode,
                u.ErrorMessage ?? "")).ToList();
            return new SecurityHubUpdateResult(processed, unprocessed);
        }
        catch (JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, null, e);
        }
    }

    /// <inheritdoc />
    public async Task<SecurityHubFindingsPage> GetFindingsAsync(SecurityHubFindingsQuery query, string? nextToken, CancellationToken cancellationToken)
    {
        var request = new GetFindingsBody(Filters(query), query.MaxResults, string.IsNullOrEmpty(nextToken) ? null : nextToken);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, SecurityHubJsonContext.Default.GetFindingsBody);
        var operation = AwsActions.GetFindings;
        var text = await CallAsync(operation, "POST", "/findings", body, cancellationToken).ConfigureAwait(false);
        try
        {
            var answer = JsonSerializer.Deserialize(text, SecurityHubJsonContext.Default.GetFindingsResult) ?? throw new JsonException("The response body is null.");
            // One finding another product wrote oddly (under the same default product) must not hide the rest: it is left out.
            var findings = (answer.Findings ?? throw new JsonException("Findings is missing.")).Select(TryRead).OfType<SecurityHubFinding>().ToList();
            return new SecurityHubFindingsPage(findings, string.IsNullOrEmpty(answer.NextToken) ? null : answer.NextToken);
        }
        catch (JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, null, e);
        }
    }

    /// <summary>
    /// The BatchImportFindings body, the findings' bytes written as they are. "BatchImportFindings" (API Reference):
    /// 1 to 100 findings; "BatchImportFindings for finding providers" (User Guide): up to 240 KB per finding and 6 MB per
    /// batch, which is measured here on the whole body sent.
    /// </summary>
    internal static byte[] ImportBody(IReadOnlyList<ReadOnlyMemory<byte>> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count is 0 or > SecurityHubLimits.MaxFindingsPerImport)
        {
            throw new ArgumentException($"BatchImportFindings takes 1 to {SecurityHubLimits.MaxFindingsPerImport} findings, not {findings.Count}.", nameof(findings));
        }
        long size = ImportPrefix.Length + ImportSuffix.Length + findings.Count - 1;
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            if (finding.Length > SecurityHubLimits.MaxFindingBytes)
            {
                throw new ArgumentException($"Finding {i} is {finding.Length} bytes; Security Hub takes at most {SecurityHubLimits.MaxFindingBytes}.", nameof(findings));
            }
            if (!IsJsonObject(finding.Span))
            {
                throw new ArgumentException($"Finding {i} is not one JSON object.", nameof(findings));
            }
            size += finding.Length;
        }
        if (size > SecurityHubLimits.MaxImportBytes)
        {
            throw new ArgumentException($"The BatchImportFindings request would be {size} bytes; Security Hub takes at most {SecurityHubLimits.MaxImportBytes}.", nameof(findings));
        }

        var body = new byte[size];
        var at = 0;
        ImportPrefix.CopyTo(body, at);
        at += ImportPrefix.Length;
        for (var i = 0; i < findings.Count; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }
            findings[i].Span.CopyTo(body.AsSpan(at));
            at += findings[i].Length;
        }
        ImportSuffix.CopyTo(body, at);
        return body;
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            reader.Skip();
            // Anything after the object's end (a second value) makes the reader throw.
            while (reader.Read())
            {
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The BatchUpdateFindings body: 1 to 100 distinct findings, a known workflow status and/or a note with its author.</summary>
    internal static BatchUpdateFindingsBody UpdateBody(SecurityHubFindingsUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(update.Findings);
        if (update.Findings.Count is 0 or > SecurityHubLimits.MaxFindingsPerUpdate)
        {
            throw new ArgumentException($"BatchUpdateFindings takes 1 to {SecurityHubLimits.MaxFindingsPerUpdate} findings, not {update.Findings.Count}.", nameof(update));
        }
        if (update.Findings.Any(f => f is null || string.IsNullOrWhiteSpace(f.Id) || string.IsNullOrWhiteSpace(f.ProductArn)))
        {
            throw new ArgumentException("Every finding to update needs its Id and ProductArn.", nameof(update));
        }
        if (update.WorkflowStatus is null && update.NoteText is null)
        {
            throw new ArgumentException("Give a workflow status, a note or both.", nameof(update));
        }
        if (update.WorkflowStatus is { } status && !WorkflowStatuses.Contains(status))
        {
            throw new ArgumentException($"The workflow status is NEW, NOTIFIED, SUPPRESSED or RESOLVED, not '{status}'.", nameof(update));
        }
        NoteUpdate? note = null;
        if (update.NoteText is { } text)
        {
            if (string.IsNullOrWhiteSpace(text) || text.Length > MaxNoteLength)
            {
                throw new ArgumentException($"A note is 1 to {MaxNoteLength} characters, not {text.Length}.", nameof(update));
            }
            if (string.IsNullOrWhiteSpace(update.NoteUpdatedBy))
            {
                throw new ArgumentException("A note needs who wrote it (NoteUpdatedBy).", nameof(update));
            }
            note = new NoteUpdate(text, update.NoteUpdatedBy);
        }
        return new BatchUpdateFindingsBody(
            [.. update.Findings.Select(f => new FindingIdentifier(f.Id, f.ProductArn))],
            update.WorkflowStatus is { } workflow ? new WorkflowUpdate(workflow) : null,
            note);
    }

    /// <summary>
    /// GetFindings' <c>Filters</c>: StringFilters by attribute (EQUALS, PREFIX; Security Hub ORs them within an attribute
    /// and ANDs the attributes) and <c>ProductFields</c> MapFilters (EQUALS), within the documented 10 attributes of 20
    /// values each; MaxResults 1 to 100.
    /// </summary>
    internal static Dictionary<string, IReadOnlyList<FindingFilter>> Filters(SecurityHubFindingsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.MaxResults, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.MaxResults, 100, nameof(query));
        var filters = new Dictionary<string, List<FindingFilter>>(StringComparer.Ordinal);
        void Add(string attribute, FindingFilter filter)
        {
            if (string.IsNullOrWhiteSpace(attribute) || string.IsNullOrWhiteSpace(filter.Value) || (filter.Key is not null && string.IsNullOrWhiteSpace(filter.Key)))
            {
                throw new ArgumentException("A filter needs an attribute, a value and, for ProductFields, a key.", nameof(query));
            }
            if (!filters.TryGetValue(attribute, out var list))
            {
                filters[attribute] = list = [];
            }
            list.Add(filter);
        }
        foreach (var (attribute, value) in query.Exact ?? [])
        {
            Add(StringAttribute(attribute), new FindingFilter(null, value, "EQUALS"));
        }
        foreach (var (attribute, value) in query.Prefixes ?? [])
        {
            Add(StringAttribute(attribute), new FindingFilter(null, value, "PREFIX"));
        }
        foreach (var (key, value) in query.ProductFields ?? [])
        {
            Add("ProductFields", new FindingFilter(key, value, "EQUALS"));
        }
        if (filters.Count > MaxFilterAttributes || filters.Values.Any(l => l.Count > MaxFilterValues))
        {
            throw new ArgumentException($"GetFindings filters by at most {MaxFilterAttributes} attributes of {MaxFilterValues} values each.", nameof(query));
        }
        return filters.ToDictionary(f => f.Key, f => (IReadOnlyList<FindingFilter>)f.Value, StringComparer.Ordinal);
    }

    private static string StringAttribute(string attribute) =>
        attribute == "ProductFields" ? throw new ArgumentException("ProductFields is a map filter: use SecurityHubFindingsQuery.ProductFields.") : attribute;

    private static SecurityHubFindingId Identity(FindingIdentifier? identifier) =>
        identifier is { Id: { Length: > 0 } id, ProductArn: { Length: > 0 } productArn }
            ? new SecurityHubFindingId(id, productArn)
            : throw new JsonException("A finding identifier lacks its Id or ProductArn.");

    private static SecurityHubFinding? TryRead(WireFinding? finding)
    {
        try
        {
            return Read(finding);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SecurityHubFinding Read(WireFinding? finding)
    {
        if (finding is not { Id: { Length: > 0 } id, ProductArn: { Length: > 0 } productArn })
        {
            throw new JsonException("A finding lacks its Id or ProductArn.");
        }
        return new SecurityHubFinding(
            id,
            productArn,
            finding.GeneratorId ?? throw new JsonException("A finding lacks its GeneratorId."),
            finding.AwsAccountId ?? throw new JsonException("A finding lacks its AwsAccountId."),
            finding.RecordState ?? "ACTIVE",
            finding.Compliance?.Status,
            finding.Workflow?.Status,
            Time(finding.CreatedAt, "CreatedAt"),
            Time(finding.UpdatedAt, "UpdatedAt"),
            [.. (finding.Resources ?? []).Select(r => r?.Id ?? throw new JsonException("A resource lacks its Id."))],
            finding.ProductFields ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            SeverityLabel = finding.FindingProviderFields?.Severity?.Label ?? finding.Severity?.Label,
            Description = finding.Description,
        };
    }

    /// <summary>An ASFF timestamp (ISO 8601 with <c>Z</c> or an offset, "Timestamps", Security Hub API Reference).</summary>
    private static DateTimeOffset Time(string? text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new JsonException($"A finding's {name} is missing or not a timestamp.");
}
