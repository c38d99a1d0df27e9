using System.CommandLine;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>What <c>--format</c>, <c>--min-severity</c> and <c>--fail-on</c> asked for.</summary>
internal sealed record ReportSettings(ReportFormat Format, Severity MinSeverity, Severity? FailOn, bool OutputIsTerminal);

/// <summary><c>--format</c>, <c>--min-severity</c>, <c>--fail-on</c>: shared by every command that prints an audit report.</summary>
internal sealed class ReportSettingsOptions
{
    private readonly Option<string> _format = new("--format") { Description = "table, json, markdown, sarif or asff (Security Hub batches, one per line; docs/security-hub.md).", DefaultValueFactory = _ => "table" };
    private readonly Option<string> _minSeverity = new("--min-severity") { Description = "Report findings at or above: CRITICAL, HIGH, MEDIUM, LOW or INFO.", DefaultValueFactory = _ => "INFO" };
    private readonly Option<string?> _failOn = new("--fail-on") { Description = "Exit 1 when an unsuppressed finding at or above this severity remains (default: --min-severity)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_format);
        command.Options.Add(_minSeverity);
        command.Options.Add(_failOn);
    }

    public ReportSettings From(ParseResult result, TextWriter stdout)
    {
        var formatText = result.GetValue(_format);
        if (!ReportFormatNames.TryParse(formatText, out var format))
        {
            throw new UsageException($"--format must be table, json, markdown, sarif or asff, not '{formatText}'");
        }
        var minSeverity = ParseSeverity(result.GetValue(_minSeverity), "--min-severity");
        var failOn = result.GetValue(_failOn) is { } failOnText ? ParseSeverity(failOnText, "--fail-on") : (Severity?)null;
        // Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org).
        var terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return new ReportSettings(format, minSeverity, failOn, terminal);
    }

    private static Severity ParseSeverity(string? text, string option) =>
        SeverityNames.TryParse(text, out var severity) ? severity : throw new UsageException($"{option} must be CRITICAL, HIGH, MEDIUM, LOW or INFO, not '{text}'");
}
