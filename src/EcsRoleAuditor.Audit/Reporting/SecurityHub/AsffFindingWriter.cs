using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Reporting.SecurityHub;

/// <summary>
/// What a findings store remembers of a finding that an audit of its family no longer shows, for the import that
/// archives it in Security Hub. The sink fills it from the store's record (<c>EcsRoleAuditor.State.StoredFinding</c>,
/// which this assembly cannot see) and the audit that resolved it.
/// </summary>
/// <param name="Fingerprint">The finding's <see cref="FindingFingerprint"/>: its <c>Id</c>, as when it was imported open.</param>
/// <param name="TaskDefinitionArn">A task definition of the family in the finding's account and region, e.g. the revision whose audit resolved it.</param>
/// <param name="Family">The family.</param>
/// <param name="Rule">The rule (the store keeps its ID: <see cref="RuleCatalog.Find"/>).</param>
/// <param name="Severity">The severity it had.</param>
/// <param name="Slot">Which role.</param>
/// <param name="RoleArn">The role, when it names one.</param>
/// <param name="Message">The finding's sentence.</param>
/// <param name="Source">Where it sat, as reports write it.</param>
public sealed record AsffResolution(
    string Fingerprint, string TaskDefinitionArn, string Family, RuleDescriptor Rule, Severity Severity, RoleSlot Slot, string? RoleArn, string Message, string Source);

/// <summary>
/// Maps the auditor's findings to the AWS Security Finding Format (ASFF, schema 2018-10-08): one finding, one JSON
/// object, every text bounded to its ASFF limit and every value from input escaped, so a finding stays far below
/// Security Hub's 240 KB. Pure: the caller gives the times and sends the bytes. docs/security-hub.md maps every field.
/// </summary>
public static class AsffFindingWriter
{
    /// <summary>The ASFF schema version findings are written for.</summary>
    public const string SchemaVersion = "2018-10-08";

    /// <summary>The finding type of every finding, in <c>Types</c> and <c>FindingProviderFields.Types</c>.</summary>
    public const string FindingType = "Software and Configuration Checks/AWS Security Best Practices";

    // Security Hub's console is HTML and the CLI prints the lines: same relaxed escaping as the JSON report, no indentation.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Resource.Partition takes only these (AWS Security Hub API Reference, "Resource"); another partition is left out.
    private static readonly string[] AsffPartitions = ["aws", "aws-cn", "aws-us-gov", "aws-us-iso", "aws-us-iso-b"];

    /// <summary>
    /// The finding as an open ASFF finding: <c>RecordState</c> ACTIVE, <c>Compliance.Status</c> from
    /// <see cref="ComplianceStatus"/>, <c>Workflow.Status</c> SUPPRESSED for a suppressed finding and NEW otherwise
    /// (Security Hub takes a provider's workflow only when it creates the finding; later changes go through
    /// BatchUpdateFindings).
    /// </summary>
    /// <exception cref="AsffMappingException">The report has no task definition ARN naming an account and region, or an identifier is longer than any AWS allows.</exception>
    public static AsffFinding Active(TaskDefinitionReport report, Finding finding, AsffTimes times, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(toolVersion);
        var subject = $"{finding.RuleId} of {report.DisplayName}";
        var taskDefinition = TaskDefinitionArnOf(report.TaskDefinitionArn, report.DisplayName);
        var description = new StringBuilder(finding.Message.Trim());
        if (finding.Conditional is { } conditional)
        {
            description.Append(" Only when: ").Append(conditional).Append('.');
        }
        description.Append(WhereSeparator).Append(finding.Location()).Append('.');
        if (finding.Suppressed)
        {
            description.Append(" Suppressed: ").Append(finding.SuppressionReason ?? "no reason given").Append('.');
        }
        return Write(new Subject(
            FindingFingerprint.Of(report, finding), subject, taskDefinition, report.Family, report.TaskRoleArn, report.ExecutionRoleArn,
            finding.Rule, finding.Severity, finding.RoleSlot, finding.RoleArn, description.ToString(), finding.Remediation, finding.Location(),
            finding.Actions, ComplianceStatus(finding), "ACTIVE", finding.Suppressed ? "SUPPRESSED" : "NEW"), times, toolVersion);
    }

    /// <summary>
    /// A finding the newest audit no longer shows, re-imported under its <c>Id</c> with <c>Compliance.Status</c> PASSED
    /// and <c>RecordState</c> ARCHIVED; its remediation is the rule's, as the store keeps no fix.
    /// </summary>
    /// <exception cref="AsffMappingException">The task definition ARN names no account and region, or an identifier is longer than any AWS allows.</exception>
    public static AsffFinding Resolved(AsffResolution resolution, AsffTimes times, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(toolVersion);
        var subject = $"{resolution.Rule.Id} of {resolution.Family}";
        var taskDefinition = TaskDefinitionArnOf(resolution.TaskDefinitionArn, resolution.Family);
        var description = $"{resolution.Message.Trim()}{WhereSeparator}{resolution.Source}. Resolved: an audit of the family no longer shows it.";
        return Write(new Subject(
            resolution.Fingerprint, subject, taskDefinition, resolution.Family, null, null, resolution.Rule, resolution.Severity, resolution.Slot,
            resolution.RoleArn, description, resolution.Rule.Remediation, resolution.Source, [], "PASSED", "ARCHIVED", Workflow: null), times, toolVersion);
    }

