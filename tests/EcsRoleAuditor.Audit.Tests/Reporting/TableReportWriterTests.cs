using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

public class TableReportWriterTests
{
    private const char Escape = '\u001b';

    private static string Table(AuditReport report, bool terminal = false, int width = 80) =>
        ReportSamples.Render(report, ReportFormat.Table, new ReportOptions { OutputIsTerminal = terminal, Width = width });

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    [Fact]
    public void Plain_output_has_no_escape_codes()
    {
        Assert.DoesNotContain(Escape, Table(ReportSamples.Mixed));
    }

    [Fact]
    public void Terminal_output_colours_severities()
    {
        var table = Table(ReportSamples.Mixed, terminal: true);
        Assert.Contains("\u001b[1;31mCRITICAL\u001b[0m", table, StringComparison.Ordinal);
        Assert.Contains("\u001b[31mHIGH\u001b[0m", table, StringComparison.Ordinal);
        // Suppressed findings are dimmed whatever their severity.
        Assert.Contains("\u001b[2mMEDIUM\u001b[0m", table, StringComparison.Ordinal);
        Assert.Contains("\u001b[90mINFO\u001b[0m", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_are_grouped_under_their_task_definition()
    {
        var lines = Lines(Table(ReportSamples.Mixed));
        var web = Array.FindIndex(lines, l => l.StartsWith("web:7", StringComparison.Ordinal));
        var worker = Array.IndexOf(lines, "worker");
        var api = Array.FindIndex(lines, l => l.StartsWith("api:2", StringComparison.Ordinal));
        Assert.True(web >= 0 && web < worker && worker < api);
        Assert.Equal(3, lines[web..worker].Count(l => l.StartsWith("  CRITICAL", StringComparison.Ordinal) || l.StartsWith("  HIGH", StringComparison.Ordinal) || l.StartsWith("  MEDIUM", StringComparison.Ordinal)));
        Assert.Contains("  INFO      ERA030 · task definition · task definition taskRoleArn", lines[worker..api]);
        Assert.Contains("  task role:      (none)", lines[worker..api]);
        Assert.Contains("  no findings", lines[api..]);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(120)]
    public void No_line_is_wider_than_the_width(int width)
    {
        var longArn = "arn:aws:s3:::" + new string('Q', 150) + "/*";
        var report = new AuditReport([ReportSamples.Web with
        {
            Findings = [ReportSamples.Admin with { Resources = [longArn], Message = string.Join(' ', Enumerable.Repeat("wordy", 60)) }],
        }]);
        var lines = Lines(Table(report, width: width));
        Assert.All(lines[..^1], line => Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}"));
        // Nothing is lost by wrapping: the long ARN is all there, split over lines.
        Assert.Equal(150, lines.Sum(l => l.Count(c => c == 'Q')));
    }

    [Fact]
    public void A_statement_in_the_fix_is_printed_whole_on_one_line_so_it_can_be_copied()
    {
        const string statement = """{"Sid":"Invoices","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::billing-invoices/*"}""";
        var report = new AuditReport([ReportSamples.Web with
        {
            Findings = [ReportSamples.Admin with { Remediation = "Move this statement to the task role web-task if the application needs it, otherwise delete it: " + statement }],
        }]);

        var lines = Lines(Table(report, width: 60));

        Assert.Contains(lines, l => l.EndsWith("  " + statement, StringComparison.Ordinal) && l.Trim() == statement);
        Assert.Contains(lines, l => l.TrimEnd().EndsWith("delete it:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_condition_inside_the_fix_is_printed_whole_between_the_wrapped_prose()
    {
        const string condition = """{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:*:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}""";
        var report = new AuditReport([ReportSamples.Web with
        {
            Findings = [ReportSamples.Admin with { Remediation = "Add \"Condition\":" + condition + " to statement #0 of the trust policy of legacy-reports." }],
        }]);

        var lines = Lines(Table(report, width: 60));

        var json = Array.FindIndex(lines, l => l.Trim() == condition);
        Assert.True(json > 0, "the condition is not on a line of its own");
        Assert.EndsWith("fix: Add \"Condition\":", lines[json - 1].TrimEnd(), StringComparison.Ordinal);
        Assert.StartsWith("to statement #0 of the trust policy", lines[json + 1].Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Add taskRoleArn if the application calls AWS.")]
    [InlineData("Scope it to {bucket} names, not all buckets.")]
    [InlineData("Replace `*` with [the actions] the application calls")]
    public void A_fix_without_a_trailing_json_value_is_wrapped_prose(string remediation)
    {
        var report = new AuditReport([ReportSamples.Web with { Findings = [ReportSamples.Admin with { Remediation = remediation }] }]);

        var fix = Lines(Table(report, width: 200)).Single(l => l.Contains("fix: ", StringComparison.Ordinal));

        Assert.EndsWith("fix: " + remediation, fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_lists_show_the_first_items_and_how_many_more()
    {
        var table = Table(ReportSamples.Mixed, width: 200);
        Assert.Contains("actions: s3:GetObjectVersion1, s3:GetObjectVersion2, s3:GetObjectVersion3, s3:GetObjectVersion4, s3:GetObjectVersion5 (+7 more)", table, StringComparison.Ordinal);
        Assert.DoesNotContain("s3:GetObjectVersion6", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Details_show_condition_suppression_and_fix()
    {
        var table = Table(ReportSamples.Mixed, width: 200);
        Assert.Contains("only when: aws:SourceVpce = vpce-1a2b3c", table, StringComparison.Ordinal);
        Assert.Contains("suppressed: tag ecs-role-auditor:suppress=ERA001 \"accepted by security, ticket SEC-42\"", table, StringComparison.Ordinal);
        Assert.Contains("fix: Replace `*` with the actions the application calls | nothing more.", table, StringComparison.Ordinal);
        Assert.Contains(ReportSamples.NonAscii, table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Control_characters_from_names_never_reach_the_terminal(bool terminal)
    {
        var hostile = ReportSamples.Admin with
        {
            Source = new FindingSource(SourceKind.InlinePolicy, "evil\u001b[2J\u0007name"),
            Message = "clears\u009b31mthe screen\r\nand rings",
        };
        var table = Table(new AuditReport([ReportSamples.Web with { Findings = [hostile] }]), terminal);
        Assert.DoesNotContain("\u001b[2J", table, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', table);
        Assert.DoesNotContain('\u009b', table);
        Assert.Contains(@"evil\x1b[2J\x07name", table, StringComparison.Ordinal);
        Assert.Contains(@"clears\x9b31mthe screen\r\nand rings", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_line_counts_every_severity_and_the_suppressed()
    {
        Assert.Equal("3 task definitions: 3 findings (1 CRITICAL, 1 HIGH, 0 MEDIUM, 0 LOW, 1 INFO), 1 suppressed", Lines(Table(ReportSamples.Mixed))[^1]);
    }

    [Fact]
    public void Clean_and_empty_reports_end_with_a_zero_summary()
    {
        Assert.Equal("1 task definition: 0 findings (0 CRITICAL, 0 HIGH, 0 MEDIUM, 0 LOW, 0 INFO)", Lines(Table(ReportSamples.Clean))[^1]);
        Assert.Equal(["0 task definitions: 0 findings (0 CRITICAL, 0 HIGH, 0 MEDIUM, 0 LOW, 0 INFO)"], Lines(Table(ReportSamples.Empty)));
    }

    [Fact]
    public void Surrogate_pairs_are_never_split_when_a_word_is_broken()
    {
        var rockets = string.Concat(Enumerable.Repeat("🚀", 60));
        var table = Table(new AuditReport([ReportSamples.Web with { Findings = [ReportSamples.Admin with { Message = rockets }] }]), width: 41);
        Assert.All(Lines(table), line => Assert.False(line.Length > 0 && char.IsHighSurrogate(line[^1]), line));
        Assert.Equal(60, table.Split("🚀").Length - 1);
    }

    [Fact]
    public void A_very_long_word_is_broken_into_every_piece_with_work_linear_in_its_length()
    {
        // A name of 200,000 characters: the quadratic wrap copied what remained of it for every line, about 450 MB.
        var name = string.Concat(Enumerable.Range(0, 200_000).Select(i => (char)('a' + (i % 26))));
        var report = new AuditReport([ReportSamples.Web with { Findings = [ReportSamples.Admin with { Message = name }] }]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var table = Table(report);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var pieces = Lines(table).Select(line => line.Trim()).Where(line => line.Length > 0 && name.Contains(line, StringComparison.Ordinal)).ToList();
        Assert.Equal(name, string.Concat(pieces));
        Assert.All(Lines(table), line => Assert.True(line.Length <= 80, line));
        Assert.True(allocated < 100L * name.Length, $"{allocated:N0} bytes allocated for a {name.Length:N0}-character name");
    }

    [Fact]
    public void Findings_without_actions_resources_or_condition_skip_those_lines()
    {
        var finding = ReportSamples.NoTaskRole;
        var table = Table(new AuditReport([ReportSamples.Worker with { Findings = ImmutableArray.Create(finding) }]));
        Assert.DoesNotContain("actions:", table, StringComparison.Ordinal);
        Assert.DoesNotContain("resources:", table, StringComparison.Ordinal);
        Assert.DoesNotContain("only when:", table, StringComparison.Ordinal);
    }
}
