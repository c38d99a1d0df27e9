using System.Text.Encodings.Web;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.Cli.Findings;

/// <summary>
/// A listing as one self-contained HTML page: inline CSS, an inline SVG chart, no script, no external asset, so it
/// opens offline, can be mailed or attached, and prints on A4. The header names the accounts and counts the findings
/// by severity; the findings follow grouped by severity, then family; then the trend of findings opened and resolved
/// per day (chart and table) and, per rule listed, the rule's advice from the catalog. Every value from the store is
/// text: control and bidi characters made visible (<see cref="TerminalText"/>), then HTML-encoded; none is written
/// into an attribute, a style or a script.
/// </summary>
internal static class FindingsHtmlPage
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    private const string Style = """
        :root { color-scheme: light; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
        h3 { font-size: 16px; margin: 20px 0 6px; }
        h4 { font-size: 14px; margin: 14px 0 4px; }
        .meta { color: #555; margin: 0; }
        .counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; padding: 0; list-style: none; }
        .counts li { border: 1px solid #ccc; border-radius: 6px; padding: 6px 12px; min-width: 90px; }
        .counts .n { display: block; font-size: 22px; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
        th, td { border: 1px solid #d5d5d5; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        td.text { overflow-wrap: anywhere; }
        th, td.status { white-space: nowrap; }
        th { background: #f3f3f3; font-weight: 600; }
        td.num, th.num { text-align: right; }
        .sev { font-weight: 700; }
        .sev-critical { color: #7b1fa2; } .sev-high { color: #c0392b; } .sev-medium { color: #b9770e; } .sev-low { color: #2471a3; } .sev-info { color: #555; }
        .fp { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; color: #555; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f3f3f3; padding: 0 3px; }
        .chart { max-width: 100%; height: auto; }
        .note { color: #555; }
        footer { margin-top: 32px; color: #777; font-size: 12px; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { margin: 0; max-width: none; font-size: 11px; }
          h2 { break-after: avoid-page; }
          h3, h4 { break-after: avoid-page; }
          tr, .chart { break-inside: avoid-page; }
          th { background: none; }
        }
        """;

    public static void Write(FindingsListing listing, TextWriter output)
    {
        var accounts = listing.Source.Accounts.Count == 0 ? "no account" : string.Join(", ", listing.Source.Accounts.Select(H));
        var plural = listing.Source.Accounts.Count == 1 ? "Account" : "Accounts";
        var what = listing.Filter.Status switch
        {
            FindingStatus.Open => "Open findings",
            FindingStatus.Resolved => "Resolved findings",
            FindingStatus.Suppressed => "Suppressed findings",
            _ => "Findings of any status",
        };
        output.WriteLine("<!DOCTYPE html>");
        output.WriteLine("<html lang=\"en\">");
        output.WriteLine("<head>");
        output.WriteLine("<meta charset=\"utf-8\">");
        output.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        output.WriteLine($"<title>ECS role findings: {accounts}</title>");
        output.WriteLine($"<style>\n{Style}\n</style>");
        output.WriteLine("</head>");
        output.WriteLine("<body>");
        output.WriteLine("<header>");
        output.WriteLine("<h1>ECS role findings</h1>");
        output.WriteLine($"<p class=\"meta\">{plural} {accounts} · {H(listing.Source.Name)} · read {StoredFindingText.Time(listing.At)}</p>");
        output.WriteLine($"<p class=\"meta\">{H(FilterDescription(listing.Filter))}</p>");
        output.WriteLine("</header>");

        output.WriteLine("<section>");
        output.WriteLine("<h2>Summary</h2>");
        output.WriteLine("<ul class=\"counts\">");
        output.WriteLine($"<li>open now<span class=\"n\">{listing.OpenNow}</span></li>");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            var count = listing.Findings.Count(f => f.Severity == severity);
            output.WriteLine($"<li><span class=\"sev {Class(severity)}\">{severity.Name()}</span><span class=\"n\">{count}</span></li>");
        }
        output.WriteLine("</ul>");
        output.WriteLine($"<p>{H(FindingsTable.Summary(listing))}.</p>");
        output.WriteLine("</section>");

        output.WriteLine("<section>");
        output.WriteLine($"<h2>{what}</h2>");
        if (listing.Findings.Count == 0)
        {
            output.WriteLine("<p>None.</p>");
        }
        foreach (var bySeverity in listing.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
        {
            output.WriteLine($"<h3 class=\"sev {Class(bySeverity.Key)}\">{bySeverity.Key.Name()} ({bySeverity.Count()})</h3>");
            foreach (var byFamily in bySeverity.GroupBy(f => f.Family).OrderBy(g => g.Key.Family, StringComparer.Ordinal).ThenBy(g => g.Key.Account, StringComparer.Ordinal).ThenBy(g => g.Key.Region, StringComparer.Ordinal))
            {
                output.WriteLine($"<h4>{H(byFamily.Key.Family)} <span class=\"note\">(account {H(byFamily.Key.Account)}, {H(byFamily.Key.Region)})</span></h4>");
                output.WriteLine("<table>");
                output.WriteLine("<thead><tr><th>Rule</th><th>Status</th><th>Role</th><th>Where</th><th>Message</th><th>First<br>seen</th><th>Resolved</th><th>Last<br>alerted</th></tr></thead>");
                output.WriteLine("<tbody>");
                foreach (var f in byFamily)
                {
                    var last = f.Status == FindingStatus.Resolved && f.ResolvedAt is { } at ? StoredFindingText.Time(at) : "—";
                    output.WriteLine("<tr>"
                        + $"<td><strong>{H(f.RuleId)}</strong> {H(StoredFindingText.Title(f))}<br><span class=\"fp\">{H(f.Fingerprint)}</span></td>"
                        + $"<td class=\"status\">{StoredFindingText.Status(f.Status)}</td>"
                        + $"<td>{H(StoredFindingText.Role(f))}</td>"
                        + $"<td class=\"text\">{H(f.Source)}</td>"
                        + $"<td class=\"text\">{H(f.Message)}</td>"
                        + $"<td>{StoredFindingText.Time(f.FirstSeen)}</td>"
                        + $"<td>{last}</td>"
                        + $"<td>{(f.LastAlerted is { } alerted ? StoredFindingText.Time(alerted) : "never")}</td>"
                        + "</tr>");
                }
                output.WriteLine("</tbody>");
                output.WriteLine("</table>");
            }
        }
        output.WriteLine("</section>");

        WriteTrend(listing, output);
        WriteFixes(listing, output);

        output.WriteLine($"<footer>Written by ecs-role-auditor {H(ReportOptions.Default.ToolVersion)} <code>findings --format html</code>. The store keeps each finding's message and place, not its fix.</footer>");
        output.WriteLine("</body>");
        output.WriteLine("</html>");
    }

    private static void WriteTrend(FindingsListing listing, TextWriter output)
    {
        if (listing.Trend.Count == 0)
        {
            return;
        }
        var first = listing.Trend[0].Day;
        var last = listing.Trend[^1].Day;
        output.WriteLine("<section>");
        output.WriteLine($"<h2>Opened and resolved per day, {first:yyyy-MM-dd} to {last:yyyy-MM-dd} (UTC)</h2>");
        output.WriteLine($"<p>{listing.Trend.Sum(d => d.Opened)} opened and {listing.Trend.Sum(d => d.Resolved)} resolved in these {listing.Trend.Count} days; {listing.OpenNow} open now.</p>");
        output.WriteLine(TrendChart.Svg(listing.Trend));
        var changed = listing.Trend.Where(d => d.Opened > 0 || d.Resolved > 0).ToList();
        output.WriteLine("<table>");
        output.WriteLine("<thead><tr><th>Day (UTC)</th><th class=\"num\">Opened</th><th class=\"num\">Resolved</th></tr></thead>");
        output.WriteLine("<tbody>");
        foreach (var day in changed)
        {
            output.WriteLine($"<tr><td>{day.Day:yyyy-MM-dd}</td><td class=\"num\">{day.Opened}</td><td class=\"num\">{day.Resolved}</td></tr>");
        }
        if (changed.Count == 0)
        {
            output.WriteLine("<tr><td colspan=\"3\">No finding opened or was resolved in these days.</td></tr>");
        }
        output.WriteLine("</tbody>");
        output.WriteLine("</table>");
        output.WriteLine("<p class=\"note\">Days without a change are left out of the table.</p>");
        output.WriteLine("</section>");
    }

    // The store keeps no fix (docs/state.md): the rule's advice is the catalog's, and the exact statement's fix comes
    // from an audit of the family.
    private static void WriteFixes(FindingsListing listing, TextWriter output)
    {
        var rules = listing.Findings.Select(f => f.RuleId).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(RuleCatalog.Find).OfType<IAuditRule>().Select(r => r.Descriptor).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        if (rules.Count == 0)
        {
            return;
        }
        output.WriteLine("<section>");
        output.WriteLine("<h2>How to fix</h2>");
        output.WriteLine("<p>The store keeps each finding's message and place, not its fix. Run <code>ecs-role-auditor audit --live --task-definition FAMILY</code> "
            + "for the fix of each statement; <code>ecs-role-auditor rules ERA0xx</code> prints a rule's documentation (docs/rules.md). Each rule's advice:</p>");
        output.WriteLine("<dl>");
        foreach (var rule in rules)
        {
            output.WriteLine($"<dt><strong>{H(rule.Id)}</strong> {H(rule.Title)}</dt><dd>{H(rule.Remediation)}</dd>");
        }
        output.WriteLine("</dl>");
        output.WriteLine("</section>");
    }

    private static string FilterDescription(FindingsFilter filter)
    {
        var parts = new List<string> { $"status {(filter.Status is { } status ? StoredFindingText.Status(status) : "any")}" };
        if (filter.Since is { } since)
        {
            parts.Add($"since {StoredFindingText.Time(since)}");
        }
        if (filter.Family is { } family)
        {
            parts.Add($"family {family}");
        }
        if (filter.RuleId is { } rule)
        {
            parts.Add($"rule {rule}");
        }
        parts.Add($"severity {filter.MinSeverity.Name()} and above");
        return "Listed: " + string.Join(", ", parts);
    }

    private static string Class(Severity severity) => "sev-" + severity.Name().ToLowerInvariant();

    /// <summary>Text from input as HTML text: hidden characters made visible, then every markup character encoded.</summary>
    internal static string H(string text) => Encoder.Encode(TerminalText.Escape(text));
}
