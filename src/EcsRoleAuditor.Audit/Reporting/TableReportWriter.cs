using System.Text;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>
/// Writes the terminal view: per task definition its roles and one block per finding (severity, rule, role slot,
/// source; then message, actions, resources, condition and fix, wrapped to the width), the <c>fix</c> command when it
/// settles one of the findings (<see cref="FixCoverage"/>), then a summary line. Severities
/// are coloured only when <see cref="ReportOptions.OutputIsTerminal"/> is set.
/// </summary>
public static class TableReportWriter
{
    private const int SeverityColumn = 8; // "CRITICAL"
    private const string FindingIndent = "  ";
    private static readonly string DetailIndent = new(' ', FindingIndent.Length + SeverityColumn + 2);
    private const int MaxListedItems = 5;
    private const int MinimumWidth = 40;

    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";
    private const string Dim = "\u001b[2m";

    /// <summary>Writes <paramref name="report"/> as text for a terminal.</summary>
    public static void Write(AuditReport report, TextWriter output, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var layout = new Layout(Math.Max(options.Width, MinimumWidth), options.OutputIsTerminal, output);
        foreach (var taskDefinition in report.Reports)
        {
            WriteTaskDefinition(taskDefinition, options.FixCommandFor(taskDefinition), layout);
            output.WriteLine();
        }
        var tally = ReportTally.Of(report.Reports);
        var summary = $"{FindingFactory.Count(report.Reports.Length, "task definition")}: {tally.Describe(allSeverities: true)}";
        output.WriteLine(layout.Style(Bold, summary));
    }

    private static void WriteTaskDefinition(TaskDefinitionReport report, string? fixCommand, Layout layout)
    {
        var title = report.TaskDefinitionArn is { } arn ? $"{report.DisplayName}  {arn}" : report.DisplayName;
        layout.Line(layout.Style(Bold, Layout.Fit(TerminalText.Escape(title), layout.Width)));
        layout.Line(Layout.Fit($"  task role:      {TerminalText.Escape(report.TaskRoleArn ?? "(none)")}", layout.Width));
        layout.Line(Layout.Fit($"  execution role: {TerminalText.Escape(report.ExecutionRoleArn ?? "(none)")}", layout.Width));
        if (report.Findings.IsDefaultOrEmpty)
        {
            layout.Line("  no findings");
            return;
        }
        foreach (var finding in report.Findings)
        {
            WriteFinding(finding, layout);
        }
        if (fixCommand is not null)
        {
            // Once per task definition, after the findings it settles; the command on a line of its own, never wrapped, to be copied.
            layout.Line($"{FindingIndent}{CommandLines.WriteExecutionRole}:");
            layout.Line($"{FindingIndent}  {TerminalText.Escape(fixCommand)}");
        }
    }

    private static void WriteFinding(Finding finding, Layout layout)
    {
        var name = finding.Severity.Name();
        var heading = TerminalText.Escape($"{finding.RuleId} · {RoleLabel(finding.RoleSlot)} · {finding.Location()}");
        var colour = finding.Suppressed ? Dim : SeverityColour(finding.Severity);
        // The heading wraps rather than being cut: the statement at its end is what the reader has to find.
        List<string> headingLines = [.. Layout.Wrap(heading, layout.Width - DetailIndent.Length).DefaultIfEmpty("")];
        layout.Line($"{FindingIndent}{layout.Style(colour, name)}{new string(' ', SeverityColumn - name.Length)}  {headingLines[0]}");
        foreach (var continuation in headingLines.Skip(1))
        {
            layout.Line(DetailIndent + continuation);
        }
        if (finding.Suppressed)
        {
            layout.Detail("suppressed: ", finding.SuppressionReason ?? "no reason given");
        }
        layout.Detail("", finding.Message);
        if (!finding.Actions.IsDefaultOrEmpty)
        {
            layout.Detail("actions: ", ListText(finding.Actions));
        }
        if (!finding.Resources.IsDefaultOrEmpty)
        {
            layout.Detail("resources: ", ListText(finding.Resources));
        }
        if (finding.Conditional is { } conditional)
        {
            layout.Detail("only when: ", conditional);
        }
        // A policy statement or condition in the fix is printed whole on its own line: wrapped JSON cannot be copied
        // into a policy.
        var (advice, json, rest) = Layout.SplitJson(finding.Remediation);
        layout.Detail("fix: ", advice);
        if (json is not null)
        {
            layout.Line(DetailIndent + "  " + TerminalText.Escape(json));
        }
        if (!string.IsNullOrWhiteSpace(rest))
        {
            layout.Detail("", rest);
        }
    }

