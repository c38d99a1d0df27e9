using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// The AWS Security Finding Format as BatchImportFindings checks it. Sources (AWS documentation, titles as published;
/// the API model is botocore's <c>securityhub/2018-10-26/service-2.json</c>):
/// <list type="bullet">
/// <item>"Required top-level ASFF attributes" (Security Hub User Guide): AwsAccountId, CreatedAt, Description,
/// GeneratorId, Id, ProductArn, Resources, SchemaVersion (<c>2018-10-08</c>), Severity (<c>Label</c> or
/// <c>Normalized</c>), Title, Types, UpdatedAt.</item>
/// <item>"AwsSecurityFinding" (API Reference): Id and GeneratorId 1 to 512 characters, Title 1 to 256, Description 1 to
/// 1024, AwsAccountId 12, Resources 1 to 32, Types at most 50, ProductFields at most 50 pairs (key 128, value 2048
/// characters), UserDefinedFields at most 50 pairs (key 128, value 1024); the timestamp formats.</item>
/// <item>"Resource", "Recommendation", "Note", "Severity", "Workflow", "Compliance" (API Reference): Resource Type and
/// Id required, Type 1 to 256; Recommendation Text and Note Text 1 to 512; Severity Normalized 0 to 100; the enums.</item>
/// <item>"FindingProviderFields" (API Reference): Types and Severity may come there instead of at the top level.</item>
/// <item>"AWS Security Finding Format (ASFF)" types taxonomy: the five namespaces of <c>namespace/category/classifier</c>.</item>
/// </list>
/// A finding that breaks them is returned in FailedFindings as <c>InvalidInput</c>; the messages are the fake's own.
/// </summary>
internal static partial class Asff
{
    public const string SchemaVersion = "2018-10-08";

    public const int MaxIdLength = 512;
    public const int MaxGeneratorIdLength = 512;
    public const int MaxTitleLength = 256;
    public const int MaxDescriptionLength = 1024;
    public const int MaxRecommendationTextLength = 512;
    public const int MaxNoteTextLength = 512;
    public const int MaxResources = 32;
    public const int MaxResourceTypeLength = 256;
    public const int MaxTypes = 50;
    public const int MaxProductFields = 50;
    public const int MaxFieldKeyLength = 128;
    public const int MaxProductFieldValueLength = 2048;
    public const int MaxUserDefinedFieldValueLength = 1024;

    public static readonly IReadOnlySet<string> SeverityLabels = new HashSet<string>(StringComparer.Ordinal) { "INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL" };

    public static readonly IReadOnlySet<string> WorkflowStatuses = new HashSet<string>(StringComparer.Ordinal) { "NEW", "NOTIFIED", "SUPPRESSED", "RESOLVED" };

    public static readonly IReadOnlySet<string> RecordStates = new HashSet<string>(StringComparer.Ordinal) { "ACTIVE", "ARCHIVED" };

    public static readonly IReadOnlySet<string> ComplianceStatuses = new HashSet<string>(StringComparer.Ordinal) { "PASSED", "WARNING", "FAILED", "NOT_AVAILABLE" };

    public static readonly IReadOnlySet<string> TypeNamespaces = new HashSet<string>(StringComparer.Ordinal)
    {
        "Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors", "Sensitive Data Identifications",
    };

