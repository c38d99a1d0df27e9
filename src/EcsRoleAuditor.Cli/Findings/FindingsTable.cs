using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.Cli.Findings;

/// <summary>
/// The terminal view of a listing: one block per finding (severity, status, family, rule and title; then role, where,
/// times, message, fingerprint), then a count by severity. Every value from the store is escaped for the terminal.
/// </summary>
internal static class FindingsTable
{
    private const string Indent = "    ";

    public static void Write(FindingsListing listing, TextWriter output)
    {
        foreach (var finding in listing.Findings)
        {
            var e = (Func<string, string>)TerminalText.Escape;
            output.WriteLine($"{finding.Severity.Name(),-8}  {StoredFindingText.Status(finding.Status),-10}  {e(finding.Family.Family)}  {e(finding.RuleId)}  {StoredFindingText.Title(finding)}");
            output.WriteLine($"{Indent}role:        {e(StoredFindingText.Role(finding))}{(finding.RoleArn is { } arn ? $" ({e(arn)})" : "")}");
            output.WriteLine($"{Indent}where:       {e(finding.Source)}");
            output.WriteLine($"{Indent}account:     {e(finding.Family.Account)}, {e(finding.Family.Region)}");
            var resolved = finding.Status == FindingStatus.Resolved && finding.ResolvedAt is { } at ? $", resolved {StoredFindingText.Time(at)}" : "";
            output.WriteLine($"{Indent}seen:        first {StoredFindingText.Time(finding.FirstSeen)}{resolved}, "
                + $"last alerted {(finding.LastAlerted is { } alerted ? StoredFindingText.Time(alerted) : "never")}");
            output.WriteLine($"{Indent}message:     {e(finding.Message)}");
            output.WriteLine($"{Indent}fingerprint: {e(finding.Fingerprint)}");
            output.WriteLine();
        }
        output.WriteLine(Summary(listing));
    }

    /// <summary>One line: how many findings are listed by severity, from which accounts, and how many are open now.</summary>
    public static string Summary(FindingsListing listing)
    {
        var accounts = listing.Source.Accounts.Count == 0 ? "no account" : string.Join(", ", listing.Source.Accounts.Select(TerminalText.Escape));
        var bySeverity = Enum.GetValues<Severity>().Reverse()
            .Select(s => (Severity: s, Count: listing.Findings.Count(f => f.Severity == s)))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {c.Severity.Name()}");
        var counted = listing.Findings.Count == 0 ? "no findings" : $"{FindingFactory.Count(listing.Findings.Count, "finding")} ({string.Join(", ", bySeverity)})";
        return $"{counted} {FilterText(listing.Filter)} in {accounts}; {listing.OpenNow} open now";
    }

    /// <summary>The status asked for, as the summary says it: <c>open</c>, <c>resolved</c>, <c>of any status</c>.</summary>
    public static string FilterText(FindingsFilter filter) => filter.Status is { } status ? StoredFindingText.Status(status).ToLowerInvariant() : "of any status";
}
