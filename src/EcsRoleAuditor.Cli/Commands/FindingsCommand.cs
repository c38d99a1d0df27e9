using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Cli.Findings;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>findings --state-file FILE</c>: what the findings store holds (open by default), filtered and printed as a table,
/// JSON, CSV, Markdown or one self-contained HTML page; <c>findings history FINGERPRINT</c>: one finding's status changes.
/// </summary>
internal static partial class FindingsCommand
{
    private const int DefaultDays = 30;

    public static Command Create(TextWriter stdout)
    {
        var store = new FindingsStoreOptions();
        var status = new Option<string>("--status") { Description = "open, resolved, suppressed or all.", DefaultValueFactory = _ => "open" };
        var since = new Option<string?>("--since")
        {
            Description = "Only findings first seen (resolved ones: resolved) on or after an ISO date or time (2026-12-01, 2026-12-01T08:00Z) or within a duration (7d, 12h, 2w).",
        };
        var family = new Option<string?>("--family") { Description = "Only this task definition family." };
        var rule = new Option<string?>("--rule") { Description = "Only this rule, e.g. ERA020." };
        var minSeverity = new Option<string>("--min-severity") { Description = "Only findings at or above CRITICAL, HIGH, MEDIUM, LOW or INFO.", DefaultValueFactory = _ => "INFO" };
        var format = new Option<string>("--format") { Description = "table, json, csv, markdown or html (one self-contained page).", DefaultValueFactory = _ => "table" };
        var days = new Option<int>("--days") { Description = $"html: the days the trend of opened and resolved findings covers, up to today (default {DefaultDays}).", DefaultValueFactory = _ => DefaultDays };
        var command = new Command("findings", "List what the findings store holds: open (by default), resolved or suppressed findings, as a table, JSON, CSV, Markdown or an HTML page.")
        {
            status, since, family, rule, minSeverity, format, days,
        };
        store.AddTo(command);
        command.Subcommands.Add(CreateHistory(stdout));
        command.SetAction(async (result, cancellationToken) =>
        {
            var time = TimeProvider.System;
            var filter = new FindingsFilter(
                ParseStatus(result.GetValue(status)),
                result.GetValue(since) is { } sinceText ? ParseSince(sinceText, time.GetUtcNow()) : null,
                result.GetValue(family),
                result.GetValue(rule) is { } ruleText ? ParseRule(ruleText) : null,
                SeverityNames.TryParse(result.GetValue(minSeverity), out var severity)
                    ? severity
                    : throw new UsageException($"--min-severity must be CRITICAL, HIGH, MEDIUM, LOW or INFO, not '{result.GetValue(minSeverity)}'"));
            var write = Writer(result.GetValue(format));
            var html = string.Equals(result.GetValue(format)?.Trim(), "html", StringComparison.OrdinalIgnoreCase);
            var trendDays = result.GetValue(days);
            if (trendDays is < 1 or > StoreRules.DefaultHistoryDays)
            {
                throw new UsageException($"--days must be from 1 to {StoreRules.DefaultHistoryDays}, not {trendDays}");
            }
            using var opened = store.Open(result);
            var listing = await FindingsListing.ReadAsync(opened.Source, filter, html ? trendDays : 0, time, cancellationToken).ConfigureAwait(false);
            write(listing, stdout);
            return CommandLineApp.ExitSuccess;
        });
        return command;
    }

    private static Command CreateHistory(TextWriter stdout)
    {
        var store = new FindingsStoreOptions();
        var fingerprint = new Argument<string>("FINGERPRINT") { Description = "The finding's fingerprint (fp1-...), as 'findings' lists it." };
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        var command = new Command("history", "Show one finding's status changes: when it opened, was resolved or suppressed, at which severity and revision.") { fingerprint, format };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var json = result.GetValue(format) switch
            {
                "table" => false,
                "json" => true,
                var other => throw new UsageException($"--format must be table or json, not '{other}'"),
            };
            var id = result.GetValue(fingerprint)!;
            using var opened = store.Open(result, needsAccount: false);
            var changes = await opened.Source.Store.HistoryAsync(id, cancellationToken).ConfigureAwait(false);
            if (changes.Count == 0)
            {
                throw new UsageException($"no history of finding '{id}' in the {opened.Source.Name} (unknown fingerprint, or its history expired)");
            }
            if (json)
            {
                FindingsJson.Write(stdout, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("fingerprint", id);
                    writer.WriteStartArray("changes");
                    foreach (var change in changes)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("at", StoredFindingText.IsoTime(change.At));
                        writer.WriteString("status", StoredFindingText.Status(change.Status));
                        writer.WriteString("severity", change.Severity.Name());
                        writer.WriteNumber("revision", change.Revision);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
                return CommandLineApp.ExitSuccess;
            }
            stdout.WriteLine($"Finding {TerminalText.Escape(id)}");
            stdout.WriteLine($"{"TIME",-23}  {"STATUS",-10}  {"SEVERITY",-8}  REVISION");
            foreach (var change in changes)
            {
                stdout.WriteLine($"{StoredFindingText.TimeToSecond(change.At),-23}  {StoredFindingText.Status(change.Status),-10}  {change.Severity.Name(),-8}  {change.Revision.ToString(CultureInfo.InvariantCulture)}");
            }
            return CommandLineApp.ExitSuccess;
        });
        return command;
    }

    private static FindingStatus? ParseStatus(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "open" => FindingStatus.Open,
        "resolved" => FindingStatus.Resolved,
        "suppressed" => FindingStatus.Suppressed,
        "all" => null,
        _ => throw new UsageException($"--status must be open, resolved, suppressed or all, not '{text}'"),
    };

    private static Action<FindingsListing, TextWriter> Writer(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "table" => FindingsTable.Write,
        "json" => FindingsJson.Write,
        "csv" => FindingsCsv.Write,
        "markdown" or "md" => FindingsMarkdown.Write,
        "html" => FindingsHtmlPage.Write,
        _ => throw new UsageException($"--format must be table, json, csv, markdown or html, not '{text}'"),
    };

    /// <summary><c>--since</c>: an ISO date (midnight UTC), an ISO time with its offset, or a duration back from <paramref name="now"/>.</summary>
    internal static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (Duration().Match(trimmed) is { Success: true } duration
            && int.TryParse(duration.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 100_000)
        {
            return duration.Groups[2].Value switch
            {
                "h" => now.AddHours(-amount),
                "w" => now.AddDays(-7 * amount),
                _ => now.AddDays(-amount),
            };
        }
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (OffsetTime().IsMatch(trimmed)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        throw new UsageException($"--since must be an ISO date (2026-12-01), a time with its offset (2026-12-01T08:00Z) or a duration (7d, 12h, 2w), not '{text}'");
    }

    private static string ParseRule(string text) =>
        RuleId().IsMatch(text.Trim()) ? text.Trim().ToUpperInvariant() : throw new UsageException($"--rule must be a rule ID such as ERA020, not '{text}'");

    [GeneratedRegex(@"^([0-9]{1,6})([dhw])\z")]
    private static partial Regex Duration();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetTime();

    [GeneratedRegex(@"^ERA[0-9]{3}\z", RegexOptions.IgnoreCase)]
    private static partial Regex RuleId();
}