    /// <summary>
    /// The problem with <paramref name="finding"/>, or null when it is valid ASFF. Types and Severity are required only
    /// when the import creates the finding (<paramref name="creates"/>): an update may leave them as stored.
    /// </summary>
    public static string? Problem(JsonObject finding, bool creates)
    {
        if (Text(finding, "SchemaVersion") != SchemaVersion)
        {
            return $"SchemaVersion must be {SchemaVersion}";
        }
        return Required(finding, "Id", MaxIdLength)
            ?? Required(finding, "GeneratorId", MaxGeneratorIdLength)
            ?? Required(finding, "ProductArn", int.MaxValue)
            ?? (Text(finding, "AwsAccountId") is { Length: 12 } ? null : "AwsAccountId must be 12 characters")
            ?? Timestamp(finding, "CreatedAt")
            ?? Timestamp(finding, "UpdatedAt")
            ?? Required(finding, "Title", MaxTitleLength)
            ?? Required(finding, "Description", MaxDescriptionLength)
            ?? ResourcesProblem(finding)
            ?? TypesProblem(finding, creates)
            ?? SeverityProblem(finding, creates)
            ?? FieldMapProblem(finding, "ProductFields", MaxProductFieldValueLength)
            ?? FieldMapProblem(finding, "UserDefinedFields", MaxUserDefinedFieldValueLength)
            ?? Optional(finding["Remediation"]?["Recommendation"], "Text", "Remediation.Recommendation.Text", MaxRecommendationTextLength)
            ?? Optional(finding["Note"], "Text", "Note.Text", MaxNoteTextLength)
            ?? Enum(finding["Workflow"], "Status", "Workflow.Status", WorkflowStatuses)
            ?? Enum(finding["Compliance"], "Status", "Compliance.Status", ComplianceStatuses)
            ?? Enum(finding, "RecordState", "RecordState", RecordStates);
    }

    /// <summary>A valid ASFF timestamp ("Timestamps", Security Hub API Reference), in UTC, or null.</summary>
    public static DateTimeOffset? Time(string? text)
    {
        var match = text is null ? null : TimestampPattern().Match(text);
        if (match is not { Success: true })
        {
            return null;
        }
        // .NET reads at most 7 fractional digits and offsets of at most 14 hours; AWS allows 9 digits and 18 hours.
        var fraction = match.Groups["fraction"].Value is { Length: > 0 } digits ? digits.PadRight(7, '0')[..7] : "0000000";
        if (!DateTime.TryParseExact(match.Groups["local"].Value + "." + fraction, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var local))
        {
            return null;
        }
        var offset = TimeSpan.Zero;
        if (match.Groups["hours"].Success)
        {
            offset = new TimeSpan(int.Parse(match.Groups["hours"].Value, CultureInfo.InvariantCulture), match.Groups["minutes"].Success ? int.Parse(match.Groups["minutes"].Value, CultureInfo.InvariantCulture) : 0, 0);
            if (offset > TimeSpan.FromHours(18))
            {
                return null;
            }
            offset = match.Groups["sign"].Value == "-" ? -offset : offset;
        }
        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }

    /// <summary>The text of a string member, or null when absent or not a string.</summary>
    public static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string? Required(JsonObject finding, string name, int maxLength) =>
        Text(finding, name) is not { } value || string.IsNullOrWhiteSpace(value) ? $"{name} is required"
        : value.Length > maxLength ? $"{name} should NOT be longer than {maxLength} characters"
        : null;

    private static string? Optional(JsonNode? parent, string name, string path, int maxLength)
    {
        if (parent is not JsonObject o || !o.ContainsKey(name))
        {
            return null;
        }
        return Text(o, name) is not { } value || string.IsNullOrWhiteSpace(value) ? $"{path} must be a non-empty string"
            : value.Length > maxLength ? $"{path} should NOT be longer than {maxLength} characters"
            : null;
    }

    private static string? Enum(JsonNode? parent, string name, string path, IReadOnlySet<string> values) =>
        parent is JsonObject o && o.ContainsKey(name) && (Text(o, name) is not { } value || !values.Contains(value))
            ? $"{path} must be one of {string.Join(", ", values)}"
            : null;

    private static string? Timestamp(JsonObject finding, string name) =>
        Time(Text(finding, name)) is null ? $"{name} must be a timestamp such as 2019-01-31T23:00:00Z" : null;

