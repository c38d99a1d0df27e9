using System.Globalization;
using System.Text;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// The <c>email</c> body: plain text for an inbox. What is wrong, on which role and in which policy, the fix, the
/// console links for the task definition and its roles, and the <c>fix</c> command (with the policy it writes, when short)
/// when it settles an alerted finding.
/// </summary>
internal static class EmailBody
{
    private const int ListItemsShown = 10;

    /// <summary>Writes the body of <paramref name="view"/>.</summary>
    public static string For(AlertView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var text = new StringBuilder();
        var alert = view.Alert;
        text.AppendLine(CultureInfo.InvariantCulture, $"{AlertHeadline.For(view)}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Account {alert.Scope.AccountId}, region {alert.Scope.Region}.");
        foreach (var report in view.Reports)
        {
            text.AppendLine();
            if (alert.Steps.Contains(report.Family))
            {
                // A listing or a whole account: no task definition or role to link to.
                text.AppendLine(CultureInfo.InvariantCulture, $"Not audited: {report.DisplayName}");
                continue;
            }
            text.AppendLine(CultureInfo.InvariantCulture, $"Task definition {report.DisplayName}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {ConsoleLinks.TaskDefinition(alert.Scope, report.Family, report.Revision)}");
            AppendRole(text, alert.Scope, "Task role", report.TaskRoleArn);
            AppendRole(text, alert.Scope, "Execution role", report.ExecutionRoleArn);
        }
        var number = 0;
        foreach (var finding in view.ShownFindings)
        {
            text.AppendLine();
            AppendFinding(text, ++number, finding, alert.News?.Label(alert.Reports[0], finding));
        }
        foreach (var stored in view.ShownStored)
        {
            text.AppendLine();
            AppendStored(text, ++number, stored, alert.Kind == AlertKind.Resolved);
        }
        if (alert.Fix is { } fix)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{CommandLines.WriteExecutionRole}: {fix.Command}");
            if (fix.PolicyJson is { } policy)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"   Its policy, all the role needs: {policy}");
            }
        }
        text.AppendLine();
        foreach (var note in AlertNotes.For(view))
        {
            text.AppendLine(note);
        }
        text.AppendLine("--");
        text.AppendLine(CultureInfo.InvariantCulture, $"{ReportOptions.ToolName} {ReportOptions.Default.ToolVersion}");
        // Names and values come from input: a bidi override would make a role read as another in any mail client, and
        // control characters act in terminal mail readers. Each line is escaped; the body's own line ends stay.
        return string.Join('\n', text.ToString().Split('\n').Select(line => TerminalText.Escape(line.TrimEnd('\r'))));
    }

    private static void AppendRole(StringBuilder text, AlertScope scope, string label, string? role)
    {
        if (role is null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{label}: none");
            return;
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{label} {ConsoleLinks.RoleName(role)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {ConsoleLinks.Role(scope, role)}");
    }

    private static void AppendFinding(StringBuilder text, int number, Finding finding, string? label)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"{number}. [{finding.Severity.Name()}] {finding.RuleId} {finding.Rule.Title}{(label is null ? "" : " - " + label)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   What is wrong: {finding.Message}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   Role: {AlertWording.RoleOf(finding)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   Where: {finding.Location()}");
        if (!finding.Actions.IsEmpty)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"   Actions: {FindingFactory.Summarise(finding.Actions, ListItemsShown)}");
        }
        if (!finding.Resources.IsEmpty)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"   Resources: {FindingFactory.Summarise(finding.Resources, ListItemsShown)}");
        }
        if (finding.Conditional is { } condition)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"   Only when: {condition}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"   Fix: {finding.Remediation}");
    }

    // A stored finding's texts come from the store (a table, a state file a person may have edited): each is escaped
    // whole here, line breaks included, so none can start a line of its own in the body.
    private static void AppendStored(StringBuilder text, int number, StoredFinding finding, bool resolved)
    {
        var e = (Func<string, string>)TerminalText.Escape;
        text.AppendLine(CultureInfo.InvariantCulture, $"{number}. [{finding.Severity.Name()}] {e(finding.RuleId)} {AlertWording.Title(finding.RuleId)} - {(resolved ? "RESOLVED" : "STILL OPEN")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   {(resolved ? "Was" : "What is wrong")}: {e(finding.Message)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   Role: {e(AlertWording.RoleOf(finding.Slot, finding.RoleArn))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   Where: {e(finding.Source)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   Open since {finding.FirstSeen.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(finding.LastAlerted is { } alerted ? $", last alerted {alerted.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")}.");
    }
}
