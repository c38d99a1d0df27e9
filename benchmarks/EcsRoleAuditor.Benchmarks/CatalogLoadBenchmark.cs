using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>
/// The action catalog's share of a Lambda cold start: loading the embedded file afresh (budget 15 ms, 20 MB) and
/// expanding action patterns the first time, before the expansion cache holds them.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CatalogLoadBenchmark
{
    private ActionCatalog _catalog = null!;
    private string[] _readOnlyLikePatterns = [];

    [GlobalSetup]
    public void Setup()
    {
        _catalog = ActionCatalog.LoadEmbedded();
        // ReadOnlyAccess is mostly "<service>:Describe*", ":Get*" and ":List*" over every service (~1,500 patterns).
        _readOnlyLikePatterns = [.. _catalog.Services.SelectMany(s => new[] { s.Prefix + ":Describe*", s.Prefix + ":Get*", s.Prefix + ":List*" })];
    }

    /// <summary>
    /// Indexes the embedded catalog, as the first use of <see cref="ActionCatalog.Default"/> does: validates the tables
    /// and views them and the text in place. Repeated loads find the image's pages already touched, so this
    /// measures the CPU, not the first-touch page faults a real cold start also saves.
    /// </summary>
    [Benchmark]
#pragma warning disable CA1822 // BenchmarkDotNet calls benchmarks on an instance.
    public ActionCatalog LoadEmbedded() => ActionCatalog.LoadEmbedded();
#pragma warning restore CA1822

    /// <summary>One typical pattern, computed rather than served from the cache.</summary>
    [Benchmark]
    public int ExpandTypicalPatternUncached() => _catalog.ExpandUncached("ec2:Describe*").Count;

    /// <summary>The same pattern once the cache holds it (what every later policy pays).</summary>
    [Benchmark]
    public int ExpandTypicalPatternCached() => _catalog.Expand("ec2:Describe*").Count;

    /// <summary>A ReadOnlyAccess-sized policy's patterns, all computed (a cold EffectivePermissions).</summary>
    [Benchmark]
    public int ExpandReadOnlyLikePatternsUncached()
    {
        var total = 0;
        foreach (var pattern in _readOnlyLikePatterns)
        {
            total += _catalog.ExpandUncached(pattern).Count;
        }
        return total;
    }
}
