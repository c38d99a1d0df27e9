using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>Counts of active findings by severity and of suppressed findings, for summary lines.</summary>
public sealed class ReportTally
{
    private readonly ImmutableArray<int> _bySeverity;

    private ReportTally(ImmutableArray<int> bySeverity, int suppressed)
    {
        _bySeverity = bySeverity;
        Suppressed = suppressed;
    }

    /// <summary>The number of suppressed findings (not counted by severity).</summary>
    public int Suppressed { get; }

    /// <summary>The number of active (not suppressed) findings.</summary>
    public int Active => _bySeverity.Sum();

    /// <summary>The number of active findings of <paramref name="severity"/>.</summary>
    public int Count(Severity severity) => _bySeverity[(int)severity];

    /// <summary>Counts the findings of the given task definition reports.</summary>
    public static ReportTally Of(IEnumerable<TaskDefinitionReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var counts = new int[Enum.GetValues<Severity>().Length];
        var suppressed = 0;
        foreach (var finding in reports.SelectMany(r => r.Findings))
        {
            if (finding.Suppressed)
            {
                suppressed++;
            }
            else
            {
                counts[(int)finding.Severity]++;
            }
        }
        return new ReportTally([.. counts], suppressed);
    }

    /// <summary>
    /// E.g. <c>3 findings (1 CRITICAL, 2 LOW), 1 suppressed</c>, or <c>no findings</c>; severities with no finding are left
    /// out unless <paramref name="allSeverities"/> is set.
    /// </summary>
    public string Describe(bool allSeverities = false)
    {
        var bySeverity = Enum.GetValues<Severity>().Reverse()
            .Where(s => allSeverities || Count(s) > 0)
            .Select(s => $"{Count(s)} {s.Name()}");
        var text = Active == 0 && !allSeverities
            ? "no findings"
            : $"{FindingFactory.Count(Active, "finding")} ({string.Join(", ", bySeverity)})";
        return Suppressed == 0 ? text : $"{text}, {Suppressed} suppressed";
    }
}
