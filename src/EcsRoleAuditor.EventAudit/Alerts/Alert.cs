using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>What an alert is about.</summary>
internal enum AlertKind
{
    /// <summary>A task definition's roles violate the rules.</summary>
    Violations,
    /// <summary>Work the invocation could not finish (deadline, unreadable task definitions): ERA005.</summary>
    Incomplete,
    /// <summary>Findings alerted earlier that a newer audit no longer shows (findings store only).</summary>
    Resolved,
    /// <summary>Findings alerted earlier and still open after REMIND_AFTER_DAYS (findings store only).</summary>
    Reminder,
}

/// <summary>
/// What the findings store knows about an alert's findings: why each is alerted (by fingerprint) and how many findings
/// alerted earlier stay open without being repeated.
/// </summary>
/// <param name="Reasons">New, reopened or severity rose, with the record before, by fingerprint.</param>
/// <param name="StillOpen">Findings of the task definition alerted before and still open.</param>
internal sealed record AlertNews(ImmutableDictionary<string, AlertedFinding> Reasons, int StillOpen)
{
    /// <summary>The words after a finding's title, e.g. <c>NEW</c> or <c>SEVERITY ROSE (alerted as MEDIUM)</c>; null when the store did not alert it.</summary>
    public string? Label(TaskDefinitionReport report, Finding finding) =>
        Reasons.GetValueOrDefault(FindingFingerprint.Of(report, finding)) switch
        {
            null => null,
            { Reason: AlertReason.Reopened, Before.ResolvedAt: { } resolved } => $"REOPENED (resolved {resolved.UtcDateTime:yyyy-MM-dd})",
            { Reason: AlertReason.Reopened } => "REOPENED",
            { Reason: AlertReason.SeverityRose, Before.AlertedSeverity: { } was } => $"SEVERITY ROSE (alerted as {was.Name()})",
            { Reason: AlertReason.SeverityRose } => "SEVERITY ROSE",
            _ => "NEW",
        };
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
    /// <summary>Why the store alerts each finding; null without a store.</summary>
    public AlertNews? News { get; init; }

    /// <summary>The fix command (and the short policy it writes) when it settles an alerted finding; null otherwise.</summary>
    public AlertFix? Fix { get; init; }

    /// <summary>True for a resolved notice closing the findings of a family without ACTIVE task definitions.</summary>
    public bool FamilyGone { get; init; }

    /// <summary>What a resolved notice or a reminder names, as the store holds it (empty for other kinds), most severe first.</summary>
    public ImmutableArray<StoredFinding> Stored { get; init; } = [];

    /// <summary>
    /// Which of an incomplete alert's reports stand for a part of the audit rather than one task definition (a listing,
    /// a member account in a region), by name; empty for other kinds.
    /// </summary>
    public ImmutableArray<string> Steps { get; init; } = [];

    /// <summary>
    /// What an incomplete alert did not audit: its steps by name, then a count of its task definitions, e.g.
    /// <c>account 444455556666 in eu-west-1</c> or <c>2 task definitions</c>. An account that could not be read is
    /// not "1 task definition": every task definition in it went unaudited.
    /// </summary>
    public string NotAudited
    {
        get
        {
            var taskDefinitions = Reports.Length - Steps.Length;
            var counted = taskDefinitions > 0 || Steps.IsEmpty ? FindingFactory.Count(taskDefinitions, "task definition") : null;
            return string.Join(" and ", new[] { string.Join(", ", Steps), counted }.Where(part => !string.IsNullOrEmpty(part)));
        }
    }

    /// <summary>Every alerted finding, most severe first.</summary>
    public IEnumerable<Finding> Findings => Reports.SelectMany(r => r.Findings).OrderByDescending(f => f.Severity);

    /// <summary>The findings alerted or announced: what the counts count.</summary>
    public int Count => Reports.Sum(r => r.Findings.Length) + Stored.Length;

    /// <summary>The highest severity (INFO when there is no finding).</summary>
    public Severity HighestSeverity => Reports.SelectMany(r => r.Findings).Select(f => f.Severity).Concat(Stored.Select(f => f.Severity)).DefaultIfEmpty(Severity.Info).Max();

    /// <summary>The rule IDs alerted or announced, sorted.</summary>
    public IEnumerable<string> RuleIds => Findings.Select(f => f.RuleId).Concat(Stored.Select(f => f.RuleId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

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

    /// <summary>
    /// The alert of what the findings store decided for one report: the findings it alerts, labelled with why; null when
    /// it alerts none (still open and alerted earlier, or alerted by a concurrent invocation).
    /// </summary>
    public static Alert? ForNews(TaskDefinitionReport report, LedgerEntry entry, AlertScope scope)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.ToAlert.IsEmpty)
        {
            return null;
        }
        return new Alert(AlertKind.Violations, [report with { Findings = [.. entry.ToAlert.Select(a => a.Finding)] }], scope)
        {
            News = new AlertNews(entry.ToAlert.ToImmutableDictionary(a => a.Fingerprint, StringComparer.Ordinal), entry.StillOpen.Length),
        };
    }

    /// <summary>The notice that findings alerted earlier are gone in <paramref name="report"/>; null when there is none.</summary>
    public static Alert? ForResolved(TaskDefinitionReport report, LedgerEntry entry, AlertScope scope)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(entry);
        return OfStored(AlertKind.Resolved, report, entry.ToAnnounce, scope);
    }

    /// <summary>The reminder of what stays open in <paramref name="report"/>'s family; null when there is none.</summary>
    public static Alert? ForReminder(TaskDefinitionReport report, LedgerEntry entry, AlertScope scope)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(entry);
        return OfStored(AlertKind.Reminder, report, entry.ToRemind, scope);
    }

    private static Alert? OfStored(AlertKind kind, TaskDefinitionReport report, ImmutableArray<StoredFinding> findings, AlertScope scope) =>
        findings.IsEmpty ? null
            : new Alert(kind, [report with { Findings = [] }], scope) { Stored = [.. findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal)] };

    /// <summary>Whether an unsuppressed finding is alerted under <paramref name="minSeverity"/>.</summary>
    public static bool IsAlerted(Finding finding, Severity minSeverity)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Severity >= minSeverity || finding.Rule.MarksAuditIncomplete;
    }
}
