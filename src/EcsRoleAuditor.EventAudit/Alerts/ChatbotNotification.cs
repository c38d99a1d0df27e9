using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// The <c>https</c> body: an AWS Chatbot (Amazon Q Developer in chat applications) custom notification,
/// <c>{"version":"1.0","source":"custom","content":{"textType":"client-markdown","title","description","nextSteps","keywords"},"metadata":{...}}</c>,
/// which Chatbot renders in Slack with the channel's markdown.
/// </summary>
internal static class ChatbotNotification
{
    /// <summary>The description is cut to this many characters (a Slack section holds 3000).</summary>
    public const int MaxDescriptionLength = 3000;

    /// <summary>At most this many next steps and keywords.</summary>
    public const int MaxNextSteps = 5, MaxKeywords = 10;

    private const int MaxNextStepLength = 300;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The notification JSON for <paramref name="view"/>.</summary>
    public static string For(AlertView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var alert = view.Alert;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "1.0");
            writer.WriteString("source", "custom");
            writer.WriteStartObject("content");
            writer.WriteString("textType", "client-markdown");
            writer.WriteString("title", Visible($"{(alert.Kind == AlertKind.Resolved ? ":white_check_mark:" : Emoji(alert.HighestSeverity))} {AlertHeadline.For(view)}"));
            writer.WriteString("description", Visible(Description(view)));
            WriteArray(writer, "nextSteps", FixStep(alert).Concat(view.ShownFindings.Select(f => Visible(Cut(f.Remediation, MaxNextStepLength)))).Distinct(StringComparer.Ordinal).Take(MaxNextSteps));
            WriteArray(writer, "keywords", Keywords(alert).Take(MaxKeywords));
            writer.WriteEndObject();
            writer.WriteStartObject("metadata");
            // One thread per family keeps a family's alerts together in the channel.
            writer.WriteString("threadId", $"ecs-role-auditor/{alert.Family}");
            writer.WriteString("summary", Visible(AlertHeadline.For(view)));
            writer.WriteString("eventType", alert.Kind switch
            {
                AlertKind.Incomplete => "AuditIncomplete",
                AlertKind.Resolved => "RoleViolationsResolved",
                AlertKind.Reminder => "RoleViolationsStillOpen",
                _ => "RoleViolations",
            });
            WriteArray(writer, "relatedResources", alert.Reports.Select(r => r.TaskDefinitionArn ?? r.DisplayName));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The fix command first, in a code span so Slack shows it as typed. Only whole: a command cut short (or one whose code
    // span a backtick would end early) is not one to paste, and the email has it. The policy stays in the email: a next
    // step holds 300 characters.
    private static IEnumerable<string> FixStep(Alert alert)
    {
        if (alert.Fix is not { } fix || fix.Command.Contains('`', StringComparison.Ordinal))
        {
            yield break;
        }
        var step = Visible($"{CommandLines.WriteExecutionRole}: `{fix.Command}`");
        if (step.Length <= MaxNextStepLength)
        {
            yield return step;
        }
    }

    // Slack shows the decoded text: names from input must arrive with their control and invisible characters already
    // written as visible escapes, line by line so the description keeps its own line breaks.
    private static string Visible(string text) => string.Join('\n', text.Split('\n').Select(TerminalText.Escape));

    private static string Description(AlertView view)
    {
        var scope = view.Alert.Scope;
        var header = new StringBuilder();
        header.Append("Account `").Append(scope.AccountId).Append("`, region `").Append(scope.Region).Append("`\n");
        foreach (var report in view.Reports)
        {
            header.Append("Task definition: ").Append(ConsoleLinks.TaskDefinition(scope, report.Family, report.Revision)).Append('\n');
        }
        var lines = view.ShownFindings
            .Select(f => $"• *{f.Severity.Name()}* `{f.RuleId}` {AlertWording.RoleOf(f)}: {f.Message}{(view.Alert.News?.Label(view.Alert.Reports[0], f) is { } label ? $" _({label})_" : "")}")
            .Concat(view.ShownStored.Select(f => view.Alert.Kind == AlertKind.Resolved
                ? $"• ~{f.Severity.Name()}~ `{TerminalText.Escape(f.RuleId)}` {TerminalText.Escape(AlertWording.RoleOf(f.Slot, f.RoleArn))}: resolved ({TerminalText.Escape(f.Message)})"
                : $"• *{f.Severity.Name()}* `{TerminalText.Escape(f.RuleId)}` {TerminalText.Escape(AlertWording.RoleOf(f.Slot, f.RoleArn))}: {TerminalText.Escape(f.Message)} _(open since {f.FirstSeen.UtcDateTime:yyyy-MM-dd})_"))
            .ToList();
        var notes = string.Join("\n", AlertNotes.For(view).Select(n => $"_{n}_"));
        // Whole lines only: drop findings from the end until the description fits, and say how many were dropped.
        for (var shown = lines.Count; shown >= 0; shown--)
        {
            var dropped = lines.Count - shown;
            var more = dropped > 0 ? $"\n_…and {FindingFactory.Count(dropped, "more finding")} in the email and the log._" : "";
            var text = $"{header}{string.Join("\n", lines.Take(shown))}{more}\n{notes}";
            if (text.Length <= MaxDescriptionLength)
            {
                return text;
            }
        }
        return Cut(header.ToString(), MaxDescriptionLength);
    }

    private static IEnumerable<string> Keywords(Alert alert) =>
        new[] { alert.HighestSeverity.Name() }
            .Concat(alert.Reports.Select(r => r.Family))
            .Concat(alert.RuleIds)
            .Distinct(StringComparer.Ordinal);

    private static string Emoji(Severity severity) => severity switch
    {
        Severity.Critical => ":rotating_light:",
        Severity.High => ":red_circle:",
        Severity.Medium => ":large_orange_circle:",
        _ => ":large_blue_circle:",
    };

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
