using System.Buffers;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Cli.Commands;

namespace EcsRoleAuditor.Cli.Findings;

/// <summary>
/// A listing as JSON: the accounts, the filter, the open count and one object per finding with every stored field a
/// person or a script needs (the store's claim bookkeeping is left out). Bidi and other invisible characters are escaped
/// (<see cref="TerminalText.EscapeJson"/>): the same JSON values, safe on a terminal.
/// </summary>
internal static class FindingsJson
{
    public static void Write(FindingsListing listing, TextWriter output) => Write(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", 1);
        writer.WriteStartArray("accounts");
        foreach (var account in listing.Source.Accounts)
        {
            writer.WriteStringValue(account);
        }
        writer.WriteEndArray();
        writer.WriteString("status", listing.Filter.Status is { } status ? StoredFindingText.Status(status) : "ALL");
        writer.WriteString("readAt", StoredFindingText.IsoTime(listing.At));
        writer.WriteNumber("openNow", listing.OpenNow);
        writer.WriteStartArray("findings");
        foreach (var f in listing.Findings)
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", f.Fingerprint);
            writer.WriteString("severity", f.Severity.Name());
            writer.WriteString("status", StoredFindingText.Status(f.Status));
            writer.WriteString("account", f.Family.Account);
            writer.WriteString("region", f.Family.Region);
            writer.WriteString("family", f.Family.Family);
            writer.WriteString("ruleId", f.RuleId);
            writer.WriteString("title", StoredFindingText.Title(f));
            writer.WriteString("roleSlot", f.Slot.Name());
            writer.WriteString("roleArn", f.RoleArn);
            writer.WriteString("source", f.Source);
            writer.WriteString("message", f.Message);
            writer.WriteString("firstSeen", StoredFindingText.IsoTime(f.FirstSeen));
            writer.WriteString("lastSeen", StoredFindingText.IsoTime(f.LastSeen));
            WriteTime(writer, "resolvedAt", f.ResolvedAt);
            WriteTime(writer, "lastAlerted", f.LastAlerted);
            writer.WriteNumber("evidenceRevision", f.EvidenceRevision);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>Writes a JSON document built by <paramref name="build"/>, indented, with invisible characters escaped.</summary>
    internal static void Write(TextWriter output, Action<Utf8JsonWriter> build)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Options(indented: true)))
        {
            build(writer);
        }
        output.WriteLine(TerminalText.EscapeJson(Encoding.UTF8.GetString(buffer.WrittenSpan)));
    }

    internal static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, StoredFindingText.IsoTime(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