    private static string? ResourcesProblem(JsonObject finding)
    {
        if (finding["Resources"] is not JsonArray resources || resources.Count == 0)
        {
            return "Resources must hold at least 1 resource";
        }
        if (resources.Count > MaxResources)
        {
            return $"Resources should NOT have more than {MaxResources} items";
        }
        foreach (var resource in resources)
        {
            if (resource is not JsonObject)
            {
                return "each resource must be an object";
            }
            if (Text(resource, "Type") is not { } type || string.IsNullOrWhiteSpace(type) || type.Length > MaxResourceTypeLength)
            {
                return $"each resource needs a Type of 1 to {MaxResourceTypeLength} characters";
            }
            if (Text(resource, "Id") is not { } id || string.IsNullOrWhiteSpace(id))
            {
                return "each resource needs an Id";
            }
        }
        return null;
    }

    private static string? TypesProblem(JsonObject finding, bool creates)
    {
        var top = finding["Types"];
        var provider = finding["FindingProviderFields"]?["Types"];
        if (creates && top is null && provider is null)
        {
            return "Types (or FindingProviderFields.Types) is required";
        }
        return TypeList(top, "Types") ?? TypeList(provider, "FindingProviderFields.Types");
    }

    private static string? TypeList(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonArray types || types.Count == 0)
        {
            return $"{path} should NOT have fewer than 1 items";
        }
        if (types.Count > MaxTypes)
        {
            return $"{path} should NOT have more than {MaxTypes} items";
        }
        foreach (var type in types)
        {
            var text = type is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            var parts = text?.Split('/');
            if (parts is null || parts.Length > 3 || !TypeNamespaces.Contains(parts[0]) || parts.Any(string.IsNullOrWhiteSpace))
            {
                return $"{path} entries must be namespace/category/classifier with a namespace of {string.Join(", ", TypeNamespaces)}";
            }
        }
        return null;
    }

    private static string? SeverityProblem(JsonObject finding, bool creates)
    {
        var top = finding["Severity"];
        var provider = finding["FindingProviderFields"]?["Severity"];
        if (top is not null)
        {
            if (top is not JsonObject severity)
            {
                return "Severity must be an object";
            }
            var label = Text(severity, "Label");
            if (label is not null && !SeverityLabels.Contains(label))
            {
                return $"Severity.Label must be one of {string.Join(", ", SeverityLabels)}";
            }
            var normalized = severity["Normalized"];
            if (normalized is not null && (normalized is not JsonValue n || !n.TryGetValue<int>(out var value) || value is < 0 or > 100))
            {
                return "Severity.Normalized must be an integer from 0 to 100";
            }
            if (label is null && normalized is null && provider is null)
            {
                return "Severity needs Label or Normalized";
            }
        }
        if (provider is not null)
        {
            var label = Text(provider, "Label");
            if (label is null || !SeverityLabels.Contains(label))
            {
                return $"FindingProviderFields.Severity.Label must be one of {string.Join(", ", SeverityLabels)}";
            }
        }
        return creates && top is null && provider is null ? "Severity (or FindingProviderFields.Severity) is required" : null;
    }

    private static string? FieldMapProblem(JsonObject finding, string name, int maxValueLength)
    {
        if (finding[name] is null)
        {
            return null;
        }
        if (finding[name] is not JsonObject map)
        {
            return $"{name} must be a map of strings";
        }
        if (map.Count > MaxProductFields)
        {
            return $"{name} should NOT have more than {MaxProductFields} pairs";
        }
        foreach (var (key, value) in map)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxFieldKeyLength)
            {
                return $"{name} keys are 1 to {MaxFieldKeyLength} characters";
            }
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetValue<string>()))
            {
                return $"{name}.{key} must be a non-empty string";
            }
            if (v.GetValue<string>().Length > maxValueLength)
            {
                return $"{name}.{key} should NOT be longer than {maxValueLength} characters";
            }
        }
        return null;
    }

    // YYYY-MM-DDTHH:MM:SS, up to 9 fractional digits, then Z or +/-HH[:MM] or +/-HHMM.
    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.(?<fraction>\d{1,9}))?(Z|(?<sign>[+-])(?<hours>\d{2})(:?(?<minutes>\d{2}))?)$")]
    private static partial Regex TimestampPattern();
}
