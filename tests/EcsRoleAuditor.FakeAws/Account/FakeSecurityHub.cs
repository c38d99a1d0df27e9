using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.FakeAws.Services;

namespace EcsRoleAuditor.FakeAws;

/// <summary>A finding Security Hub holds: where, its identity, and its JSON as GetFindings returns it.</summary>
/// <param name="AccountId">The account whose Security Hub holds it.</param>
/// <param name="Region">The region.</param>
/// <param name="ProductArn">Its ProductArn.</param>
/// <param name="Id">Its Id.</param>
/// <param name="Json">The stored finding (what was imported, with the fields Security Hub adds).</param>
public sealed record FakeSecurityHubFinding(string AccountId, string Region, string ProductArn, string Id, string Json)
{
    /// <summary>The finding as a JSON tree (a copy).</summary>
    public JsonObject Node => JsonNode.Parse(Json)!.AsObject();
}

/// <summary>A BatchUpdateFindings change of one finding: who made it and what it set.</summary>
/// <param name="CallerArn">The identity that called BatchUpdateFindings.</param>
/// <param name="AccountId">The account of the finding.</param>
/// <param name="Region">The region.</param>
/// <param name="ProductArn">The finding's ProductArn.</param>
/// <param name="Id">The finding's Id.</param>
/// <param name="WorkflowStatus">The workflow status set, or null.</param>
/// <param name="NoteText">The note set, or null.</param>
/// <param name="NoteUpdatedBy">The note's author as the request named it, or null.</param>
/// <param name="Time">When.</param>
public sealed record FakeSecurityHubUpdate(
    string CallerArn, string AccountId, string Region, string ProductArn, string Id, string? WorkflowStatus, string? NoteText, string? NoteUpdatedBy, DateTimeOffset Time);

