using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// An alert as one message shows it: possibly shortened to fit SNS's size limit (the first findings, long action and
/// resource lists cut), with the counts of what was left out so every body can say so.
/// </summary>
/// <param name="Alert">The whole alert (counts and severity come from it).</param>
/// <param name="Reports">The reports with the findings shown.</param>
/// <param name="HiddenFindings">Findings left out.</param>
/// <param name="ListsShortened">True when some finding's actions or resources were cut.</param>
internal sealed record AlertView(Alert Alert, ImmutableArray<TaskDefinitionReport> Reports, int HiddenFindings, bool ListsShortened)
{
    /// <summary>All findings of the alert (or resolved findings of a notice), shown or not.</summary>
    public int TotalFindings => Alert.Count;

    /// <summary>The stored findings (resolved, or reminded of) shown, most severe first.</summary>
    public ImmutableArray<StoredFinding> ShownStored { get; init; } = Alert.Stored;

    /// <summary>The findings shown, most severe first.</summary>
    public IEnumerable<Finding> ShownFindings => Reports.SelectMany(r => r.Findings).OrderByDescending(f => f.Severity);

    /// <summary>The whole alert.</summary>
    public static AlertView Full(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertView(alert, alert.Reports, 0, false);
    }

    /// <summary>The alert with at most <paramref name="maxFindings"/> findings (the most severe) and lists cut to <paramref name="maxListItems"/>.</summary>
    public static AlertView Shortened(Alert alert, int maxFindings, int maxListItems)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var kept = alert.Findings.Take(maxFindings).ToHashSet();
        var shortened = false;
        Finding Cut(Finding finding)
        {
            if (finding.Actions.Length <= maxListItems && finding.Resources.Length <= maxListItems)
            {
                return finding;
            }
            shortened = true;
            return finding with { Actions = [.. finding.Actions.Take(maxListItems)], Resources = [.. finding.Resources.Take(maxListItems)] };
        }
        var reports = alert.Reports.Select(r => r with { Findings = [.. r.Findings.Where(kept.Contains).Select(Cut)] }).ToImmutableArray();
        var stored = alert.Stored.Take(maxFindings).ToImmutableArray();
        return new AlertView(alert, reports, alert.Count - kept.Count - stored.Length, shortened) { ShownStored = stored };
    }
}
