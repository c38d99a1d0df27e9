using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>Cold-start cost of the action catalog: decompressing and reading the embedded file into lookups (budget: 15 ms, 20 MB).</summary>
[MemoryDiagnoser]
public class CatalogLoadBenchmark
{
    private ActionCatalog _catalog = null!;

    [GlobalSetup]
    public void Setup() => _catalog = ActionCatalog.LoadEmbedded();

    /// <summary>A fresh load from the embedded resource, as a Lambda cold start does once.</summary>
    [Benchmark]
    public ActionCatalog LoadEmbedded() => ActionCatalog.LoadEmbedded();

    /// <summary>Looking up one action by name, ignoring case.</summary>
    [Benchmark]
    public bool LookupAction() => _catalog.TryGetAction("S3:GetObject", out _);
}
