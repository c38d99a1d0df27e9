using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// AWS Security Hub (restJson1, 2018-10-26; botocore's <c>securityhub/2018-10-26/service-2.json</c>): BatchImportFindings
/// (<c>POST /findings/import</c>), BatchUpdateFindings (<c>PATCH /findings/batchupdate</c>) and GetFindings
/// (<c>POST /findings</c>) on the caller's account and the signing region, each account importing into its default
/// product. Errors are <c>{"Code","Message"}</c> with <c>x-amzn-ErrorType</c>; the statuses are the model's
/// (InvalidInputException 400, InvalidAccessException 401, AccessDeniedException 403, LimitExceededException 429,
/// InternalException 500).
/// </summary>
internal sealed class SecurityHubHandler : ServiceHandler
{
    /// <summary>Findings in one BatchImportFindings or BatchUpdateFindings call.</summary>
    public const int MaxFindingsPerCall = 100;

    /// <summary>One finding's size: 240 KB ("BatchImportFindings for finding providers", User Guide).</summary>
    public const int MaxFindingBytes = 240 * 1024;

    /// <summary>One BatchImportFindings request's size: 6 MB (same page).</summary>
    public const int MaxImportBytes = 6 * 1024 * 1024;

    private const int MaxFilterAttributes = 10;
    private const int MaxFilterValues = 20;

    // The model's LimitExceededException (429) is Security Hub's throttling: "beyond the current account or throttling limits".
    private static readonly ServiceErrors SecurityHubErrors = new("securityhub", "LimitExceededException", "InternalException", "AccessDeniedException", 403, "InvalidInputException", ThrottlingStatus: 429);

    private static readonly Dictionary<(string Method, string Path), string> Routes = new()
    {
        [("POST", "/findings/import")] = "BatchImportFindings",
        [("PATCH", "/findings/batchupdate")] = "BatchUpdateFindings",
        [("POST", "/findings")] = "GetFindings",
    };

    private static readonly Dictionary<string, Func<JsonObject, IEnumerable<string>>> StringAttributes = new(StringComparer.Ordinal)
    {
        ["ProductArn"] = f => One(f, "ProductArn"),
        ["AwsAccountId"] = f => One(f, "AwsAccountId"),
        ["Id"] = f => One(f, "Id"),
        ["GeneratorId"] = f => One(f, "GeneratorId"),
        ["Region"] = f => One(f, "Region"),
        ["Title"] = f => One(f, "Title"),
        ["Description"] = f => One(f, "Description"),
        ["ProductName"] = f => One(f, "ProductName"),
        ["CompanyName"] = f => One(f, "CompanyName"),
        ["RecordState"] = f => One(f, "RecordState"),
        ["ComplianceStatus"] = f => One(f["Compliance"], "Status"),
        ["WorkflowStatus"] = f => One(f["Workflow"], "Status"),
        ["SeverityLabel"] = f => One(f["Severity"], "Label"),
        ["NoteText"] = f => One(f["Note"], "Text"),
        ["Type"] = f => (f["Types"] as JsonArray ?? []).Select(t => t?.GetValue<string>()).OfType<string>(),
        ["ResourceId"] = f => (f["Resources"] as JsonArray ?? []).SelectMany(r => One(r, "Id")),
        ["ResourceType"] = f => (f["Resources"] as JsonArray ?? []).SelectMany(r => One(r, "Type")),
    };

    private static readonly Dictionary<string, Func<JsonObject, IEnumerable<JsonObject>>> MapAttributes = new(StringComparer.Ordinal)
    {
        ["ProductFields"] = f => f["ProductFields"] is JsonObject map ? [map] : [],
        ["UserDefinedFields"] = f => f["UserDefinedFields"] is JsonObject map ? [map] : [],
        ["ResourceTags"] = f => (f["Resources"] as JsonArray ?? []).Select(r => r?["Tags"]).OfType<JsonObject>(),
    };

    private readonly AccountIndex _accounts;
    private readonly FakeSecurityHub _hub;
    private readonly Func<int?> _pageCap;

