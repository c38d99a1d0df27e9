using System.Globalization;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>The closing notes every body carries: what was left out of the message and where to find it.</summary>
internal static class AlertNotes
{
    public static IEnumerable<string> For(AlertView view)
    {
        if (view.HiddenFindings > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{FindingFactory.Count(view.HiddenFindings, "more finding")} {(view.HiddenFindings == 1 ? "is" : "are")} not shown: the message would exceed SNS's 256 KB limit. The function's log has every finding.");
        }
        if (view.ListsShortened)
        {
            yield return "Long action and resource lists are cut in this message; the function's log has them in full.";
        }
        if (view.Alert.News is { StillOpen: > 0 } news)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{FindingFactory.Count(news.StillOpen, "finding")} alerted earlier {(news.StillOpen == 1 ? "is" : "are")} still open in this task definition and not repeated here; the function's log lists {(news.StillOpen == 1 ? "it" : "them")}.");
        }
        yield return view.Alert.Kind switch
        {
            AlertKind.Incomplete => "An incomplete audit is not a clean pass: give the function what it lacked (time, read access) and it audits again on the next event or sweep.",
            AlertKind.Resolved when view.Alert.FamilyGone => "The sweep lists no ACTIVE task definition of this family. An INACTIVE revision cannot run new tasks or create services, but tasks and services already using it keep running and such services can still scale: if any do, their roles still matter, and the auditor no longer watches them. The findings open again if a revision with them is registered.",
            AlertKind.Reminder => "A reminder: REMIND_AFTER_DAYS have passed since these were last alerted and the newest audit still shows them. Fix or suppress them to stop it; the first alert had the fix, and so does ecs-role-auditor audit --live --task-definition for this task definition.",
            AlertKind.Resolved => "A complete audit of this task definition no longer shows these findings. Nothing to do; they are alerted again if they return.",
            _ => view.Alert.News is null
                ? "Suppressed findings and findings below MIN_SEVERITY are not alerted; the function's log lists them."
                : "Each finding is alerted once: again only if its severity rises or it returns after being resolved. Suppressed findings and findings below MIN_SEVERITY are not alerted; the function's log lists them.",
        };
    }
}
