using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Cli.EventRuns;

/// <summary>
/// Prints what the handler handed to SNS the way a subscriber would see it: the subject, the message attributes a
/// filter policy matches, and the three bodies of <c>MessageStructure=json</c> (<c>default</c>, the JSON report;
/// <c>email</c>, the text of the email; <c>https</c>, the AWS Chatbot notification Slack shows). <c>text</c> is for
/// reading, <c>json</c> for scripts. Both go to a terminal as often as not, and the messages quote names from input:
/// <c>text</c> escapes every line (<see cref="TerminalText"/>), <c>json</c> keeps no bidi character raw.
/// </summary>
internal static class MessagePrinter
{
    private static readonly JsonWriterOptions Indented = Commands.JsonOutput.Options(indented: true);

    public static void WriteText(IReadOnlyList<HandedMessage> messages, string response, TextWriter stdout)
    {
        if (messages.Count == 0)
        {
            stdout.WriteLine("No SNS message.");
        }
        for (var i = 0; i < messages.Count; i++)
        {
            var (message, id) = messages[i];
            var status = id is null ? "not published (add --publish to send it)" : $"published, MessageId {id}";
            stdout.WriteLine($"=== SNS message {i + 1} of {messages.Count} to {TerminalText.Escape(message.TopicArn)}: {TerminalText.Escape(status)}");
            stdout.WriteLine($"Subject: {TerminalText.Escape(message.Subject ?? "")}");
            stdout.WriteLine($"Size: {Encoding.UTF8.GetByteCount(message.Message)} bytes");
            stdout.WriteLine("Message attributes:");
            foreach (var (name, value) in message.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                stdout.WriteLine(TerminalText.Escape($"  {name} ({value.DataType}): {value.Value}"));
            }
            foreach (var (protocol, body) in Bodies(message.Message))
            {
                stdout.WriteLine($"--- {TerminalText.Escape(protocol)} ---");
                WriteLines(Pretty(body), stdout);
            }
            stdout.WriteLine();
        }
        stdout.WriteLine("=== Handler response");
        WriteLines(Pretty(response), stdout);
    }

    // A body's own line breaks (an email's lines) stay; anything else that would act on the terminal is escaped.
    private static void WriteLines(string text, TextWriter stdout)
    {
        foreach (var line in text.Split('\n'))
        {
            stdout.WriteLine(TerminalText.Escape(line.TrimEnd('\r')));
        }
    }

    public static void WriteJson(IReadOnlyList<HandedMessage> messages, string response, TextWriter stdout)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var (message, id) in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("topicArn", message.TopicArn);
                writer.WriteBoolean("published", id is not null);
                if (id is not null)
                {
                    writer.WriteString("messageId", id);
                }
                writer.WriteString("subject", message.Subject);
                writer.WriteNumber("sizeBytes", Encoding.UTF8.GetByteCount(message.Message));
                writer.WriteStartObject("attributes");
                foreach (var (name, value) in message.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartObject(name);
                    writer.WriteString("dataType", value.DataType);
                    writer.WriteString("value", value.Value);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
                writer.WriteStartObject("bodies");
                foreach (var (protocol, body) in Bodies(message.Message))
                {
                    writer.WritePropertyName(protocol);
                    WriteValue(writer, body);
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WritePropertyName("response");
            WriteValue(writer, response);
            writer.WriteEndObject();
        }
        stdout.WriteLine(TerminalText.EscapeJson(Encoding.UTF8.GetString(stream.ToArray())));
    }

    // A MessageStructure=json message is an object of protocol -> body; anything else is one default body.
    private static List<(string Protocol, string Body)> Bodies(string message)
    {
        using var document = TryParse(message);
        return document?.RootElement.ValueKind == JsonValueKind.Object
            ? [.. document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))]
            : [("default", message)];
    }

    // A JSON body is written as JSON (so scripts need not parse twice), text as a string.
    private static void WriteValue(Utf8JsonWriter writer, string body)
    {
        using var document = TryParse(body);
        if (document is null)
        {
            writer.WriteStringValue(body);
        }
        else
        {
            document.RootElement.WriteTo(writer);
        }
    }

    // JSON indented for reading; text as it is.
    private static string Pretty(string text)
    {
        using var document = TryParse(text);
        if (document is null)
        {
            return text.TrimEnd();
        }
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            document.RootElement.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // The parsed JSON object or array the text holds, or null for text (an email body).
    private static JsonDocument? TryParse(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
