using System.Buffers;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.EventAudit.Events;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>The response body of an invocation: the JSON report for a direct invocation, a short summary otherwise.</summary>
internal static class InvocationResponse
{
    /// <summary>The JSON report (the CLI's <c>--format json</c> contract) of the audited task definitions, then the unfinished ones as ERA005.</summary>
    public static string Report(IEnumerable<TaskDefinitionReport> audited, IEnumerable<TaskDefinitionReport> unfinished)
    {
        using var text = new StringWriter();
        ReportWriters.Write(new AuditReport([.. audited, .. unfinished]), [.. RuleCatalog.All.Select(r => r.Descriptor)], ReportFormat.Json, text);
        return text.ToString();
    }

    /// <summary><c>{"status":"audited","event":...,"audited":n,"alertsPublished":n,"incomplete":n}</c>.</summary>
    public static string Summary(AuditEvent auditEvent, int audited, int alertsPublished, int incomplete)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return Json(writer =>
        {
            writer.WriteString("status", "audited");
            writer.WriteString("event", auditEvent.Name);
            writer.WriteNumber("audited", audited);
            writer.WriteNumber("alertsPublished", alertsPublished);
            writer.WriteNumber("incomplete", incomplete);
        });
    }

    /// <summary><c>{"status":"ignored","event":...,"reason":...}</c>.</summary>
    public static string Ignored(AuditEvent.Ignored ignored)
    {
        ArgumentNullException.ThrowIfNull(ignored);
        return Json(writer =>
        {
            writer.WriteString("status", "ignored");
            writer.WriteString("event", ignored.EventName);
            writer.WriteString("reason", ignored.Reason);
        });
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
