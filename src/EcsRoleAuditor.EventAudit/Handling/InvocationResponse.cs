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

    /// <summary><c>{"status":"planned","event":...,"accounts":n,"regions":n,"messagesQueued":n,"messagesFailed":n,"alertsPublished":n}</c>: organization mode's schedule.</summary>
    public static string Planned(AuditEvent auditEvent, int accounts, int regions, int queued, int failed, int alertsPublished)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return Json(writer =>
        {
            writer.WriteString("status", "planned");
            writer.WriteString("event", auditEvent.Name);
            writer.WriteNumber("accounts", accounts);
            writer.WriteNumber("regions", regions);
            writer.WriteNumber("messagesQueued", queued);
            writer.WriteNumber("messagesFailed", failed);
            writer.WriteNumber("alertsPublished", alertsPublished);
        });
    }

    /// <summary>
    /// <c>{"batchItemFailures":[{"itemIdentifier":...}]}</c>: the SQS records to deliver again, and nothing else (Lambda
    /// Developer Guide, "Handling errors for an SQS event source": an empty list is a complete success).
    /// </summary>
    public static string BatchItemFailures(IEnumerable<string> messageIds) => Json(writer =>
    {
        writer.WriteStartArray("batchItemFailures");
        foreach (var id in messageIds)
        {
            writer.WriteStartObject();
            writer.WriteString("itemIdentifier", id);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

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
