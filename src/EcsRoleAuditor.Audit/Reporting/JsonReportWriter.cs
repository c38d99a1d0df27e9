using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>
/// Writes the JSON report (schema version 1, docs/report-format.md, docs/schemas/audit-report.schema.json). Every
/// property is always present; a value that is unknown or does not apply is <c>null</c>, a list without items is <c>[]</c>.
/// </summary>
public static class JsonReportWriter
{
    /// <summary>The version of the JSON contract; raised only for changes that can break a reader.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Writes <paramref name="report"/> as one indented JSON document followed by a newline.</summary>
    public static void Write(AuditReport report, TextWriter output, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        JsonText.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", SchemaVersion);
            writer.WriteStartObject("tool");
            writer.WriteString("name", ReportOptions.ToolName);
            writer.WriteString("version", options.ToolVersion);
            writer.WriteEndObject();
            writer.WriteStartArray("reports");
            foreach (var taskDefinition in report.Reports)
            {
                WriteTaskDefinition(writer, taskDefinition);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void WriteTaskDefinition(Utf8JsonWriter writer, TaskDefinitionReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("taskDefinitionArn", report.TaskDefinitionArn);
        writer.WriteString("family", report.Family);
        if (report.Revision is { } revision)
        {
            writer.WriteNumber("revision", revision);
        }
        else
        {
            writer.WriteNull("revision");
        }
        writer.WriteString("taskRoleArn", report.TaskRoleArn);
        writer.WriteString("executionRoleArn", report.ExecutionRoleArn);
        writer.WriteStartArray("findings");
        foreach (var finding in report.Findings)
        {
            WriteFinding(writer, finding);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter writer, Finding finding)
    {
        writer.WriteStartObject();
        writer.WriteString("ruleId", finding.RuleId);
        writer.WriteString("severity", finding.Severity.Name());
        writer.WriteString("roleArn", finding.RoleArn);
        writer.WriteString("roleSlot", finding.RoleSlot.Name());
        writer.WriteStartObject("source");
        writer.WriteString("kind", finding.Source.Kind.Name());
        writer.WriteString("name", finding.Source.Name);
        writer.WriteString("arn", finding.Source.Arn);
        writer.WriteString("versionId", finding.Source.VersionId);
        writer.WriteEndObject();
        writer.WriteString("statement", finding.Statement);
        writer.WriteStringArray("actions", finding.Actions);
        writer.WriteStringArray("resources", finding.Resources);
        writer.WriteString("conditional", finding.Conditional);
        writer.WriteString("message", finding.Message);
        writer.WriteString("remediation", finding.Remediation);
        writer.WriteBoolean("suppressed", finding.Suppressed);
        writer.WriteString("suppressionReason", finding.SuppressionReason);
        writer.WriteEndObject();
    }
}
