using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>Writes JSON built with a <see cref="Utf8JsonWriter"/> to a <see cref="TextWriter"/>, indented and readable.</summary>
internal static class JsonText
{
    // Relaxed escaping keeps quotes, apostrophes, < > and non-ASCII readable; the output is never embedded in HTML.
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        // The relaxed encoder writes bidi overrides raw, and JSON reports are often read on a terminal.
        output.Write(TerminalText.EscapeJson(Encoding.UTF8.GetString(buffer.WrittenSpan)));
        output.WriteLine();
    }

    public static void WriteStringArray(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
