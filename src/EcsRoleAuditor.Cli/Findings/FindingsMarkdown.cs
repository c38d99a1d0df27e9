using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.Cli.Findings;

/// <summary>
/// A listing as GitHub-flavoured Markdown (an issue or a wiki page): a heading, the summary line, one table row per
/// finding. Every value from the store goes through <see cref="MarkdownReportWriter.Escape"/>, so a pipe, a backtick or
/// a line break in a name cannot break the table.
/// </summary>
internal static class FindingsMarkdown
{
    public static void Write(FindingsListing listing, TextWriter output)
    {
        var e = (Func<string, string>)MarkdownReportWriter.Escape;
        output.WriteLine("## ECS role findings");
        output.WriteLine();
        output.WriteLine(e(FindingsTable.Summary(listing)) + ".");
        if (listing.Findings.Count == 0)
        {
            return;
        }
        output.WriteLine();
        output.WriteLine("| Severity | Status | Family | Rule | Role | Where | First seen | Resolved | Last alerted | Message | Fingerprint |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var f in listing.Findings)
        {
            string[] cells =
            [
                $"**{f.Severity.Name()}**",
                StoredFindingText.Status(f.Status),
                $"{e(f.Family.Family)} ({e(f.Family.Account)}, {e(f.Family.Region)})",
                $"{e(f.RuleId)} {e(StoredFindingText.Title(f))}",
                e(StoredFindingText.Role(f)),
                e(f.Source),
                StoredFindingText.Time(f.FirstSeen),
                f.Status == FindingStatus.Resolved && f.ResolvedAt is { } at ? StoredFindingText.Time(at) : "",
                f.LastAlerted is { } alerted ? StoredFindingText.Time(alerted) : "never",
                e(f.Message),
                e(f.Fingerprint),
            ];
            output.WriteLine($"| {string.Join(" | ", cells)} |");
        }
    }
}
