using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>A case with its documents parsed and its request context built, ready to decide.</summary>
public sealed record PreparedCase(
    IReadOnlyList<PolicyDocument> IdentityPolicies,
    IReadOnlyList<PolicyDocument>? Boundaries,
    string Action,
    string Resource,
    RequestContext Context)
{
    /// <summary>Decides the case.</summary>
    public Decision Decide() => PolicyEvaluator.Decide(IdentityPolicies, Boundaries, Action, Resource, Context);
}

/// <summary>
/// The requests the decision benchmarks time and the reference side by side replays: the same generator and seed as the
/// differential tests, cut to a fixed count so a benchmark can declare its operations per invocation.
/// </summary>
public static class BenchmarkCases
{
    /// <summary>The differential tests' seed.</summary>
    public const int Seed = 20261128;

    /// <summary>How many cases each set holds (the managed corpus yields ~3,500 at three actions per policy).</summary>
    public const int Count = 3000;

    /// <summary>
    /// Requests drawn from the AWS managed policies, shuffled with the seed before being cut to <see cref="Count"/> so the
    /// sample spans the whole corpus rather than its alphabetical head.
    /// </summary>
    public static IReadOnlyList<EvaluationCase> ManagedPolicies()
    {
        List<EvaluationCase> all = [.. DifferentialCaseGenerator.FromManagedPolicies(ManagedPolicyCorpus.All, ActionCatalog.Default, Seed, actionsPerPolicy: 3)];
        if (all.Count < Count)
        {
            throw new InvalidOperationException($"The managed policy corpus yields {all.Count} cases, fewer than the {Count} the benchmarks decide.");
        }
        new Random(Seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return all[..Count];
    }

    /// <summary>Requests against generated policies: conditions, policy variables, NotAction/NotResource, boundaries.</summary>
    public static IReadOnlyList<EvaluationCase> Synthetic() => [.. DifferentialCaseGenerator.Synthetic(Seed, Count)];

    /// <summary>
    /// Parses every distinct document once (a managed policy shared by several cases is one document, as it is for an
    /// audit that fetches it once) and builds each request context.
    /// </summary>
    public static PreparedCase[] Prepare(IReadOnlyList<EvaluationCase> cases)
    {
        var documents = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal);
        PolicyDocument Parse(string json)
        {
            if (!documents.TryGetValue(json, out var document))
            {
                document = PolicyParser.Parse(json, $"policy-{documents.Count}");
                documents.Add(json, document);
            }
            return document;
        }
        return [.. cases.Select(c => new PreparedCase(
            [.. c.IdentityPolicies.Select(Parse)],
            c.PermissionBoundaries is null ? null : [.. c.PermissionBoundaries.Select(Parse)],
            c.Action,
            c.Resource,
            c.ToRequestContext()))];
    }
}
