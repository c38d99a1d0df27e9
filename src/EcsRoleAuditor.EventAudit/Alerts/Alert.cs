using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>What an alert is about.</summary>
internal enum AlertKind
{
    /// <summary>A task definition's roles violate the rules.</summary>
    Violations,
    /// <summary>Work the invocation could not finish (deadline, unreadable task definitions): ERA005.</summary>
    Incomplete,
}

/// <summary>
/// One alert: the task definition reports it covers, holding only the findings that are alerted (unsuppressed, at or
/// above MIN_SEVERITY), and where they live. A violations alert covers one task definition; an incomplete one may list many.
/// </summary>
/// <param name="Kind">Violations or audit incomplete.</param>
/// <param name="Reports">The reports, with the alerted findings only.</param>
/// <param name="Scope">Partition, region and account.</param>
internal sealed record Alert(AlertKind Kind, ImmutableArray<TaskDefinitionReport> Reports, AlertScope Scope)
{
    /// <summary>Every alerted finding, most severe first.</summary>
    public IEnumerable<Finding> Findings => Reports.SelectMany(r => r.Findings).OrderByDescending(f => f.Severity);

    /// <summary>The highest severity (INFO when there is no finding).</summary>
    public Severity HighestSeverity => Reports.SelectMany(r => r.Findings).Select(f => f.Severity).DefaultIfEmpty(Severity.Info).Max();

    /// <summary>The family of a single-task-definition alert; the families joined with commas otherwise.</summary>
    public string Family => string.Join(",", Reports.Select(r => r.Family).Distinct(StringComparer.Ordinal));

    /// <summary>The task definitions as <c>family:revision</c>, joined with commas.</summary>
    public string TaskDefinitions => string.Join(", ", Reports.Select(r => r.DisplayName));

    /// <summary>
    /// The alert for one audited task definition: its unsuppressed findings at or above <paramref name="minSeverity"/>,
    /// and those saying the audit is incomplete whatever their severity (an unreadable role is never silence); null
    /// when there is none (no alert).
    /// </summary>
    public static Alert? ForViolations(TaskDefinitionReport report, Severity minSeverity, AlertScope scope)
    {
        ArgumentNullException.ThrowIfNull(report);
        var alerted = report.ActiveFindings.Where(f => IsAlerted(f, minSeverity)).ToImmutableArray();
        return alerted.IsEmpty ? null : new Alert(AlertKind.Violations, [report with { Findings = alerted }], scope);
    }

    /// <summary>Whether an unsuppressed finding is alerted under <paramref name="minSeverity"/>.</summary>
    public static bool IsAlerted(Finding finding, Severity minSeverity)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Severity >= minSeverity || finding.Rule.MarksAuditIncomplete;
    }
}
