namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>The output formats of an audit report, named as <c>--format</c> takes them.</summary>
public enum ReportFormat
{
    /// <summary>Grouped, optionally coloured text for a terminal (<c>table</c>).</summary>
    Table,
    /// <summary>The documented JSON contract (<c>json</c>), also the Lambda's alert body; see docs/report-format.md.</summary>
    Json,
    /// <summary>SARIF 2.1.0 for GitHub code scanning (<c>sarif</c>).</summary>
    Sarif,
    /// <summary>GitHub-flavoured Markdown for pull request comments (<c>markdown</c>).</summary>
    Markdown,
    /// <summary>AWS Security Finding Format for Security Hub (<c>asff</c>): one BatchImportFindings batch per line; see docs/security-hub.md.</summary>
    Asff,
}

/// <summary>Parsing and printing report format names (<c>table</c>, <c>json</c>, <c>sarif</c>, <c>markdown</c>, <c>asff</c>).</summary>
public static class ReportFormatNames
{
    /// <summary>The lower-case name as <c>--format</c> takes it.</summary>
    public static string Name(this ReportFormat format) => format switch
    {
        ReportFormat.Json => "json",
        ReportFormat.Sarif => "sarif",
        ReportFormat.Markdown => "markdown",
        ReportFormat.Asff => "asff",
        _ => "table",
    };

    /// <summary>Parses a format name, ignoring case and surrounding spaces; <c>md</c> is accepted for Markdown.</summary>
    public static bool TryParse(string? text, out ReportFormat format)
    {
        var trimmed = text?.Trim();
        foreach (var candidate in Enum.GetValues<ReportFormat>())
        {
            if (string.Equals(candidate.Name(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }
        format = ReportFormat.Markdown;
        return string.Equals(trimmed, "md", StringComparison.OrdinalIgnoreCase);
    }
}