    /// <summary>
    /// Whether <c>audit --format asff</c> imports a finding: every finding above INFO. An INFO finding needs no action
    /// (ASFF's INFORMATIONAL means "no issue was found"), so it is no failed check of the account.
    /// </summary>
    public static bool IsImported(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Severity > Severity.Info;
    }

    /// <summary>
    /// FAILED for a violation; WARNING for a finding that says the audit could not read something
    /// (<see cref="RuleDescriptor.MarksAuditIncomplete"/>: ERA005, ERA047), which is ASFF's "some information is missing",
    /// not a failure of the role.
    /// </summary>
    public static string ComplianceStatus(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Rule.MarksAuditIncomplete ? "WARNING" : "FAILED";
    }

    /// <summary>The account's default product in the region: the only product a customer's own findings may be imported under.</summary>
    public static string DefaultProductArn(string partition, string region, string account) =>
        Arn.Create(partition, "securityhub", region, account, $"product/{account}/default").ToString();

    /// <summary>The severity <see cref="SeverityLabel"/> gives <paramref name="label"/>, or false.</summary>
    public static bool TryParseSeverityLabel(string? label, out Severity severity)
    {
        foreach (var candidate in Enum.GetValues<Severity>())
        {
            if (SeverityLabel(candidate) == label)
            {
                severity = candidate;
                return true;
            }
        }
        severity = default;
        return false;
    }

    /// <summary>What separates the finding's own sentence from where it sits in <c>Description</c>.</summary>
    public const string WhereSeparator = " Where: ";

    /// <summary>ASFF's severity label: CRITICAL, HIGH, MEDIUM and LOW as they are, INFO as INFORMATIONAL.</summary>
    public static string SeverityLabel(Severity severity) => severity switch
    {
        Severity.Critical => "CRITICAL",
        Severity.High => "HIGH",
        Severity.Medium => "MEDIUM",
        Severity.Low => "LOW",
        _ => "INFORMATIONAL",
    };

    private sealed record Subject(
        string Id, string Name, Arn TaskDefinition, string Family, string? TaskRoleArn, string? ExecutionRoleArn,
        RuleDescriptor Rule, Severity Severity, RoleSlot Slot, string? RoleArn, string Description, string Remediation, string Source,
        IReadOnlyList<string> Actions, string Compliance, string RecordState, string? Workflow);

    private static Arn TaskDefinitionArnOf(string? text, string displayName)
    {
        if (text is null)
        {
            throw new AsffMappingException($"task definition {Shown(displayName)} has no ARN: a Security Hub finding needs the account and region one names");
        }
        if (!Arn.TryParse(text, out var arn) || arn.Service != "ecs" || arn.ResourceType != "task-definition"
            || arn.Account.Length != 12 || !arn.Account.All(char.IsAsciiDigit) || arn.Region.Length is 0 or > AsffLimits.Region)
        {
            throw new AsffMappingException($"task definition {Shown(displayName)}: '{Shown(text)}' is no task definition ARN naming a 12-digit account and a region");
        }
        return arn;
    }

