using System.Text;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>
/// Writes GitHub-flavoured Markdown for pull request comments: a heading with the overall tally, then per task
/// definition a summary line, a findings table, the remediation of each finding below it and the <c>fix</c> command
/// when it settles one of them.
/// </summary>
public static class MarkdownReportWriter
{
    /// <summary>Writes <paramref name="report"/> as Markdown.</summary>
    public static void Write(AuditReport report, TextWriter output) => Write(report, output, ReportOptions.Default);

    /// <summary>Writes <paramref name="report"/> as Markdown; <paramref name="options"/> say where the task definitions were read from, for the fix command.</summary>
    public static void Write(AuditReport report, TextWriter output, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        output.WriteLine("## ECS role audit");
        output.WriteLine();
        var tally = ReportTally.Of(report.Reports);
        output.WriteLine(report.Reports.IsDefaultOrEmpty
            ? "No task definitions were audited."
            : $"{FindingFactory.Count(report.Reports.Length, "task definition")} audited: {tally.Describe()}.");
        foreach (var taskDefinition in report.Reports)
        {
            output.WriteLine();
            WriteTaskDefinition(taskDefinition, options.FixCommandFor(taskDefinition), output);
        }
    }

    private static void WriteTaskDefinition(TaskDefinitionReport report, string? fixCommand, TextWriter output)
    {
        var tally = ReportTally.Of([report]);
        var mark = report.HighestSeverity switch
        {
            null => "✅",
            >= Severity.High => "❌",
            _ => "⚠️",
        };
        output.WriteLine($"### {mark} {Escape(report.DisplayName)}: {tally.Describe()}");
        output.WriteLine();
        output.WriteLine($"Task role: {RoleText(report.TaskRoleArn)} · execution role: {RoleText(report.ExecutionRoleArn)}");
        if (report.Findings.IsDefaultOrEmpty)
        {
            return;
        }
        output.WriteLine();
        output.WriteLine("| # | Severity | Rule | Role | Source | Statement | Message |");
        output.WriteLine("| --: | --- | --- | --- | --- | --- | --- |");
        foreach (var (finding, number) in report.Findings.Select((f, i) => (f, i + 1)))
        {
            var severity = finding.Suppressed ? $"~~{finding.Severity.Name()}~~ suppressed" : $"**{finding.Severity.Name()}**";
            var message = Escape(finding.Message);
            if (finding.Conditional is { } conditional)
            {
                message += $"<br>Only when: {Escape(conditional)}";
            }
            if (finding.Suppressed)
            {
                message += $"<br>Suppressed: {Escape(finding.SuppressionReason ?? "no reason given")}";
            }
            string[] cells =
            [
                number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                severity,
                Escape(finding.RuleId),
                Escape(finding.RoleSlot.Name()),
                Escape(finding.Source.ToString()),
                Escape(finding.Statement ?? "—"),
                message,
            ];
            output.WriteLine($"| {string.Join(" | ", cells)} |");
        }
        output.WriteLine();
        output.WriteLine("**Remediation**");
        output.WriteLine();
        foreach (var (finding, number) in report.Findings.Select((f, i) => (f, i + 1)))
        {
            output.WriteLine($"{number}. {Escape(finding.RuleId)}: {Escape(finding.Remediation)}");
        }
        if (fixCommand is not null)
        {
            // A fenced block shows its text literally (no markup, no HTML) and copies whole; the command is one line, so no
            // line of it can close the fence, and control and bidi characters are visible escapes.
            output.WriteLine();
            output.WriteLine($"**{CommandLines.WriteExecutionRole}:**");
            output.WriteLine();
            output.WriteLine("```sh");
            output.WriteLine(TerminalText.Escape(fixCommand));
            output.WriteLine("```");
        }
    }

    private static string RoleText(string? value) => value is null ? "_none_" : Escape(value);

    /// <summary>
    /// Makes text literal inside a table cell or list item: Markdown punctuation is backslash-escaped, HTML-significant
    /// characters become entities, line breaks become <c>&lt;br&gt;</c> and other control and bidi characters visible
    /// escapes (<see cref="TerminalText"/>), so a policy name cannot break the table, inject markup into the comment or
    /// hide in the page text.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        var visible = string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(TerminalText.Escape));
        foreach (var c in visible)
        {
            switch (c)
            {
                case '\n':
                    escaped.Append("<br>");
                    break;
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '\\' or '|' or '`' or '*' or '_' or '[' or ']' or '~' or '#':
                    escaped.Append('\\').Append(c);
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }
}
