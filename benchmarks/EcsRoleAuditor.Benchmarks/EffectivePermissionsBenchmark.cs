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
/// Cold: every invocation gets a catalog no one has used, so each pattern is expanded for the first time and each action
/// object created on first access. The catalogs are loaded in an [IterationSetup], one per invocation of the iteration,
/// so the load stays out of the measurement (CatalogLoadBenchmark times it) without subtracting two noisy figures, and
/// an iteration still holds <see cref="InvocationsPerIteration"/> invocations rather than the single one a per-invocation
/// setup would force.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(InvocationsPerIteration)]
public class EffectivePermissionsBenchmark
{
    private const int InvocationsPerIteration = 64;

    private PolicyDocument[] _policies = [];
    private ActionCatalog _warmCatalog = null!;
    private readonly Queue<ActionCatalog> _freshCatalogs = new(InvocationsPerIteration);

    [GlobalSetup]
    public void Setup()
    {
        _policies = [.. new[] { "ReadOnlyAccess", "AmazonECS_FullAccess" }
            .Select(name => PolicyParser.Parse(ManagedPolicyCorpus.Get(name).DocumentJson, name))];
        _warmCatalog = ActionCatalog.LoadEmbedded();
        _ = EffectivePermissions.Compute(_policies, null, _warmCatalog); // fills the expansion cache
    }

    [IterationSetup(Target = nameof(Cold))]
    public void LoadFreshCatalogs()
    {
        _freshCatalogs.Clear();
        for (var i = 0; i < InvocationsPerIteration; i++)
        {
            _freshCatalogs.Enqueue(ActionCatalog.LoadEmbedded());
        }
    }

    /// <summary>Every action pattern's expansion served from the catalog's cache.</summary>
    [Benchmark(Baseline = true)]
    public EffectivePermissions Warm() => EffectivePermissions.Compute(_policies, null, _warmCatalog);

    /// <summary>Warm, and every action's scopes after boundary and Deny: what a role can do, as every rule reads it.</summary>
    [Benchmark]
    public int WarmAllowedActions() => EffectivePermissions.Compute(_policies, null, _warmCatalog).AllowedActionCount;

    /// <summary>Every action pattern expanded for the first time, on a catalog loaded before the measurement.</summary>
    [Benchmark]
    public EffectivePermissions Cold() => EffectivePermissions.Compute(_policies, null, _freshCatalogs.Dequeue());
}
