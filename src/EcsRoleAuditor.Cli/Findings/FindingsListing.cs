using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.Cli.Findings;

/// <summary>
/// A findings store and the accounts to read from it: the one thing the <c>findings</c> command reads, whether the
/// store is a local state file or the function's DynamoDB table.
/// </summary>
/// <param name="Store">The store.</param>
/// <param name="Accounts">The accounts to list (a state file's every account, or the one asked for).</param>
/// <param name="Name">What the store is, for the page's header: <c>state file PATH</c>, <c>table NAME</c>.</param>
internal sealed record FindingsSource(IFindingStore Store, IReadOnlyList<string> Accounts, string Name);

/// <summary>Which findings to list: <c>--status</c>, <c>--since</c>, <c>--family</c>, <c>--rule</c>, <c>--min-severity</c>.</summary>
/// <param name="Status">One status, or null for all.</param>
/// <param name="Since">Findings first seen (resolved ones: resolved) at or after this, or null for any time.</param>
/// <param name="Family">One family, or null.</param>
/// <param name="RuleId">One rule, or null.</param>
/// <param name="MinSeverity">The lowest severity listed.</param>
internal sealed record FindingsFilter(FindingStatus? Status, DateTimeOffset? Since, string? Family, string? RuleId, Severity MinSeverity)
{
    /// <summary>Whether <paramref name="finding"/> is listed.</summary>
    public bool Matches(StoredFinding finding) =>
        (Status is null || finding.Status == Status)
        && finding.Severity >= MinSeverity
        && (Family is null || string.Equals(finding.Family.Family, Family, StringComparison.Ordinal))
        && (RuleId is null || string.Equals(finding.RuleId, RuleId, StringComparison.OrdinalIgnoreCase))
        && (Since is null || LastChange(finding) >= Since);

    /// <summary>
    /// When a finding came to be as the listing shows it: resolved, or first seen. Not lastSeen, which the store refreshes
    /// only weekly for a finding that stays the same (docs/state.md).
    /// </summary>
    public static DateTimeOffset LastChange(StoredFinding finding) =>
        finding.Status == FindingStatus.Resolved && finding.ResolvedAt is { } resolved ? resolved : finding.FirstSeen;
}

/// <summary>Findings opened and resolved on one day, summed over the listed accounts.</summary>
internal sealed record TrendDay(DateOnly Day, long Opened, long Resolved);

/// <summary>What the command prints: the listed findings, and for the page the open count and the daily trend.</summary>
/// <param name="Source">Where they were read.</param>
/// <param name="Filter">What was asked for.</param>
/// <param name="Findings">The listed findings: status, severity (highest first), family, rule.</param>
/// <param name="OpenNow">How many findings of the accounts are open, whatever the filter.</param>
/// <param name="Trend">Every day of the trend's range, oldest first (days without a change count zero).</param>
/// <param name="At">When it was read.</param>
internal sealed record FindingsListing(FindingsSource Source, FindingsFilter Filter, IReadOnlyList<StoredFinding> Findings, int OpenNow, IReadOnlyList<TrendDay> Trend, DateTimeOffset At)
{
    /// <summary>Reads the listing; the trend covers the <paramref name="days"/> days up to today (UTC), none when 0.</summary>
    public static async Task<FindingsListing> ReadAsync(FindingsSource source, FindingsFilter filter, int days, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(filter);
        var at = time.GetUtcNow();
        var listed = new List<StoredFinding>();
        var openNow = 0;
        var last = DateOnly.FromDateTime(at.UtcDateTime);
        var first = last.AddDays(1 - Math.Max(days, 1));
        var counts = new Dictionary<DateOnly, TrendDay>();
        foreach (var account in source.Accounts)
        {
            // One read per account: the store's index is by account (docs/state.md), the filter is applied here.
            var all = await source.Store.AccountFindingsAsync(account, filter.Status, cancellationToken).ConfigureAwait(false);
            listed.AddRange(all.Where(filter.Matches));
            openNow += filter.Status == FindingStatus.Open
                ? all.Count
                : (await source.Store.AccountFindingsAsync(account, FindingStatus.Open, cancellationToken).ConfigureAwait(false)).Count;
            if (days <= 0)
            {
                continue;
            }
            foreach (var day in await source.Store.DailyCountsAsync(account, first, last, cancellationToken).ConfigureAwait(false))
            {
                var sum = counts.GetValueOrDefault(day.Day) ?? new TrendDay(day.Day, 0, 0);
                counts[day.Day] = sum with { Opened = sum.Opened + day.Opened, Resolved = sum.Resolved + day.Resolved };
            }
        }
        var trend = days <= 0 ? [] : Enumerable.Range(0, days).Select(i => first.AddDays(i)).Select(d => counts.GetValueOrDefault(d) ?? new TrendDay(d, 0, 0)).ToList();
        var sorted = listed
            .OrderBy(f => f.Status)
            .ThenByDescending(f => f.Severity)
            .ThenBy(f => f.Family.Family, StringComparer.Ordinal)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Family.Account, StringComparer.Ordinal)
            .ThenBy(f => f.Family.Region, StringComparer.Ordinal)
            .ThenBy(f => f.Fingerprint, StringComparer.Ordinal)
            .ToList();
        return new FindingsListing(source, filter, sorted, openNow, trend, at);
    }
}

/// <summary>The words every format uses for a stored finding.</summary>
internal static class StoredFindingText
{
    /// <summary>The rule's title from the catalog, or empty for an ID this build does not know.</summary>
    public static string Title(StoredFinding finding) => RuleCatalog.Find(finding.RuleId)?.Descriptor.Title ?? "";

    /// <summary>The role's name (the ARN's last path segment), or empty when the finding names none.</summary>
    public static string RoleName(StoredFinding finding) =>
        finding.RoleArn is { } arn ? arn[(arn.LastIndexOf('/') + 1)..] : "";

    /// <summary><c>task role billing-worker-task</c>, <c>task definition</c>: the slot and the role's name.</summary>
    public static string Role(StoredFinding finding)
    {
        var slot = finding.Slot switch
        {
            RoleSlot.Task => "task role",
            RoleSlot.Execution => "execution role",
            _ => "task definition",
        };
        return finding.RoleArn is null ? slot : $"{slot} {RoleName(finding)}";
    }

    /// <summary>The status as the store writes it: OPEN, RESOLVED, SUPPRESSED.</summary>
    public static string Status(FindingStatus status) => StoreRules.Name(status);

    /// <summary>A time as people read it in a listing: <c>2026-12-05 02:23 UTC</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A time to the second, for a finding's history: <c>2026-12-05 02:23:25 UTC</c>.</summary>
    public static string TimeToSecond(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A time as machines read it: ISO 8601 in UTC, to the second.</summary>
    public static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first seen time, or for a resolved finding the time it was resolved.</summary>
    public static DateTimeOffset LastChange(StoredFinding finding) => FindingsFilter.LastChange(finding);
}