    /// <summary>The first few items and how many more, so a wildcard expanded to hundreds of actions stays one line or two.</summary>
    private static string ListText(IReadOnlyList<string> items) =>
        items.Count <= MaxListedItems
            ? string.Join(", ", items)
            : $"{string.Join(", ", items.Take(MaxListedItems))} (+{items.Count - MaxListedItems} more)";

    private static string RoleLabel(RoleSlot slot) => slot switch
    {
        RoleSlot.Task => "task role",
        RoleSlot.Execution => "execution role",
        _ => "task definition",
    };

    private static string SeverityColour(Severity severity) => severity switch
    {
        Severity.Critical => "\u001b[1;31m",
        Severity.High => "\u001b[31m",
        Severity.Medium => "\u001b[33m",
        Severity.Low => "\u001b[36m",
        _ => "\u001b[90m",
    };

    private sealed class Layout(int width, bool colour, TextWriter output)
    {
        public int Width { get; } = width;

        public void Line(string text) => output.WriteLine(text);

        public string Style(string code, string text) => colour ? code + text + Reset : text;

        /// <summary>Writes a labelled detail, word-wrapped under the finding's heading; names and messages come from IAM
        /// and task definitions, so they are escaped before they reach the terminal.</summary>
        public void Detail(string label, string text)
        {
            foreach (var line in Wrap(label + TerminalText.Escape(text), Width - DetailIndent.Length))
            {
                output.WriteLine(DetailIndent + line);
            }
        }

        /// <summary>
        /// Splits "prose {json} prose" at the first JSON object or array in the text: the prose before it, the JSON value,
        /// and the prose after it. Without one, the text and two nulls.
        /// </summary>
        public static (string Before, string? Json, string? After) SplitJson(string text)
        {
            // Encoded once; '{' and '[' are single bytes in UTF-8, so candidates are found in the bytes directly.
            var utf8 = Encoding.UTF8.GetBytes(text);
            for (var at = 0; at < utf8.Length; at++)
            {
                if (utf8[at] is (byte)'{' or (byte)'[' && JsonValueByteLength(utf8.AsSpan(at)) is { } length)
                {
                    var start = Encoding.UTF8.GetCharCount(utf8, 0, at);
                    var chars = Encoding.UTF8.GetCharCount(utf8, at, length);
                    return (text[..start].TrimEnd(), text.Substring(start, chars), text[(start + chars)..].Trim());
                }
            }
            return (text, null, null);
        }

        // The length in bytes of the JSON object or array that starts the bytes, or null when it does not parse.
        private static int? JsonValueByteLength(ReadOnlySpan<byte> utf8)
        {
            var reader = new System.Text.Json.Utf8JsonReader(utf8, isFinalBlock: true, state: default);
            try
            {
                return reader.Read() && reader.TrySkip() ? (int)reader.BytesConsumed : null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        /// <summary>Cuts text longer than <paramref name="width"/> and marks the cut with an ellipsis.</summary>
        public static string Fit(string text, int width) =>
            text.Length <= width ? text : text[..SafeCutLength(text, width - 1)] + "…";

        /// <summary>
        /// Greedy word wrap; a word longer than a line (an ARN) is broken at the width. Linear in the text: a long word
        /// is walked by its offset, never copied again for what remains of it.
        /// </summary>
        public static IEnumerable<string> Wrap(string text, int width)
        {
            var line = new StringBuilder();
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var start = 0;
                while (start < word.Length)
                {
                    var rest = word.Length - start;
                    if ((line.Length == 0 ? rest : line.Length + 1 + rest) <= width)
                    {
                        line.Append(line.Length == 0 ? "" : " ").Append(word, start, rest);
                        start = word.Length;
                    }
                    else if (line.Length > 0)
                    {
                        yield return line.ToString();
                        line.Clear();
                    }
                    else
                    {
                        var piece = Math.Max(1, SafeCutLength(word.AsSpan(start), width));
                        yield return word.Substring(start, piece);
                        start += piece;
                    }
                }
            }
            if (line.Length > 0)
            {
                yield return line.ToString();
            }
        }

        // How many characters of the text fit in length without splitting a surrogate pair: half an emoji prints as garbage.
        private static int SafeCutLength(ReadOnlySpan<char> text, int length) =>
            length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]) ? length - 1 : Math.Min(length, text.Length);
    }
}
