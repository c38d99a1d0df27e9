using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.ManagedPolicies;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>
/// The embedded AWS managed policies: what the first use costs (decompress the ~3.2 MB payload, validate it, index
/// ~1,600 ARNs) and what a lookup costs afterwards (the dictionary and decoding one document). Allocated is the
/// memory a load leaves behind plus the 253 KB copy of the resource it drops.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ManagedPolicyCorpusBenchmark
{
    private const string ExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    private const string ReadOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    private AwsManagedPolicies _corpus = null!;

    [GlobalSetup]
    public void Setup() => _corpus = AwsManagedPolicies.LoadEmbedded();

    /// <summary>What <see cref="AwsManagedPolicies.Embedded"/> does on first use.</summary>
    [Benchmark]
#pragma warning disable CA1822 // BenchmarkDotNet calls benchmarks on an instance.
    public AwsManagedPolicies LoadEmbedded() => AwsManagedPolicies.LoadEmbedded();
#pragma warning restore CA1822

    /// <summary>A small document (~0.5 KB).</summary>
    [Benchmark]
    public AwsManagedPolicy? FindExecutionPolicy() => _corpus.Find(ExecutionPolicy);

    /// <summary>One of the largest documents (~100 KB): the decoding dominates.</summary>
    [Benchmark]
    public AwsManagedPolicy? FindReadOnlyAccess() => _corpus.Find(ReadOnlyAccess);

    /// <summary>An ARN the corpus does not hold (another partition).</summary>
    [Benchmark]
    public AwsManagedPolicy? FindOtherPartition() => _corpus.Find("arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
}