    private static AsffFinding Write(Subject s, AsffTimes times, string toolVersion)
    {
        times.Check();
        string?[] identifiers = [s.TaskDefinition.ToString(), s.Family, s.TaskRoleArn, s.ExecutionRoleArn, s.RoleArn];
        if (identifiers.FirstOrDefault(i => i is { Length: > AsffLimits.Identifier }) is { } tooLong)
        {
            throw new AsffMappingException($"{Shown(s.Name)}: the identifier '{Shown(tooLong)}' is {tooLong.Length} characters, longer than any AWS allows ({AsffLimits.Identifier})");
        }
        var td = s.TaskDefinition;
        var productArn = DefaultProductArn(td.Partition, td.Region, td.Account);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("SchemaVersion", SchemaVersion);
            writer.WriteString("Id", s.Id);
            writer.WriteString("ProductArn", productArn);
            writer.WriteString("ProductName", ReportOptions.ToolName);
            writer.WriteString("GeneratorId", s.Rule.Id);
            writer.WriteString("AwsAccountId", td.Account);
            writer.WriteString("Region", td.Region);
            WriteTypes(writer);
            writer.WriteString("CreatedAt", Timestamp(times.FirstObservedAt));
            writer.WriteString("FirstObservedAt", Timestamp(times.FirstObservedAt));
            writer.WriteString("LastObservedAt", Timestamp(times.LastObservedAt));
            writer.WriteString("UpdatedAt", Timestamp(times.UpdatedAt));
            WriteSeverity(writer, s.Severity);
            writer.WriteStartObject("FindingProviderFields");
            WriteSeverity(writer, s.Severity);
            WriteTypes(writer);
            writer.WriteEndObject();
            writer.WriteString("Title", AsffText.Bounded($"{s.Rule.Id} {s.Rule.Title}", AsffLimits.Title));
            writer.WriteString("Description", AsffText.Bounded(s.Description, AsffLimits.Description));
            WriteRemediation(writer, s);
            WriteProductFields(writer, s, toolVersion);
            WriteResources(writer, s);
            writer.WriteStartObject("Compliance");
            writer.WriteString("Status", s.Compliance);
            writer.WriteEndObject();
            if (s.Workflow is { } workflow)
            {
                writer.WriteStartObject("Workflow");
                writer.WriteString("Status", workflow);
                writer.WriteEndObject();
            }
            writer.WriteString("RecordState", s.RecordState);
            writer.WriteEndObject();
        }
        // Invisible formatting characters (bidi overrides, zero-width) become \u escapes, as in the JSON report: same value, nothing hidden.
        var json = Encoding.UTF8.GetBytes(TerminalText.EscapeJson(Encoding.UTF8.GetString(buffer.WrittenSpan)));
        return new AsffFinding(s.Id, productArn, td.Account, td.Region, s.Name, json);
    }

    private static void WriteTypes(Utf8JsonWriter writer) => writer.WriteStringArray("Types", [FindingType]);

    private static void WriteSeverity(Utf8JsonWriter writer, Severity severity)
    {
        writer.WriteStartObject("Severity");
        writer.WriteString("Label", SeverityLabel(severity));
        writer.WriteString("Original", severity.Name());
        writer.WriteEndObject();
    }

    private static void WriteRemediation(Utf8JsonWriter writer, Subject s)
    {
        writer.WriteStartObject("Remediation");
        writer.WriteStartObject("Recommendation");
        writer.WriteString("Text", AsffText.Bounded(NonBlank(s.Remediation, s.Rule.Remediation), AsffLimits.RecommendationText));
        if (s.Rule.HelpUri is { } url)
        {
            writer.WriteString("Url", url);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteProductFields(Utf8JsonWriter writer, Subject s, string toolVersion)
    {
        writer.WriteStartObject("ProductFields");
        writer.WriteString(AsffProductFields.Family, s.Family);
        writer.WriteString(AsffProductFields.TaskDefinitionArn, s.TaskDefinition.ToString());
        writer.WriteString(AsffProductFields.RuleId, s.Rule.Id);
        writer.WriteString(AsffProductFields.RoleSlot, s.Slot.Name());
        writer.WriteString(AsffProductFields.Source, AsffText.Bounded(NonBlank(s.Source, s.Slot.Name()), AsffLimits.ProductFieldValue));
        if (s.Actions.Count > 0)
        {
            writer.WriteString(AsffProductFields.Actions, AsffText.BoundedList(s.Actions, AsffLimits.ProductFieldValue));
        }
        writer.WriteString(AsffProductFields.ToolVersion, AsffText.Bounded(toolVersion, AsffLimits.ProductFieldValue));
        writer.WriteEndObject();
    }

    private static void WriteResources(Utf8JsonWriter writer, Subject s)
    {
        var td = s.TaskDefinition;
        writer.WriteStartArray("Resources");
        writer.WriteStartObject();
        writer.WriteString("Type", "AwsEcsTaskDefinition");
        writer.WriteString("Id", td.ToString());
        WritePartition(writer, td);
        writer.WriteString("Region", td.Region);
        writer.WriteStartObject("Details");
        writer.WriteStartObject("AwsEcsTaskDefinition");
        writer.WriteString("Family", s.Family);
        if (s.TaskRoleArn is { } taskRole)
        {
            writer.WriteString("TaskRoleArn", taskRole);
        }
        if (s.ExecutionRoleArn is { } executionRole)
        {
            writer.WriteString("ExecutionRoleArn", executionRole);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        // The role the finding is about, when it names one by ARN (a bare name in a task definition is no resource id).
        if (Arn.TryParse(s.RoleArn, out var role) && role.Service == "iam" && role.ResourceType == "role")
        {
            writer.WriteStartObject();
            writer.WriteString("Type", "AwsIamRole");
            writer.WriteString("Id", role.ToString());
            WritePartition(writer, role);
            writer.WriteStartObject("Details");
            writer.WriteStartObject("AwsIamRole");
            writer.WriteString("RoleName", role.ResourceName);
            // role/PATH/NAME: the path is what lies between the type and the name, "/" when there is none.
            writer.WriteString("Path", "/" + role.ResourceId[..^role.ResourceName.Length]);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WritePartition(Utf8JsonWriter writer, Arn arn)
    {
        if (AsffPartitions.Contains(arn.Partition))
        {
            writer.WriteString("Partition", arn.Partition);
        }
    }

    // ASFF strings must hold a non-blank character (NonEmptyString: .*\S.*).
    private static string NonBlank(string text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : text;

    /// <summary>RFC 3339 in UTC with milliseconds, the precision Security Hub keeps (API Reference, "Timestamps").</summary>
    internal static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // An identifier in a message: bounded, so a hostile input cannot make the message megabytes long, and escaped.
    private static string Shown(string text) => TerminalText.Escape(AsffText.Bounded(text, 200));
}
