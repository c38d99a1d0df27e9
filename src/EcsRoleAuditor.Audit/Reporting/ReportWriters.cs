using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>The one entry point the CLI and the Lambda call to print an audit report in a chosen format.</summary>
public static class ReportWriters
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/> in <paramref name="format"/>.</summary>
    /// <param name="report">The audit result.</param>
    /// <param name="rules">The descriptors of the rules that ran (SARIF lists them; other formats ignore them).</param>
    /// <param name="format">The output format.</param>
    /// <param name="output">Where to write; the caller owns and flushes it.</param>
    /// <param name="options">Tool identity, terminal facts and source files; <see cref="ReportOptions.Default"/> when null.</param>
    public static void Write(AuditReport report, IReadOnlyList<RuleDescriptor> rules, ReportFormat format, TextWriter output, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        options ??= ReportOptions.Default;
        switch (format)
        {
            case ReportFormat.Json:
                JsonReportWriter.Write(report, output, options);
                break;
            case ReportFormat.Sarif:
                SarifReportWriter.Write(report, rules, output, options);
                break;
            case ReportFormat.Asff:
                SecurityHub.AsffReportWriter.Write(report, output, options);
                break;
            case ReportFormat.Markdown:
                MarkdownReportWriter.Write(report, output, options);
                break;
            default:
                TableReportWriter.Write(report, output, options);
                break;
        }
    }
}
