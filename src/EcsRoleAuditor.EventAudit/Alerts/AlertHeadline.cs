using System.Globalization;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>The one-sentence summary that opens the email and titles the chat notification.</summary>
internal static class AlertHeadline
{
    /// <summary>e.g. <c>3 ECS role violations in task definition billing-worker:12 (highest: HIGH)</c>.</summary>
    public static string For(AlertView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var alert = view.Alert;
        var severity = alert.HighestSeverity.Name();
        return alert.Kind switch
        {
            AlertKind.Incomplete when !alert.Steps.IsEmpty => string.Create(CultureInfo.InvariantCulture,
                $"The ECS role audit is incomplete: nothing was checked for {alert.NotAudited} ({severity})"),
            AlertKind.Incomplete => string.Create(CultureInfo.InvariantCulture,
                $"The ECS role audit is incomplete: {FindingFactory.Count(alert.Reports.Length, "task definition")} {(alert.Reports.Length == 1 ? "was" : "were")} not audited ({severity})"),
            AlertKind.Resolved when alert.FamilyGone => string.Create(CultureInfo.InvariantCulture,
                $"{FindingFactory.Count(view.TotalFindings, "ECS role violation")} alerted earlier {(view.TotalFindings == 1 ? "is" : "are")} closed: task definition family {alert.Family} has no ACTIVE revision left (highest was: {severity})"),
            AlertKind.Reminder => string.Create(CultureInfo.InvariantCulture,
                $"{FindingFactory.Count(view.TotalFindings, "ECS role violation")} alerted earlier {(view.TotalFindings == 1 ? "is" : "are")} still open in task definition {alert.TaskDefinitions} (highest: {severity})"),
            AlertKind.Resolved => string.Create(CultureInfo.InvariantCulture,
                $"{FindingFactory.Count(view.TotalFindings, "ECS role violation")} alerted earlier {(view.TotalFindings == 1 ? "is" : "are")} resolved in task definition {alert.TaskDefinitions} (highest was: {severity})"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"{FindingFactory.Count(view.TotalFindings, "ECS role violation")} in task definition {alert.TaskDefinitions} (highest: {severity})"),
        };
    }
}