/// <summary>
/// The fake's Security Hub: findings per account and region (each account's default product), kept in import order.
/// Security Hub is enabled in every account and region unless <see cref="Disable"/> says otherwise. Thread-safe.
/// </summary>
public sealed class FakeSecurityHub
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Account, string Region), Hub> _hubs = [];
    private readonly HashSet<(string Account, string Region)> _disabled = [];
    private readonly List<FakeSecurityHubUpdate> _updates = [];

    /// <summary>The findings held for <paramref name="accountId"/> in <paramref name="region"/>, in import order.</summary>
    public IReadOnlyList<FakeSecurityHubFinding> Findings(string accountId, string region)
    {
        lock (_lock)
        {
            return _hubs.TryGetValue((accountId, region), out var hub)
                ? [.. hub.Order.Select(key => new FakeSecurityHubFinding(accountId, region, key.ProductArn, key.Id, hub.Findings[key].Finding.ToJsonString()))]
                : [];
        }
    }

    /// <summary>Every BatchUpdateFindings change made, in order.</summary>
    public IReadOnlyList<FakeSecurityHubUpdate> Updates
    {
        get
        {
            lock (_lock)
            {
                return [.. _updates];
            }
        }
    }

    /// <summary>Stores <paramref name="findingJson"/> as it is (no checks but Id and ProductArn), replacing one with the same identity.</summary>
    public void Seed(string accountId, string region, string findingJson)
    {
        var finding = JsonNode.Parse(findingJson)?.AsObject() ?? throw new ArgumentException("not a JSON object", nameof(findingJson));
        var key = (Asff.Text(finding, "ProductArn") ?? throw new ArgumentException("no ProductArn", nameof(findingJson)),
            Asff.Text(finding, "Id") ?? throw new ArgumentException("no Id", nameof(findingJson)));
        lock (_lock)
        {
            HubOf(accountId, region).Put(key, new Stored(finding));
        }
    }

    /// <summary>Turns Security Hub off for the account and region: calls fail with InvalidAccessException, imports with InvalidAccess.</summary>
    public void Disable(string accountId, string region)
    {
        lock (_lock)
        {
            _disabled.Add((accountId, region));
        }
    }

    /// <summary>Forgets every finding and update and enables Security Hub everywhere again.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _hubs.Clear();
            _disabled.Clear();
            _updates.Clear();
        }
    }

    internal bool IsEnabled(string accountId, string region)
    {
        lock (_lock)
        {
            return !_disabled.Contains((accountId, region));
        }
    }

    /// <summary>
    /// Imports one valid finding ("BatchImportFindings for finding providers", Security Hub User Guide, "Determining
    /// whether to create or update a finding"): a new Id creates it; an existing one is updated only when UpdatedAt is
    /// later than the stored one's, otherwise the import is ignored (and still counted as a success: the guide calls it
    /// ignored, not failed). Returns true when something was stored.
    /// </summary>
    internal bool Import(string accountId, string region, JsonObject incoming, DateTimeOffset now)
    {
        var key = (Asff.Text(incoming, "ProductArn")!, Asff.Text(incoming, "Id")!);
        lock (_lock)
        {
            var hub = HubOf(accountId, region);
            if (!hub.Findings.TryGetValue(key, out var existing))
            {
                hub.Put(key, new Stored(Create(incoming, region, now)));
                return true;
            }
            if (Asff.Time(Asff.Text(incoming, "UpdatedAt")) <= Asff.Time(Asff.Text(existing.Finding, "UpdatedAt")))
            {
                return false;
            }
            hub.Put(key, new Stored(Update(existing.Finding, incoming, now)));
            return true;
        }
    }

    /// <summary>Whether a finding with this identity exists (a new one must carry Types and Severity).</summary>
    internal bool Exists(string accountId, string region, string productArn, string id)
    {
        lock (_lock)
        {
            return _hubs.TryGetValue((accountId, region), out var hub) && hub.Findings.ContainsKey((productArn, id));
        }
    }

    /// <summary>
    /// BatchUpdateFindings of one finding: sets Workflow.Status and/or Note (with UpdatedAt now), leaves UpdatedAt alone
    /// ("BatchUpdateFindings", API Reference: "your updates don't affect the value for the UpdatedAt field"). False when
    /// the finding does not exist in the caller's account and region.
    /// </summary>
    internal bool Update(string callerArn, string accountId, string region, string productArn, string id, string? status, string? noteText, string? noteBy, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_hubs.TryGetValue((accountId, region), out var hub) || !hub.Findings.TryGetValue((productArn, id), out var stored))
            {
                return false;
            }
            var finding = stored.Finding;
            if (status is not null)
            {
                finding["Workflow"] = new JsonObject { ["Status"] = status };
                finding["WorkflowState"] = WorkflowState(status);
            }
            if (noteText is not null)
            {
                finding["Note"] = new JsonObject { ["Text"] = noteText, ["UpdatedBy"] = noteBy, ["UpdatedAt"] = Timestamp(now) };
            }
            _updates.Add(new FakeSecurityHubUpdate(callerArn, accountId, region, productArn, id, status, noteText, noteBy, now));
            return true;
        }
    }

    /// <summary>Copies of the findings of the account and region, in import order.</summary>
    internal IReadOnlyList<JsonObject> Snapshot(string accountId, string region)
    {
        lock (_lock)
        {
            return _hubs.TryGetValue((accountId, region), out var hub)
                ? [.. hub.Order.Select(key => hub.Findings[key].Finding.DeepClone().AsObject())]
                : [];
        }
    }

    private Hub HubOf(string accountId, string region)
    {
        if (!_hubs.TryGetValue((accountId, region), out var hub))
        {
            _hubs[(accountId, region)] = hub = new Hub();
        }
        return hub;
    }

    /// <summary>
    /// A new finding as Security Hub stores it: FindingProviderFields filled from the top level where the import left
    /// them out, and the top level from FindingProviderFields where both came ("Using FindingProviderFields", User
    /// Guide); the Severity label or normalized score derived from the other ("Severity", API Reference); the fields
    /// Security Hub sets itself (Region, ProductName, CompanyName, ProcessedAt, RecordState, Workflow).
    /// </summary>
    private static JsonObject Create(JsonObject incoming, string region, DateTimeOffset now)
    {
        var finding = incoming.DeepClone().AsObject();
        var provider = finding["FindingProviderFields"] as JsonObject ?? [];
        foreach (var name in ProviderFields)
        {
            if (provider[name] is { } value)
            {
                finding[name] = value.DeepClone();
            }
            else if (finding[name] is { } top)
            {
                provider[name] = top.DeepClone();
            }
        }
        finding["FindingProviderFields"] = provider;
        if (finding["Severity"] is JsonObject severity)
        {
            CompleteSeverity(severity);
        }
        finding["Region"] = region;
        finding["ProductName"] = "Default";
        finding["CompanyName"] = "Personal";
        finding["ProcessedAt"] = Timestamp(now);
        finding["RecordState"] ??= "ACTIVE";
        if (finding["Workflow"] is not JsonObject)
        {
            finding["Workflow"] = new JsonObject { ["Status"] = "NEW" };
        }
        finding["WorkflowState"] = WorkflowState(Asff.Text(finding["Workflow"], "Status") ?? "NEW");
        return finding;
    }

    /// <summary>
    /// An existing finding updated by an import ("BatchImportFindings for finding providers", User Guide): the import's
    /// Note, UserDefinedFields, VerificationState and Workflow are ignored and the stored ones kept; FindingProviderFields
    /// take the provider's value (from FindingProviderFields, else from the top level), and the top level takes the import's
    /// top-level value, else its FindingProviderFields value, else keeps the stored one (the fake has no BatchUpdateFindings
    /// of these fields, so nothing a customer set is there to protect). The workflow goes back to NEW from NOTIFIED or RESOLVED when
    /// RecordState turns ACTIVE from ARCHIVED or Compliance.Status leaves PASSED ("Workflow", API Reference).
    /// </summary>
    private static JsonObject Update(JsonObject stored, JsonObject incoming, DateTimeOffset now)
    {
        var finding = incoming.DeepClone().AsObject();
        foreach (var kept in CustomerFields)
        {
            finding.Remove(kept);
            if (stored[kept] is { } value)
            {
                finding[kept] = value.DeepClone();
            }
        }
        var provider = stored["FindingProviderFields"]?.DeepClone() as JsonObject ?? [];
        var incomingProvider = incoming["FindingProviderFields"] as JsonObject;
        foreach (var name in ProviderFields)
        {
            if (incomingProvider?[name] is { } fromProvider)
            {
                provider[name] = fromProvider.DeepClone();
            }
            else if (incoming[name] is { } fromTop)
            {
                provider[name] = fromTop.DeepClone();
            }
            finding[name] = (incoming[name] ?? incomingProvider?[name] ?? stored[name])?.DeepClone();
            if (finding[name] is null)
            {
                finding.Remove(name);
            }
        }
        finding["FindingProviderFields"] = provider;
        if (finding["Severity"] is JsonObject severity)
        {
            CompleteSeverity(severity);
        }
        foreach (var set in SecurityHubFields)
        {
            finding[set] = stored[set]?.DeepClone();
        }
        finding["ProcessedAt"] = Timestamp(now);
        finding["RecordState"] ??= stored["RecordState"]?.DeepClone() ?? "ACTIVE";
        var status = Asff.Text(finding["Workflow"], "Status");
        var reopened = (Asff.Text(stored, "RecordState") == "ARCHIVED" && Asff.Text(finding, "RecordState") == "ACTIVE")
            || (Asff.Text(stored["Compliance"], "Status") == "PASSED" && Asff.Text(finding["Compliance"], "Status") is "WARNING" or "FAILED" or "NOT_AVAILABLE");
        if (reopened && status is "NOTIFIED" or "RESOLVED")
        {
            finding["Workflow"] = new JsonObject { ["Status"] = "NEW" };
            finding["WorkflowState"] = "NEW";
        }
        return finding;
    }

    private static void CompleteSeverity(JsonObject severity)
    {
        var label = Asff.Text(severity, "Label");
        if (label is null && severity["Normalized"] is JsonValue n && n.TryGetValue<int>(out var score))
        {
            severity["Label"] = score switch { 0 => "INFORMATIONAL", < 40 => "LOW", < 70 => "MEDIUM", < 90 => "HIGH", _ => "CRITICAL" };
        }
        else if (label is not null && severity["Normalized"] is null)
        {
            severity["Normalized"] = label switch { "LOW" => 1, "MEDIUM" => 40, "HIGH" => 70, "CRITICAL" => 90, _ => 0 };
        }
    }

    private static string WorkflowState(string status) => status switch { "SUPPRESSED" => "SUPPRESSED", "RESOLVED" => "RESOLVED", "NOTIFIED" => "ASSIGNED", _ => "NEW" };

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // "FindingProviderFields" (API Reference): the fields a provider sets through it.
    private static readonly string[] ProviderFields = ["Confidence", "Criticality", "RelatedFindings", "Severity", "Types"];

    // "Restricted attributes for BatchImportFindings" (User Guide): only BatchUpdateFindings changes them on an existing finding.
    private static readonly string[] CustomerFields = ["Note", "UserDefinedFields", "VerificationState", "Workflow", "WorkflowState"];

    // Set by Security Hub when the finding was created; an import cannot change them ("AwsSecurityFinding": ProductName, CompanyName, Region).
    private static readonly string[] SecurityHubFields = ["Region", "ProductName", "CompanyName"];

    private sealed record Stored(JsonObject Finding);

    private sealed class Hub
    {
        public Dictionary<(string ProductArn, string Id), Stored> Findings { get; } = [];

        public List<(string ProductArn, string Id)> Order { get; } = [];

        public void Put((string ProductArn, string Id) key, Stored finding)
        {
            if (!Findings.ContainsKey(key))
            {
                Order.Add(key);
            }
            Findings[key] = finding;
        }
    }
}
