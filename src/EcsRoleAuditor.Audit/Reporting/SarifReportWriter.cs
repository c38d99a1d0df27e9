using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>
/// Writes SARIF 2.1.0 for GitHub code scanning: one run, the rules that ran as <c>tool.driver.rules</c>, one result
/// per finding with logical locations (task definition, role), a physical location when the task definition's file is
/// known, an external suppression for suppressed findings and a partial fingerprint for deduplication.
/// </summary>
public static class SarifReportWriter
{
    /// <summary>The <c>partialFingerprints</c> key; the suffix changes if the fingerprint's inputs ever change.</summary>
    public const string FingerprintKey = "ecsRoleAuditorFinding/v1";

    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>Writes <paramref name="report"/> as a SARIF log followed by a newline.</summary>
    public static void Write(AuditReport report, IReadOnlyList<RuleDescriptor> rules, TextWriter output, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        // First descriptor wins for a repeated ID, so ruleIndex points at exactly one entry.
        var distinctRules = rules.DistinctBy(r => r.Id, StringComparer.Ordinal).ToList();
        var ruleIndex = distinctRules.Select((rule, index) => (rule.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        JsonText.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUri);
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();
            WriteTool(writer, distinctRules, options);
            writer.WriteStartArray("results");
            foreach (var taskDefinition in report.Reports)
            {
                var sourceFile = options.SourceFileOf(taskDefinition);
                var fixCommand = options.FixCommandOf(taskDefinition);
                foreach (var finding in taskDefinition.Findings)
                {
                    WriteResult(writer, taskDefinition, finding, ruleIndex, options.Locations.Find(taskDefinition, finding) ?? (sourceFile is null ? null : new SourceSpot(sourceFile, null)),
                        FixCoverage.Settles(finding) ? fixCommand : null);
                }
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The SARIF level of a severity: CRITICAL and HIGH are errors, MEDIUM warnings, LOW and INFO notes.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>GitHub's <c>security-severity</c> score (0.0–10.0, as a string) for a severity.</summary>
    public static string SecuritySeverity(Severity severity) => (severity switch
    {
        Severity.Critical => 9.5,
        Severity.High => 8.0,
        Severity.Medium => 5.5,
        Severity.Low => 3.0,
        _ => 1.0,
    }).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>
    /// The fingerprint of a finding: SHA-256 over rule, role, source and statement, so the same problem keeps one alert
    /// across runs. Without a role ARN the task definition family stands in, so role-less findings of different task
    /// definitions stay apart.
    /// </summary>
    public static string Fingerprint(TaskDefinitionReport taskDefinition, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(taskDefinition);
        ArgumentNullException.ThrowIfNull(finding);
        string[] parts =
        [
            finding.RuleId,
            finding.RoleArn ?? "taskDefinition:" + taskDefinition.Family,
            finding.RoleSlot.Name(),
            finding.Source.Kind.Name(),
            finding.Source.Name,
            finding.Source.Arn ?? "",
            finding.Statement ?? "",
        ];
        // A separator that cannot occur in the parts keeps ("a","bc") and ("ab","c") apart.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', parts)));
        return Convert.ToHexStringLower(hash);
    }

    private static void WriteTool(Utf8JsonWriter writer, List<RuleDescriptor> rules, ReportOptions options)
    {
        writer.WriteStartObject("tool");
        writer.WriteStartObject("driver");
        writer.WriteString("name", ReportOptions.ToolName);
        writer.WriteString("version", options.ToolVersion);
        if (options.ToolInformationUri is { } informationUri)
        {
            writer.WriteString("informationUri", informationUri.AbsoluteUri);
        }
        writer.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            WriteRule(writer, rule);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter writer, RuleDescriptor rule)
    {
        writer.WriteStartObject();
        writer.WriteString("id", rule.Id);
        writer.WriteString("name", PascalCaseName(rule.Title));
        WriteMessage(writer, "shortDescription", rule.Title);
        WriteMessage(writer, "fullDescription", rule.Rationale);
        WriteMessage(writer, "help", rule.Remediation);
        if (rule.HelpUri is { } helpUri)
        {
            writer.WriteString("helpUri", helpUri);
        }
        writer.WriteStartObject("defaultConfiguration");
        writer.WriteString("level", Level(rule.DefaultSeverity));
        writer.WriteEndObject();
        writer.WriteStartObject("properties");
        writer.WriteString("security-severity", SecuritySeverity(rule.DefaultSeverity));
        writer.WriteStringArray("tags", ["security"]);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // fixCommand: the command that writes the execution role, for a finding fix settles; null for the others.
    private static void WriteResult(Utf8JsonWriter writer, TaskDefinitionReport taskDefinition, Finding finding,
        Dictionary<string, int> ruleIndex, SourceSpot? source, string? fixCommand)
    {
        writer.WriteStartObject();
        writer.WriteString("ruleId", finding.RuleId);
        if (ruleIndex.TryGetValue(finding.RuleId, out var index))
        {
            writer.WriteNumber("ruleIndex", index);
        }
        writer.WriteString("level", Level(finding.Severity));
        WriteMessage(writer, "message", finding.Message);
        WriteLocations(writer, taskDefinition, finding, source);
        writer.WriteStartObject("partialFingerprints");
        writer.WriteString(FingerprintKey, Fingerprint(taskDefinition, finding));
        writer.WriteEndObject();
        if (finding.Suppressed)
        {
            writer.WriteStartArray("suppressions");
            writer.WriteStartObject();
            writer.WriteString("kind", "external");
            if (finding.SuppressionReason is { } reason)
            {
                writer.WriteString("justification", reason);
            }
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        WriteResultProperties(writer, finding, fixCommand);
        writer.WriteEndObject();
    }

    private static void WriteLocations(Utf8JsonWriter writer, TaskDefinitionReport taskDefinition, Finding finding, SourceSpot? source)
    {
        writer.WriteStartArray("locations");
        writer.WriteStartObject();
        if (source is not null)
        {
            writer.WriteStartObject("physicalLocation");
            writer.WriteStartObject("artifactLocation");
            writer.WriteString("uri", ArtifactUri(source.File));
            writer.WriteEndObject();
            if (source.Line is { } line)
            {
                writer.WriteStartObject("region");
                writer.WriteNumber("startLine", line);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteStartArray("logicalLocations");
        writer.WriteStartObject();
        writer.WriteString("name", taskDefinition.DisplayName);
        writer.WriteString("fullyQualifiedName", taskDefinition.TaskDefinitionArn ?? taskDefinition.DisplayName);
        writer.WriteString("kind", "resource");
        writer.WriteEndObject();
        if (finding.RoleArn is { } roleArn)
        {
            writer.WriteStartObject();
            writer.WriteString("name", finding.Location());
            writer.WriteString("fullyQualifiedName", roleArn);
            writer.WriteString("kind", "resource");
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteResultProperties(Utf8JsonWriter writer, Finding finding, string? fixCommand)
    {
        writer.WriteStartObject("properties");
        writer.WriteString("severity", finding.Severity.Name());
        writer.WriteString("roleSlot", finding.RoleSlot.Name());
        writer.WriteString("source", finding.Source.ToString());
        if (finding.Statement is { } statement)
        {
            writer.WriteString("statement", statement);
        }
        writer.WriteStringArray("actions", finding.Actions);
        writer.WriteStringArray("resources", finding.Resources);
        if (finding.Conditional is { } conditional)
        {
            writer.WriteString("conditional", conditional);
        }
        writer.WriteString("remediation", finding.Remediation);
        // A property bag takes additions (SARIF 2.1.0, 3.8): consumers that do not know the key ignore it.
        if (fixCommand is not null)
        {
            writer.WriteString("fixCommand", fixCommand);
        }
        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, string name, string text)
    {
        writer.WriteStartObject(name);
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    /// <summary>A URI reference for a file path: rooted paths become <c>file:</c> URIs, relative ones stay relative.</summary>
    internal static string ArtifactUri(string path)
    {
        if (Path.IsPathFullyQualified(path))
        {
            return new Uri(path).AbsoluteUri;
        }
        var segments = path.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString);
        return string.Join('/', segments);
    }

    /// <summary>SARIF's <c>name</c> is an identifier-like form of the title: <c>Execution role cannot …</c> → <c>ExecutionRoleCannot…</c>.</summary>
    internal static string PascalCaseName(string title)
    {
        var name = new StringBuilder(title.Length);
        var upperNext = true;
        foreach (var c in title)
        {
            if (char.IsLetterOrDigit(c))
            {
                name.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            else
            {
                upperNext = true;
            }
        }
        return name.ToString();
    }
}
