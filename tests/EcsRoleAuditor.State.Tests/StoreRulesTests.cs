namespace EcsRoleAuditor.State.Tests;

/// <summary>The refresh periods that keep a daily sweep's writes from all falling due on one day.</summary>
public sealed class StoreRulesTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 3000).Select(i => $"fp1-{i:x32}")];

    public static TheoryData<string> Periods => new() { "lastSeen", "revision" };

    private static TimeSpan Period(string which, string key) => which == "lastSeen" ? StoreRules.LastSeenRefresh(key) : StoreRules.RevisionRefresh(key);

    [Theory]
    [MemberData(nameof(Periods))]
    public void Refresh_periods_lie_between_4_and_7_days_and_spread_over_each_day_between(string which)
    {
        var periods = Keys.Select(k => Period(which, k)).ToList();

        Assert.All(periods, p => Assert.InRange(p, TimeSpan.FromDays(4), TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1)));
        // What a first sweep records all at once falls due over three days, about a third on each.
        var perDay = periods.GroupBy(p => (int)p.TotalDays).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([4, 5, 6], perDay.Keys.Order());
        Assert.All(perDay.Values, count => Assert.InRange(count, Keys.Length / 4, Keys.Length * 5 / 12));
    }
}
