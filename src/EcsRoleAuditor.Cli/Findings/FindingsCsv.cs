using System.Text;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Cli.Findings;

/// <summary>
/// A listing as CSV (RFC 4180, a header row, every field quoted) for spreadsheets. A field is data, never a formula or
/// hidden text: control and bidi characters become visible escapes (<see cref="TerminalText"/>), and a field that
/// begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c> (or a tab or carriage return) gets a leading <c>'</c>, which
/// spreadsheets take as "text" (OWASP, "CSV Injection").
/// </summary>
internal static class FindingsCsv
{
    private static readonly string[] Header =
    [
        "severity", "status", "account", "region", "family", "ruleId", "title", "roleSlot", "roleName", "roleArn", "source",
        "firstSeen", "lastSeen", "resolvedAt", "lastAlerted", "message", "fingerprint",
    ];

    public static void Write(FindingsListing listing, TextWriter output)
    {
        output.Write(Row(Header));
        foreach (var f in listing.Findings)
        {
            output.Write(Row(
            [
                f.Severity.Name(), StoredFindingText.Status(f.Status), f.Family.Account, f.Family.Region, f.Family.Family, f.RuleId,
                StoredFindingText.Title(f), f.Slot.Name(), StoredFindingText.RoleName(f), f.RoleArn ?? "", f.Source,
                StoredFindingText.IsoTime(f.FirstSeen), StoredFindingText.IsoTime(f.LastSeen),
                f.ResolvedAt is { } resolved ? StoredFindingText.IsoTime(resolved) : "",
                f.LastAlerted is { } alerted ? StoredFindingText.IsoTime(alerted) : "",
                f.Message, f.Fingerprint,
            ]));
        }
    }

    // RFC 4180 ends records with CRLF, whatever the platform.
    private static string Row(IEnumerable<string> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    /// <summary>One quoted field: escaped, defused as a formula, its quotes doubled.</summary>
    internal static string Field(string value)
    {
        var text = TerminalText.Escape(value);
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }
        return new StringBuilder(text.Length + 2).Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }
}
