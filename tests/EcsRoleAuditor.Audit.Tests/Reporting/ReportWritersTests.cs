using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

public class ReportWritersTests
{
    [Theory]
    [InlineData(ReportFormat.Json, "\"schemaVersion\": 1")]
    [InlineData(ReportFormat.Sarif, "\"version\": \"2.1.0\"")]
    [InlineData(ReportFormat.Markdown, "## ECS role audit")]
    [InlineData(ReportFormat.Table, "3 task definitions: ")]
    public void Write_dispatches_to_the_format(ReportFormat format, string marker)
    {
        Assert.Contains(marker, ReportSamples.Render(ReportSamples.Mixed, format), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_without_options_uses_the_defaults()
    {
        using var output = new StringWriter();
        ReportWriters.Write(ReportSamples.Mixed, ReportSamples.Rules, ReportFormat.Table, output);
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void Default_tool_version_is_a_version_number()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", ReportOptions.Default.ToolVersion);
        Assert.DoesNotContain('+', ReportOptions.Default.ToolVersion);
    }

    [Theory]
    [InlineData("json", ReportFormat.Json)]
    [InlineData(" SARIF ", ReportFormat.Sarif)]
    [InlineData("Markdown", ReportFormat.Markdown)]
    [InlineData("md", ReportFormat.Markdown)]
    [InlineData("table", ReportFormat.Table)]
    public void Format_names_parse_ignoring_case(string text, ReportFormat expected)
    {
        Assert.True(ReportFormatNames.TryParse(text, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("")]
    [InlineData("html")]
    [InlineData(null)]
    public void Unknown_format_names_do_not_parse(string? text) => Assert.False(ReportFormatNames.TryParse(text, out _));

    [Fact]
    public void Every_format_has_a_name_that_parses_back()
    {
        foreach (var format in Enum.GetValues<ReportFormat>())
        {
            Assert.True(ReportFormatNames.TryParse(format.Name(), out var parsed));
            Assert.Equal(format, parsed);
        }
    }
}