    public SecurityHubHandler(AccountIndex accounts, FakeSecurityHub hub, Func<int?> pageCap)
    {
        _accounts = accounts;
        _hub = hub;
        _pageCap = pageCap;
    }

    public override string SigningName => "securityhub";

    public override WireProtocol Protocol => WireProtocol.RestJson;

    public override string ContentType => "application/json";

    public override ServiceErrors Errors => SecurityHubErrors;

    /// <summary>The operation a request line names, or null when it names none of ours.</summary>
    public static string? OperationOf(string method, string path) =>
        Serves(path) ? Routes.GetValueOrDefault((method.ToUpperInvariant(), path[path.IndexOf("/findings", StringComparison.Ordinal)..].TrimEnd('/'))) : null;

    /// <summary>
    /// True for the request paths Security Hub's operations live under: <c>/findings...</c>, also below a path prefix
    /// (an endpoint URL such as <c>http://127.0.0.1:port/c1/</c>, which tests use to give each client its own retry quota).
    /// </summary>
    public static bool Serves(string path) => path.Contains("/findings", StringComparison.Ordinal);

    public override bool Knows(string operation) => Routes.ContainsValue(operation);

    public override FaultTarget Target(AwsRequest request) => FaultTarget.Any;

    public override byte[] Answer(AwsRequest request, string requestId) => request.Operation switch
    {
        "BatchImportFindings" => BatchImportFindings(request),
        "BatchUpdateFindings" => BatchUpdateFindings(request),
        _ => GetFindings(request),
    };

    public override byte[] WriteError(AwsErrorException error, string requestId) => JsonWire.Write(w =>
    {
        w.WriteString("Code", error.Code);
        w.WriteString("Message", error.Message);
    });

    public override IEnumerable<KeyValuePair<string, string>> ErrorHeaders(AwsErrorException error) =>
        [new("x-amzn-ErrorType", $"{error.Code}:http://internal.amazon.com/coral/com.amazonaws.securityhub/")];

    /// <summary>The default product of an account ("Required top-level ASFF attributes", ProductArn: private products are <c>product/ACCOUNT/default</c>).</summary>
    public static string DefaultProductArn(string region, string accountId) => $"arn:{Partition(region)}:securityhub:{region}:{accountId}:product/{accountId}/default";

    private static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    private (string Account, string Region, string CallerArn) Where(AwsRequest request)
    {
        var caller = _accounts.CallerOf(request.Scope);
        return (caller.AccountId, request.Scope?.Region ?? _accounts.Region, caller.Arn);
    }

    private AwsErrorException NotSubscribed(string account) => new("InvalidAccessException", 401, $"Account {account} is not subscribed to AWS Security Hub");

    private AwsErrorException Invalid(string message) => Errors.Validation(message);

