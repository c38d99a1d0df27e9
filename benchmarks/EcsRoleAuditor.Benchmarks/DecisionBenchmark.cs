using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Policy.Evaluation;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>
/// <see cref="PolicyEvaluator.Decide"/> throughput on one thread: each invocation decides all
/// <see cref="BenchmarkCases.Count"/> cases of a set, and BenchmarkDotNet divides by that count, so the reported time is
/// per decision (decisions/s = 1e9 / ns). Documents are parsed and request contexts built once, in the setup; compiled
/// documents are cached after the first decision, as they are when an audit decides many requests for one role.
/// Target: at least 200,000 decisions/s. <c>benchmarks/reference-throughput.mjs</c> times the reference on the same cases.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DecisionBenchmark
{
    private PreparedCase[] _managed = [];
    private PreparedCase[] _synthetic = [];

    [GlobalSetup]
    public void Setup()
    {
        _managed = BenchmarkCases.Prepare(BenchmarkCases.ManagedPolicies());
        _synthetic = BenchmarkCases.Prepare(BenchmarkCases.Synthetic());
    }

    /// <summary>Requests drawn from real AWS managed policies (a tenth with a managed policy as boundary).</summary>
    [Benchmark(OperationsPerInvoke = BenchmarkCases.Count)]
    public int ManagedPolicyCases() => DecideAll(_managed);

    /// <summary>Requests against generated policies heavy in conditions, variables and boundaries.</summary>
    [Benchmark(OperationsPerInvoke = BenchmarkCases.Count)]
    public int SyntheticCases() => DecideAll(_synthetic);

    private static int DecideAll(PreparedCase[] cases)
    {
        // Counting the allowed ones keeps the decisions observable, so none can be optimised away.
        var allowed = 0;
        foreach (var c in cases)
        {
            if (c.Decide() == Decision.Allowed)
            {
                allowed++;
            }
        }
        return allowed;
    }
}
