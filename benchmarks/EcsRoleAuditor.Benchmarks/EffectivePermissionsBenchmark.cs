using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>
/// <see cref="EffectivePermissions.Compute"/> for a role holding ReadOnlyAccess and AmazonECS_FullAccess (target 2 ms).
/// Warm: the catalog has expanded these patterns before (every role after the first one in a Lambda invocation).
/// Cold: a freshly loaded catalog per invocation, so every pattern is expanded for the first time; the load itself is
/// measured alone in the same run (<see cref="CatalogLoadAlone"/>) and the cold Compute is the difference. Subtracting
/// is preferred to an [IterationSetup] here because that forces one invocation per iteration, whose timer resolution and
/// noise are large next to a millisecond.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EffectivePermissionsBenchmark
{
    private PolicyDocument[] _policies = [];
    private ActionCatalog _warmCatalog = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policies = [.. new[] { "ReadOnlyAccess", "AmazonECS_FullAccess" }
            .Select(name => PolicyParser.Parse(ManagedPolicyCorpus.Get(name).DocumentJson, name))];
        _warmCatalog = ActionCatalog.LoadEmbedded();
        _ = EffectivePermissions.Compute(_policies, null, _warmCatalog); // fills the expansion cache
    }

    /// <summary>Every action pattern's expansion served from the catalog's cache.</summary>
    [Benchmark(Baseline = true)]
    public EffectivePermissions Warm() => EffectivePermissions.Compute(_policies, null, _warmCatalog);

    /// <summary>Loading the catalog and computing on it: the cold start. Minus <see cref="CatalogLoadAlone"/> = cold Compute.</summary>
    [Benchmark]
    public EffectivePermissions ColdIncludingCatalogLoad() => EffectivePermissions.Compute(_policies, null, ActionCatalog.LoadEmbedded());

    /// <summary>The catalog load that <see cref="ColdIncludingCatalogLoad"/> includes, measured in the same run.</summary>
    [Benchmark]
    public ActionCatalog CatalogLoadAlone() => ActionCatalog.LoadEmbedded();
}
