using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Tests;

public class SeverityTests
{
    [Theory]
    [InlineData("CRITICAL", Severity.Critical)]
    [InlineData("high", Severity.High)]
    [InlineData(" Medium ", Severity.Medium)]
    [InlineData("low", Severity.Low)]
    [InlineData("INFO", Severity.Info)]
    public void Severity_names_parse_ignoring_case(string text, Severity expected)
    {
        Assert.True(SeverityNames.TryParse(text, out var severity));
        Assert.Equal(expected, severity);
        Assert.Equal(expected.Name(), text.Trim().ToUpperInvariant());
    }

    [Theory]
    [InlineData("")]
    [InlineData("SEVERE")]
    [InlineData(null)]
    public void Unknown_severity_names_do_not_parse(string? text) => Assert.False(SeverityNames.TryParse(text, out _));

    [Fact]
    public void Severities_order_from_info_to_critical()
    {
        Assert.True(Severity.Critical > Severity.High);
        Assert.True(Severity.Low > Severity.Info);
    }
}
