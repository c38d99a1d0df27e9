using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

public class MarkdownReportWriterTests
{
    private static string Markdown(string reportName = "Mixed") => ReportSamples.Render(ReportSamples.Named(reportName), ReportFormat.Markdown);

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    private static string[] TableRows(string markdown) => [.. Lines(markdown).Where(l => l.StartsWith("| ", StringComparison.Ordinal))];

    /// <summary>Cell separators: pipes not preceded by a backslash.</summary>
    private static int UnescapedPipes(string row) => Regex.Count(row, @"(?<!\\)\|");

    [Fact]
    public void Each_task_definition_gets_a_summary_heading()
    {
        var headings = Lines(Markdown()).Where(l => l.StartsWith("### ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, headings.Count);
        Assert.Equal("### ❌ web:7: 2 findings (1 CRITICAL, 1 HIGH), 1 suppressed", headings[0]);
        Assert.StartsWith("### ⚠️ worker: 1 finding (1 INFO)", headings[1], StringComparison.Ordinal);
        Assert.Equal("### ✅ api:2: no findings", headings[2]);
    }

    [Fact]
    public void Overall_summary_counts_task_definitions_and_findings()
    {
        Assert.Contains("3 task definitions audited: 3 findings (1 CRITICAL, 1 HIGH, 1 INFO), 1 suppressed.", Markdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_table_row_has_seven_cells_whatever_the_text_contains()
    {
        var rows = TableRows(Markdown());
        // Two header rows per table (web, worker) plus one row per finding (3 + 1).
        Assert.Equal(2 * 2 + 4, rows.Length);
        Assert.All(rows, row => Assert.Equal(8, UnescapedPipes(row)));
    }

    [Fact]
    public void Pipes_backticks_and_angle_brackets_in_cells_are_escaped()
    {
        var adminRow = TableRows(Markdown()).Single(r => r.Contains("AllowEverything", StringComparison.Ordinal));
        Assert.Contains(@"pipe\|tick\`quote""apos'&lt;lt&gt;gt", adminRow, StringComparison.Ordinal);
        Assert.Contains(ReportSamples.NonAscii, adminRow, StringComparison.Ordinal);
        Assert.DoesNotContain("<lt>", adminRow, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a|b", @"a\|b")]
    [InlineData("`code`", @"\`code\`")]
    [InlineData("s3:*", @"s3:\*")]
    [InlineData("<script>&", "&lt;script&gt;&amp;")]
    [InlineData("line one\nline two", "line one<br>line two")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("für 日本", "für 日本")]
    public void Escaping_makes_text_literal(string text, string expected)
    {
        Assert.Equal(expected, MarkdownReportWriter.Escape(text));
    }

    [Fact]
    public void Suppressed_and_conditional_findings_say_so_in_their_row()
    {
        var rows = TableRows(Markdown());
        var suppressed = rows.Single(r => r.Contains("ReadOnlyAccess", StringComparison.Ordinal));
        Assert.Contains("~~MEDIUM~~ suppressed", suppressed, StringComparison.Ordinal);
        Assert.Contains("Suppressed: tag ecs-role-auditor:suppress=ERA001", suppressed, StringComparison.Ordinal);
        var conditional = rows.Single(r => r.Contains("SecretsRead", StringComparison.Ordinal));
        Assert.Contains("Only when: aws:SourceVpce = vpce-1a2b3c", conditional, StringComparison.Ordinal);
    }

    [Fact]
    public void Remediation_follows_the_table_numbered_like_its_rows()
    {
        var lines = Lines(Markdown());
        var remediation = Array.IndexOf(lines, "**Remediation**");
        var lastRow = Array.FindLastIndex(lines, remediation, l => l.StartsWith("| ", StringComparison.Ordinal));
        Assert.True(lastRow >= 0 && lastRow < remediation);
        Assert.Equal(@"1. ERA001: Replace \`\*\` with the actions the application calls \| nothing more.", lines[remediation + 2]);
        Assert.StartsWith("3. ERA001: Attach a policy", lines[remediation + 4], StringComparison.Ordinal);
    }

    [Fact]
    public void Role_less_task_definition_says_none()
    {
        Assert.Contains("Task role: _none_ · execution role: ecsTaskExecutionRole", Markdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_report_has_no_table()
    {
        var markdown = Markdown("Clean");
        Assert.Empty(TableRows(markdown));
        Assert.Contains("1 task definition audited: no findings.", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Remediation", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_report_says_nothing_was_audited()
    {
        Assert.Contains("No task definitions were audited.", Markdown("Empty"), StringComparison.Ordinal);
    }
}