    /// <summary>
    /// "BatchImportFindings" (API Reference; model: 1 to 100 findings) and "BatchImportFindings for finding providers"
    /// (User Guide: 240 KB a finding, 6 MB a batch; the caller's account must be the finding's AwsAccountId; with
    /// Security Hub disabled the findings fail with InvalidAccess). A finding that breaks the format or the product's
    /// rules fails alone, in FailedFindings; the batch's own limits fail the call.
    /// </summary>
    private byte[] BatchImportFindings(AwsRequest request)
    {
        if (!request.Json.TryGetProperty("Findings", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("Findings is required.");
        }
        var count = list.GetArrayLength();
        if (count is 0 or > MaxFindingsPerCall)
        {
            throw Invalid($"1 validation error detected: Value at 'findings' failed to satisfy constraint: Member must have length between 1 and {MaxFindingsPerCall}");
        }
        if (Encoding.UTF8.GetByteCount(request.Json.GetRawText()) > MaxImportBytes)
        {
            throw Invalid($"The request exceeds the maximum size of {MaxImportBytes} bytes.");
        }
        var (account, region, _) = Where(request);
        var enabled = _hub.IsEnabled(account, region);
        var product = DefaultProductArn(region, account);
        var now = DateTimeOffset.UtcNow;
        var failed = new List<(string Id, string Code, string Message)>();
        foreach (var element in list.EnumerateArray())
        {
            var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("Id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : "";
            if (!enabled)
            {
                failed.Add((id, "InvalidAccess", $"Account {account} is not subscribed to AWS Security Hub"));
                continue;
            }
            if (Encoding.UTF8.GetByteCount(element.GetRawText()) > MaxFindingBytes)
            {
                // Not documented for imports; BatchUpdateFindings names the same limit so ("BatchUpdateFindingsUnprocessedFinding").
                failed.Add((id, "FindingSizeExceeded", "Finding size exceeded 240 KB"));
                continue;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                failed.Add((id, "InvalidInput", "Finding does not adhere to Amazon Finding Format. The finding must be an object."));
                continue;
            }
            var finding = JsonNode.Parse(element.GetRawText())!.AsObject();
            var productArn = Asff.Text(finding, "ProductArn");
            var creates = productArn is null || !_hub.Exists(account, region, productArn, id);
            if (Asff.Problem(finding, creates) is { } problem)
            {
                failed.Add((id, "InvalidInput", $"Finding does not adhere to Amazon Finding Format. {problem}."));
                continue;
            }
            if (productArn != product)
            {
                failed.Add((id, "InvalidAccess", $"Account {account} may import only into its default product {product} in {region}, not {productArn}."));
                continue;
            }
            if (Asff.Text(finding, "AwsAccountId") != account)
            {
                failed.Add((id, "InvalidAccess", $"Account {account} may not import findings of account {Asff.Text(finding, "AwsAccountId")} into its default product."));
                continue;
            }
            _hub.Import(account, region, finding, now);
        }
        return JsonWire.Write(w =>
        {
            w.WriteNumber("FailedCount", failed.Count);
            w.WriteNumber("SuccessCount", count - failed.Count);
            w.WriteStartArray("FailedFindings");
            foreach (var (id, code, message) in failed)
            {
                w.WriteStartObject();
                w.WriteString("Id", id);
                w.WriteString("ErrorCode", code);
                w.WriteString("ErrorMessage", message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// "BatchUpdateFindings" (API Reference): up to 100 findings of the caller's account; Workflow.Status and Note (Text
    /// 1 to 512 characters and UpdatedBy, "NoteUpdate"); unknown and repeated identifiers come back unprocessed with
    /// <c>FindingNotFound</c> and <c>DuplicatedFindingIdentifier</c> ("BatchUpdateFindingsUnprocessedFinding").
    /// The fake changes nothing else: other fields are refused rather than ignored.
    /// </summary>
    private byte[] BatchUpdateFindings(AwsRequest request)
    {
        var body = request.Json;
        if (!body.TryGetProperty("FindingIdentifiers", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxFindingsPerCall)
        {
            throw Invalid($"FindingIdentifiers must hold 1 to {MaxFindingsPerCall} findings.");
        }
        foreach (var member in body.EnumerateObject())
        {
            if (member.Name is not ("FindingIdentifiers" or "Workflow" or "Note"))
            {
                throw Invalid($"The fake's BatchUpdateFindings sets Workflow and Note only, not {member.Name}.");
            }
        }
        string? status = null;
        if (body.TryGetProperty("Workflow", out var workflow))
        {
            status = workflow.ValueKind == JsonValueKind.Object && workflow.TryGetProperty("Status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (status is null || !Asff.WorkflowStatuses.Contains(status))
            {
                throw Invalid($"Workflow.Status must be one of {string.Join(", ", Asff.WorkflowStatuses)}.");
            }
        }
        string? noteText = null, noteBy = null;
        if (body.TryGetProperty("Note", out var note))
        {
            noteText = note.ValueKind == JsonValueKind.Object && note.TryGetProperty("Text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            noteBy = note.ValueKind == JsonValueKind.Object && note.TryGetProperty("UpdatedBy", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            if (string.IsNullOrWhiteSpace(noteText) || noteText.Length > Asff.MaxNoteTextLength || string.IsNullOrWhiteSpace(noteBy))
            {
                throw Invalid($"Note needs Text of 1 to {Asff.MaxNoteTextLength} characters and UpdatedBy.");
            }
        }
        if (status is null && noteText is null)
        {
            throw Invalid("Nothing to update: give Workflow or Note.");
        }
        var (account, region, callerArn) = Where(request);
        if (!_hub.IsEnabled(account, region))
        {
            throw NotSubscribed(account);
        }
        var identifiers = list.EnumerateArray().Select(e => (
            Id: e.ValueKind == JsonValueKind.Object && e.TryGetProperty("Id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() ?? "" : "",
            ProductArn: e.ValueKind == JsonValueKind.Object && e.TryGetProperty("ProductArn", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() ?? "" : "")).ToList();
        if (identifiers.Any(i => string.IsNullOrWhiteSpace(i.Id) || string.IsNullOrWhiteSpace(i.ProductArn)))
        {
            throw Invalid("Each finding identifier needs Id and ProductArn.");
        }
        var repeated = identifiers.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var now = DateTimeOffset.UtcNow;
        var processed = new List<(string Id, string ProductArn)>();
        var unprocessed = new List<((string Id, string ProductArn) Identifier, string Code, string Message)>();
        foreach (var identifier in identifiers)
        {
            if (repeated.Contains(identifier))
            {
                unprocessed.Add((identifier, "DuplicatedFindingIdentifier", "Finding Identifier is duplicated"));
            }
            else if (_hub.Update(callerArn, account, region, identifier.ProductArn, identifier.Id, status, noteText, noteBy, now))
            {
                processed.Add(identifier);
            }
            else
            {
                unprocessed.Add((identifier, "FindingNotFound", "Finding Not Found"));
            }
        }
        return JsonWire.Write(w =>
        {
            w.WriteStartArray("ProcessedFindings");
            foreach (var (id, productArn) in processed)
            {
                w.WriteStartObject();
                w.WriteString("Id", id);
                w.WriteString("ProductArn", productArn);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("UnprocessedFindings");
            foreach (var ((id, productArn), code, message) in unprocessed)
            {
                w.WriteStartObject();
                w.WriteStartObject("FindingIdentifier");
                w.WriteString("Id", id);
                w.WriteString("ProductArn", productArn);
                w.WriteEndObject();
                w.WriteString("ErrorCode", code);
                w.WriteString("ErrorMessage", message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// "GetFindings" (API Reference): the findings of the caller's account and region that every filtered attribute
    /// matches, up to 10 attributes of 20 values; MaxResults 1 to 100; NextToken. "StringFilter": EQUALS and PREFIX
    /// filters of one attribute are joined by OR, NOT_EQUALS and PREFIX_NOT_EQUALS by AND, EQUALS cannot be combined with
    /// the negative ones. "MapFilter" (ProductFields, UserDefinedFields, ResourceTags): EQUALS filters of one attribute
    /// are joined by OR, NOT_EQUALS by AND. The fake does not do CONTAINS, other attributes or SortCriteria: it refuses
    /// them rather than answer wrongly.
    /// </summary>
    private byte[] GetFindings(AwsRequest request)
    {
        var body = request.Json;
        if (body.TryGetProperty("SortCriteria", out var sort) && sort.ValueKind != JsonValueKind.Null)
        {
            throw Invalid("The fake's GetFindings does not sort: leave SortCriteria out.");
        }
        var size = Paging.Size(JsonInteger(body, "MaxResults", 1, 100), 100, _pageCap());
        var matchers = new List<Func<JsonObject, bool>>();
        if (body.TryGetProperty("Filters", out var filters) && filters.ValueKind == JsonValueKind.Object)
        {
            var attributes = filters.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.Array && a.Value.GetArrayLength() > 0).ToList();
            if (attributes.Count > MaxFilterAttributes || attributes.Any(a => a.Value.GetArrayLength() > MaxFilterValues))
            {
                throw Invalid($"Filters take up to {MaxFilterAttributes} attributes of up to {MaxFilterValues} values each.");
            }
            foreach (var attribute in attributes)
            {
                matchers.Add(Matcher(attribute.Name, attribute.Value));
            }
        }
        var (account, region, _) = Where(request);
        if (!_hub.IsEnabled(account, region))
        {
            throw NotSubscribed(account);
        }
        var selected = _hub.Snapshot(account, region).Where(f => matchers.All(m => m(f))).ToList();
        var (page, next) = Paging.Slice(selected, request.Optional("NextToken") is { Length: > 0 } token ? token : null, size, Errors);
        return JsonWire.Write(w =>
        {
            w.WriteStartArray("Findings");
            foreach (var finding in page)
            {
                finding.WriteTo(w);
            }
            w.WriteEndArray();
            if (next is not null)
            {
                w.WriteString("NextToken", next);
            }
        });
    }

    private Func<JsonObject, bool> Matcher(string attribute, JsonElement list)
    {
        var filters = list.EnumerateArray().Select(f => (
            Key: f.TryGetProperty("Key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null,
            Value: f.TryGetProperty("Value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null,
            Comparison: f.TryGetProperty("Comparison", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null)).ToList();
        if (filters.Any(f => string.IsNullOrEmpty(f.Value) || f.Comparison is null))
        {
            throw Invalid($"Each {attribute} filter needs a Value and a Comparison.");
        }
        if (MapAttributes.TryGetValue(attribute, out var maps))
        {
            if (filters.Any(f => string.IsNullOrEmpty(f.Key) || f.Comparison is not ("EQUALS" or "NOT_EQUALS")))
            {
                throw Invalid($"The fake's {attribute} filters take a Key and EQUALS or NOT_EQUALS.");
            }
            if (filters.Any(f => f.Comparison == "EQUALS") && filters.Any(f => f.Comparison == "NOT_EQUALS"))
            {
                throw Invalid($"{attribute} cannot have both EQUALS and NOT_EQUALS filters.");
            }
            var equal = filters.Where(f => f.Comparison == "EQUALS").ToList();
            var notEqual = filters.Where(f => f.Comparison == "NOT_EQUALS").ToList();
            bool Has(JsonObject finding, string key, string value) => maps(finding).Any(m => Asff.Text(m, key) == value);
            return finding => (equal.Count == 0 || equal.Any(f => Has(finding, f.Key!, f.Value!))) && notEqual.All(f => !Has(finding, f.Key!, f.Value!));
        }
        if (!StringAttributes.TryGetValue(attribute, out var values))
        {
            throw Invalid($"The fake's GetFindings does not filter by {attribute}.");
        }
        if (filters.Any(f => f.Comparison is not ("EQUALS" or "PREFIX" or "NOT_EQUALS" or "PREFIX_NOT_EQUALS")))
        {
            throw Invalid($"The fake's {attribute} filters take EQUALS, PREFIX, NOT_EQUALS or PREFIX_NOT_EQUALS.");
        }
        if (filters.Any(f => f.Comparison == "EQUALS") && filters.Any(f => f.Comparison is "NOT_EQUALS" or "PREFIX_NOT_EQUALS"))
        {
            throw Invalid($"{attribute} cannot have EQUALS with NOT_EQUALS or PREFIX_NOT_EQUALS filters.");
        }
        static bool Matches(string value, (string? Key, string? Value, string? Comparison) filter) => filter.Comparison switch
        {
            "EQUALS" or "NOT_EQUALS" => value == filter.Value,
            _ => value.StartsWith(filter.Value!, StringComparison.Ordinal),
        };
        var positive = filters.Where(f => f.Comparison is "EQUALS" or "PREFIX").ToList();
        var negative = filters.Where(f => f.Comparison is "NOT_EQUALS" or "PREFIX_NOT_EQUALS").ToList();
        return finding =>
        {
            var own = values(finding).ToList();
            return (positive.Count == 0 || positive.Any(f => own.Any(v => Matches(v, f)))) && negative.All(f => !own.Any(v => Matches(v, f)));
        };
    }

    private int? JsonInteger(JsonElement body, string name, int min, int max)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : throw Invalid($"{name} must be between {min} and {max}.");
    }

    private static IEnumerable<string> One(JsonNode? node, string name) => Asff.Text(node, name) is { } value ? [value] : [];
}
