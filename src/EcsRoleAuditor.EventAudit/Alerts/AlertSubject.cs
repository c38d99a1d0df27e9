using System.Globalization;
using System.Text;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// The SNS Subject (the email subject): e.g. <c>[HIGH] 3 ECS role violations in web-api:42</c>. SNS accepts fewer than 100
/// characters of ASCII text without line breaks or control characters, starting with a letter, digit or punctuation.
/// </summary>
internal static class AlertSubject
{
    /// <summary>SNS's limit on the subject length: "less than 100 characters long" (SNS API Reference, Publish).</summary>
    public const int MaxLength = 99;

    /// <summary>The subject of the alert.</summary>
    public static string For(AlertView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var alert = view.Alert;
        var severity = alert.HighestSeverity.Name();
        var text = alert.Kind switch
        {
            // A step names itself ("account 444455556666 in eu-west-1"); "not audited" after it would cost SNS's 99 characters.
            AlertKind.Incomplete when !alert.Steps.IsEmpty => string.Create(CultureInfo.InvariantCulture, $"[{severity}] ECS role audit incomplete: {alert.NotAudited}"),
            AlertKind.Incomplete => string.Create(CultureInfo.InvariantCulture, $"[{severity}] ECS role audit incomplete: {alert.NotAudited} not audited"),
            AlertKind.Resolved when alert.FamilyGone => string.Create(CultureInfo.InvariantCulture, $"[RESOLVED] {FindingFactory.Count(view.TotalFindings, "ECS role violation")} closed: {alert.Family} has no ACTIVE revision"),
            AlertKind.Reminder => string.Create(CultureInfo.InvariantCulture, $"[{severity}] Reminder: {FindingFactory.Count(view.TotalFindings, "ECS role violation")} still open in {alert.TaskDefinitions}"),
            AlertKind.Resolved => string.Create(CultureInfo.InvariantCulture, $"[RESOLVED] {FindingFactory.Count(view.TotalFindings, "ECS role violation")} fixed in {alert.TaskDefinitions}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"[{severity}] {FindingFactory.Count(view.TotalFindings, "ECS role violation")} in {alert.TaskDefinitions}"),
        };
        return Sanitise(text);
    }

    /// <summary>Printable ASCII only, whitespace runs as one space, at most <see cref="MaxLength"/> characters (cut with "...").</summary>
    public static string Sanitise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var printable = char.IsWhiteSpace(c) || char.IsControl(c) ? ' ' : c is >= ' ' and <= '~' ? c : '?';
            if (printable != ' ' || (builder.Length > 0 && builder[^1] != ' '))
            {
                builder.Append(printable);
            }
        }
        var clean = builder.ToString().Trim();
        if (clean.Length == 0)
        {
            return "ecs-role-auditor alert";
        }
        return clean.Length <= MaxLength ? clean : string.Concat(clean.AsSpan(0, MaxLength - 3).TrimEnd(), "...");
    }
}
