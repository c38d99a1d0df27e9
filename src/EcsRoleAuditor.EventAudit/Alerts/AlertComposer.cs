using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// Builds the SNS message of an alert: <c>MessageStructure=json</c> with <c>default</c> (the JSON report, the CLI's
/// <c>--format json</c> contract), <c>email</c> (plain text) and <c>https</c> (an AWS Chatbot custom notification), the
/// subject and the attributes. A message that would pass SNS's 256 KB limit is shortened step by step (long lists cut,
/// then fewer findings, down to the counts alone, at last with names cut): an alert is never lost to its size.
/// </summary>
internal static class AlertComposer
{
    /// <summary>SNS's limit on a published message, attributes included.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The message for <paramref name="alert"/> to <paramref name="topicArn"/>, at most <paramref name="maxBytes"/> bytes.</summary>
    public static SnsMessage Compose(Alert alert, string topicArn, int maxBytes = MaxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(topicArn);
        var attributes = AlertAttributes.For(alert);
        foreach (var view in Views(alert))
        {
            var message = new SnsMessage(topicArn, Structured(view), AlertSubject.For(view), JsonStructure: true, attributes);
            if (SizeOf(message) <= maxBytes)
            {
                return message;
            }
        }
        return Bounded(alert, topicArn);
    }

    // Even the counts alone pass the limit when one value of the task definition (a name, an ARN) is near it by itself:
    // then the counts with every name cut to the longest a role ARN can be, so the alert still goes out and SNS accepts it.
    private static SnsMessage Bounded(Alert alert, string topicArn)
    {
        var bounded = alert with
        {
            Reports = [.. alert.Reports.Select(r => r with
            {
                TaskDefinitionArn = Cut(r.TaskDefinitionArn), Family = Cut(r.Family)!, TaskRoleArn = Cut(r.TaskRoleArn), ExecutionRoleArn = Cut(r.ExecutionRoleArn),
            })],
        };
        var view = AlertView.Shortened(bounded, 0, 0);
        return new SnsMessage(topicArn, Structured(view), AlertSubject.For(view), JsonStructure: true, AlertAttributes.For(bounded));
    }

    // IAM's Role.Arn is at most 2,048 characters (IAM API Reference, Role); an ECS family 255.
    private static string? Cut(string? text) => text is null || text.Length <= MaxNameLength ? text : string.Concat(text.AsSpan(0, MaxNameLength), "...");

    private const int MaxNameLength = 2048;

    /// <summary>The size SNS counts: the message, the subject and each attribute's name, type and value, in UTF-8 bytes.</summary>
    public static int SizeOf(SnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Encoding.UTF8.GetByteCount(message.Message)
            + Encoding.UTF8.GetByteCount(message.Subject ?? "")
            + message.Attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value.DataType) + Encoding.UTF8.GetByteCount(a.Value.Value));
    }

    /// <summary>The JSON report of what the view shows: the <c>default</c> body (resolved notices and reminders have their own, <see cref="StoredFindingsJson"/>).</summary>
    public static string ReportJson(AlertView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Alert.Kind is AlertKind.Resolved or AlertKind.Reminder)
        {
            return StoredFindingsJson.For(view);
        }
        using var text = new StringWriter();
        ReportWriters.Write(new AuditReport(view.Reports), RuleCatalog.All.Select(r => r.Descriptor).ToImmutableArray(), ReportFormat.Json, text);
        return text.ToString();
    }

    // The whole alert first, then ever shorter views, down to the counts alone.
    private static IEnumerable<AlertView> Views(Alert alert)
    {
        yield return AlertView.Full(alert);
        var total = alert.Count;
        yield return AlertView.Shortened(alert, total, 25);
        for (var shown = total / 2; shown > 0; shown /= 2)
        {
            yield return AlertView.Shortened(alert, shown, 10);
        }
        yield return AlertView.Shortened(alert, 0, 0);
    }

    private static string Structured(AlertView view)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("default", ReportJson(view));
            writer.WriteString("email", EmailBody.For(view));
            writer.WriteString("https", ChatbotNotification.For(view));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
