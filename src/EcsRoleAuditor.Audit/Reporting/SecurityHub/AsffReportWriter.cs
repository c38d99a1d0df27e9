using System.Text;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Reporting.SecurityHub;

/// <summary>
/// <c>--format asff</c>: the report's findings as ASFF, one BatchImportFindings call per line, each line a JSON array
/// that <c>aws securityhub batch-import-findings --findings file://batch.json</c> takes as it is. Findings above INFO
/// (<see cref="AsffFindingWriter.IsImported"/>), suppressed ones included with their workflow SUPPRESSED, one per
/// <c>Id</c> (the newest revision's when several revisions of a family are audited). A run that
/// keeps no store sees every finding first at <see cref="ReportOptions.ObservedAt"/>.
/// </summary>
public static class AsffReportWriter
{
    /// <summary>Writes the batches of <paramref name="report"/>; nothing when no finding is imported.</summary>
    /// <exception cref="AsffMappingException">A task definition with findings to import has no ARN (nothing is written then).</exception>
    /// <exception cref="InvalidOperationException">The options lack <see cref="ReportOptions.ObservedAt"/> or <see cref="ReportOptions.SecurityHubLimits"/>.</exception>
    public static void Write(AuditReport report, TextWriter output, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var now = options.ObservedAt ?? throw new InvalidOperationException("--format asff needs the run's time (ReportOptions.ObservedAt)");
        var limits = options.SecurityHubLimits ?? throw new InvalidOperationException("--format asff needs Security Hub's limits (ReportOptions.SecurityHubLimits)");
        var times = AsffTimes.SeenOnlyAt(now);
        // Every finding is written before anything is printed, so a report that cannot map leaves no partial output.
        // Revisions of one family share their findings' ids; Security Hub keeps one finding per id, so the newest
        // revision's is written (the first audited among equals).
        var findings = report.Reports
            .SelectMany(r => r.Findings.Where(AsffFindingWriter.IsImported).Select(f => (r.Revision, Finding: AsffFindingWriter.Active(r, f, times, options.ToolVersion))))
            .GroupBy(x => x.Finding.Id, StringComparer.Ordinal)
            .Select(g => g.MaxBy(x => x.Revision ?? 0).Finding)
            .ToList();
        foreach (var batch in AsffBatches.Split(findings, limits))
        {
            var line = new StringBuilder("[");
            for (var i = 0; i < batch.Count; i++)
            {
                line.Append(i == 0 ? "" : ",").Append(Encoding.UTF8.GetString(batch[i].Json.Span));
            }
            output.Write(line.Append(']').Append('\n'));
        }
    }
}
