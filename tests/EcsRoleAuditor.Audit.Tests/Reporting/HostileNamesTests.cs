using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

/// <summary>Names and values from input holding terminal controls and bidi overrides, through every report format.</summary>
public class HostileNamesTests
{
    private const string Hostile = "esc\u001b[31mred bel\u0007 nul\u0000 cr\rlf\nline \u202egnp.exe \u2066iso\u2069 c1\u009b2J del\u007f";

    private static readonly Finding Finding = ReportSamples.Admin with
    {
        RoleArn = "arn:aws:iam::123456789012:role/" + Hostile,
        Source = new FindingSource(SourceKind.InlinePolicy, "policy " + Hostile),
        Statement = "sid " + Hostile,
        Conditional = "condition " + Hostile,
        Suppressed = true,
        SuppressionReason = "reason " + Hostile,
    };

    private static readonly AuditReport Report = new([
        ReportSamples.Web with
        {
            Family = "family " + Hostile,
            TaskDefinitionArn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/" + Hostile + ":7",
            TaskRoleArn = Finding.RoleArn,
            Findings = [Finding],
        }]);

    /// <summary>Control characters other than the line feed that ends a line, and the bidi formatting characters.</summary>
    private static bool IsHidden(char c) => (char.IsControl(c) && c != '\n') || c is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f' or '\u061c';

    public static TheoryData<ReportFormat> Formats => [ReportFormat.Table, ReportFormat.Json, ReportFormat.Sarif, ReportFormat.Markdown];

    [Theory]
    [MemberData(nameof(Formats))]
    public void No_control_or_bidi_character_from_a_name_reaches_the_output(ReportFormat format)
    {
        var output = ReportSamples.Render(Report, format);

        var hidden = output.Where(IsHidden).Select(c => $"U+{(int)c:X4}").ToList();
        Assert.True(hidden.Count == 0, $"raw {string.Join(", ", hidden.Distinct())} in {format} output");
    }

    [Theory]
    [InlineData(ReportFormat.Table)]
    [InlineData(ReportFormat.Markdown)]
    public void Text_formats_show_what_was_hidden_as_escapes(ReportFormat format)
    {
        var output = ReportSamples.Render(Report, format);

        // Markdown escapes the backslash of the escape so that it renders as one.
        var backslash = format == ReportFormat.Markdown ? @"\\" : @"\";
        Assert.Contains($"{backslash}x1b", output, StringComparison.Ordinal);
        Assert.Contains($"{backslash}u202egnp.exe", output, StringComparison.Ordinal);
        Assert.Contains($"{backslash}x07", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_keeps_every_hostile_value_exactly()
    {
        using var document = JsonDocument.Parse(ReportSamples.Render(Report, ReportFormat.Json));

        var report = document.RootElement.GetProperty("reports")[0];
        Assert.Equal(Report.Reports[0].Family, report.GetProperty("family").GetString());
        Assert.Equal(Report.Reports[0].TaskDefinitionArn, report.GetProperty("taskDefinitionArn").GetString());
        var finding = report.GetProperty("findings")[0];
        Assert.Equal(Finding.RoleArn, finding.GetProperty("roleArn").GetString());
        Assert.Equal(Finding.Source.Name, finding.GetProperty("source").GetProperty("name").GetString());
        Assert.Equal(Finding.Statement, finding.GetProperty("statement").GetString());
        Assert.Equal(Finding.Conditional, finding.GetProperty("conditional").GetString());
        Assert.Equal(Finding.SuppressionReason, finding.GetProperty("suppressionReason").GetString());
    }

    [Fact]
    public void Sarif_log_keeps_every_hostile_value_exactly()
    {
        using var document = JsonDocument.Parse(ReportSamples.Render(Report, ReportFormat.Sarif));

        var result = document.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal(Finding.SuppressionReason, result.GetProperty("suppressions")[0].GetProperty("justification").GetString());
        Assert.Equal(Finding.Statement, result.GetProperty("properties").GetProperty("statement").GetString());
        Assert.Equal(Finding.RoleArn, result.GetProperty("locations")[0].GetProperty("logicalLocations")[1].GetProperty("fullyQualifiedName").GetString());
        Assert.Equal(Report.Reports[0].TaskDefinitionArn, result.GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString());
    }
}
