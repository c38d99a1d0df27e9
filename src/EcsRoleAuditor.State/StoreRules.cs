using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.State;

/// <summary>The constants both store implementations apply the same way (docs/state.md).</summary>
public static class StoreRules
{
    /// <summary>
    /// How long a claimed alert waits for its owner to confirm delivery before another invocation may take it over: longer
    /// than a Lambda function can run (15 minutes) plus its asynchronous retries, so a live owner is never overtaken.
    /// </summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromHours(1);

    /// <summary>
    /// How stale a finding's lastSeen may be before an audit that shows it unchanged writes it again: lastSeen is exact
    /// to this, and a daily sweep of an unchanged account rewrites each finding once a week instead of every day.
    /// </summary>
    public static readonly TimeSpan LastSeenRefresh = TimeSpan.FromDays(7);

    /// <summary>How long history and daily counts are kept unless HISTORY_DAYS says otherwise.</summary>
    public const int DefaultHistoryDays = 400;

    /// <summary>The longest message and source text kept per finding: the full report lives in the log and the alert.</summary>
    public const int MaxExcerptLength = 1024;

    /// <summary>The pending reason of a resolved notice.</summary>
    public const string ResolvedReason = "RESOLVED";

    /// <summary>The pending reason of a reminder.</summary>
    public const string ReminderReason = "REMINDER";

    /// <summary>Text cut to <see cref="MaxExcerptLength"/> characters (never inside a surrogate pair).</summary>
    public static string Excerpt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= MaxExcerptLength)
        {
            return text;
        }
        var cut = MaxExcerptLength - 3;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }
        return string.Concat(text.AsSpan(0, cut), "...");
    }

    /// <summary>The status an audit that shows the finding gives it.</summary>
    public static FindingStatus StatusShown(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Suppressed ? FindingStatus.Suppressed : FindingStatus.Open;
    }

    /// <summary>The wire name of a reason or status (upper case, as the table and the alerts write them).</summary>
    public static string Name(AlertReason reason) => reason switch
    {
        AlertReason.Reopened => "REOPENED",
        AlertReason.SeverityRose => "SEVERITY_ROSE",
        _ => "NEW",
    };

    /// <summary>The reason of a wire name; null for <see cref="ResolvedReason"/> or anything unknown.</summary>
    public static AlertReason? ParseReason(string? name) => name switch
    {
        "NEW" => AlertReason.New,
        "REOPENED" => AlertReason.Reopened,
        "SEVERITY_ROSE" => AlertReason.SeverityRose,
        _ => null,
    };

    /// <summary>The wire name of a status.</summary>
    public static string Name(FindingStatus status) => status switch
    {
        FindingStatus.Resolved => "RESOLVED",
        FindingStatus.Suppressed => "SUPPRESSED",
        _ => "OPEN",
    };

    /// <summary>The status of a wire name, or null.</summary>
    public static FindingStatus? ParseStatus(string? name) => name switch
    {
        "OPEN" => FindingStatus.Open,
        "RESOLVED" => FindingStatus.Resolved,
        "SUPPRESSED" => FindingStatus.Suppressed,
        _ => null,
    };
}
