using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// The <c>default</c> body of a resolved notice or a reminder (docs/state.md):
/// <c>{"status":"RESOLVED"|"OPEN","reminder":bool,"taskDefinitionArn","family","revision","findings":[{"fingerprint","ruleId","severity","roleSlot","roleArn","source","message","firstSeen","lastAlerted"}],"hiddenFindings","tool"}</c>.
/// </summary>
internal static class StoredFindingsJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON of what the view shows.</summary>
    public static string For(AlertView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var report = view.Alert.Reports[0];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("status", view.Alert.Kind == AlertKind.Resolved ? "RESOLVED" : "OPEN");
            writer.WriteBoolean("reminder", view.Alert.Kind == AlertKind.Reminder);
            writer.WriteString("taskDefinitionArn", report.TaskDefinitionArn);
            writer.WriteString("family", report.Family);
            if (report.Revision is { } revision)
            {
                writer.WriteNumber("revision", revision);
            }
            writer.WriteStartArray("findings");
            foreach (var finding in view.ShownStored)
            {
                writer.WriteStartObject();
                writer.WriteString("fingerprint", finding.Fingerprint);
                writer.WriteString("ruleId", finding.RuleId);
                writer.WriteString("severity", finding.Severity.Name());
                writer.WriteString("roleSlot", finding.Slot.ToString());
                writer.WriteString("roleArn", finding.RoleArn);
                writer.WriteString("source", finding.Source);
                writer.WriteString("message", finding.Message);
                writer.WriteString("firstSeen", finding.FirstSeen);
                if (finding.LastAlerted is { } alerted)
                {
                    writer.WriteString("lastAlerted", alerted);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteNumber("hiddenFindings", view.HiddenFindings);
            writer.WriteString("tool", $"{ReportOptions.ToolName} {ReportOptions.Default.ToolVersion}");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
