using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
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
    /// to a week, and a daily sweep of an unchanged account rewrites each finding every 4 to 7 days instead of every
    /// day, spread by fingerprint so the findings a first sweep records do not all fall due on one day.
    /// </summary>
    public static TimeSpan LastSeenRefresh(string fingerprint) => Spread(fingerprint);

    /// <summary>
    /// How long a kept DescribeTaskDefinition answer is read instead of describing the revision again: a backstop for a
    /// tag change whose event never arrived. From 4 to 7 days, spread by family so the answers a first sweep keeps do
    /// not all fall due on one day.
    /// </summary>
    public static TimeSpan RevisionRefresh(string family) => Spread(family);

    // From 4 days to 7 (less a minute), the same for a key every time: a stable hash, as string.GetHashCode differs
    // between processes.
    private static TimeSpan Spread(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var minutes = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key))) % (3 * 24 * 60);
        return TimeSpan.FromDays(4) + TimeSpan.FromMinutes(minutes);
    }

    /// <summary>
    /// How far past this clock a kept answer's description time may lie: clocks differ by less. A later time came from
    /// a clock that ran ahead, or by hand; the answer's age is unknown, so it is described again and any description
    /// replaces it (else it would never fall due nor be replaced, and a tag change since would never apply).
    /// </summary>
    public static readonly TimeSpan RevisionClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Whether a kept answer is read at <paramref name="now"/>: described before its family falls due, and not after <see cref="RevisionClockSkew"/> from now.</summary>
    public static bool RevisionCurrent(string family, DateTimeOffset describedAt, DateTimeOffset now) =>
        describedAt + RevisionRefresh(family) > now && describedAt <= now + RevisionClockSkew;

    /// <summary>When DynamoDB may delete a kept answer (TTL): a family no longer listed is forgotten, one still listed is kept again long before.</summary>
    public static readonly TimeSpan RevisionExpiry = TimeSpan.FromDays(14);

    /// <summary>
    /// The longest answer kept, in UTF-8 bytes: a DynamoDB item holds at most 400 KB, so a longer answer is described on
    /// every sweep rather than refused by the table.
    /// </summary>
    public const int MaxAnswerBytes = 300 * 1024;

    /// <summary>Whether an answer is short enough to keep.</summary>
    public static bool Keepable(string answer) => Encoding.UTF8.GetByteCount(answer ?? throw new ArgumentNullException(nameof(answer))) <= MaxAnswerBytes;

    /// <summary>
    /// How long before a listing began a revision must have been recorded (as a family head, or as a finding's evidence)
    /// for the listing to speak for it: a revision recorded that long before existed when the listing ran, so had it
    /// still been ACTIVE the listing would have shown it (it was deregistered). The margin covers ECS's eventual
    /// consistency and the clocks of different invocations; a revision recorded later (registered during the listing)
    /// is kept.
    /// </summary>
    public static readonly TimeSpan ListingMargin = TimeSpan.FromMinutes(5);

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
