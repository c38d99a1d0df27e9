using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Reporting.SecurityHub;

namespace EcsRoleAuditor.Audit.Tests.Reporting.SecurityHub;

/// <summary><c>--format asff</c>: one batch per line, each line a JSON array for <c>aws securityhub batch-import-findings --findings file://…</c>.</summary>
public sealed class AsffReportWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static ReportOptions Options(int perCall = 100) =>
        new() { ToolVersion = "1.2.3", ObservedAt = Now, SecurityHubLimits = new AsffImportLimits(perCall, 240 * 1024, 6 * 1024 * 1024) };

    private static List<JsonElement[]> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone().EnumerateArray().ToArray())];

    [Fact]
    public void Findings_above_info_are_written_suppressed_ones_included_one_batch_per_line()
    {
        var report = new AuditReport([ReportSamples.Web, ReportSamples.CleanApi]);

        var output = ReportSamples.Render(report, ReportFormat.Asff, Options());

        Assert.EndsWith("]\n", output, StringComparison.Ordinal);
        var line = Assert.Single(Lines(output));
        Assert.Equal(ReportSamples.Web.Findings.Select(f => FindingFingerprint.Of(ReportSamples.Web, f)), line.Select(f => f.GetProperty("Id").GetString()));
        Assert.All(line, f => Assert.Equal("2026-12-05T12:00:00.000Z", f.GetProperty("CreatedAt").GetString()));
        Assert.All(line, f => Assert.Equal("2026-12-05T12:00:00.000Z", f.GetProperty("UpdatedAt").GetString()));
        Assert.Equal(["NEW", "NEW", "SUPPRESSED"], line.Select(f => f.GetProperty("Workflow").GetProperty("Status").GetString()));
        Assert.All(line, f => Assert.Empty(SchemaFile.Asff.Errors(f.GetRawText())));
    }

    [Fact]
    public void Lines_split_at_the_per_call_limit()
    {
        var findings = Enumerable.Range(0, 5).Select(i => ReportSamples.Admin with { Statement = $"S{i}" }).ToImmutableArray();
        var report = new AuditReport([ReportSamples.Web with { Findings = findings }]);

        Assert.Equal([2, 2, 1], Lines(ReportSamples.Render(report, ReportFormat.Asff, Options(perCall: 2))).Select(l => l.Length));
    }

    [Fact]
    public void Revisions_of_one_family_write_each_finding_once_from_the_newest()
    {
        var revision9 = ReportSamples.Web with { TaskDefinitionArn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:9", Revision = 9 };
        var report = new AuditReport([ReportSamples.Web, revision9, ReportSamples.Web with { }]);

        var line = Assert.Single(Lines(ReportSamples.Render(report, ReportFormat.Asff, Options())));

        Assert.Equal(ReportSamples.Web.Findings.Length, line.Length);
        Assert.All(line, f => Assert.Equal(revision9.TaskDefinitionArn, f.GetProperty("Resources")[0].GetProperty("Id").GetString()));
    }

    [Fact]
    public void Info_findings_and_clean_reports_write_nothing()
    {
        var report = new AuditReport([ReportSamples.Web with { Findings = [ReportSamples.NoTaskRole] }, ReportSamples.CleanApi]);

        Assert.Equal("", ReportSamples.Render(report, ReportFormat.Asff, Options()));
    }

    [Fact]
    public void A_report_without_an_arn_fails_before_anything_is_written()
    {
        var worker = ReportSamples.Worker with { Findings = [ReportSamples.NoTaskRole with { Severity = Severity.Low }] };
        using var output = new StringWriter();

        var e = Assert.Throws<AsffMappingException>(() =>
            ReportWriters.Write(new AuditReport([ReportSamples.Web, worker]), ReportSamples.Rules, ReportFormat.Asff, output, Options()));

        Assert.Contains("worker", e.Message, StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void The_run_time_and_the_limits_must_be_given()
    {
        Assert.Throws<InvalidOperationException>(() => ReportSamples.Render(ReportSamples.Mixed, ReportFormat.Asff, new ReportOptions { SecurityHubLimits = Options().SecurityHubLimits }));
        Assert.Throws<InvalidOperationException>(() => ReportSamples.Render(ReportSamples.Mixed, ReportFormat.Asff, new ReportOptions { ObservedAt = Now }));
    }

    [Fact]
    public void The_format_is_named_asff()
    {
        Assert.Equal("asff", ReportFormat.Asff.Name());
        Assert.True(ReportFormatNames.TryParse(" ASFF ", out var format));
        Assert.Equal(ReportFormat.Asff, format);
    }
}
