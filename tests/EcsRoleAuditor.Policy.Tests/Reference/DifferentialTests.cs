using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;
using Xunit.Abstractions;

namespace EcsRoleAuditor.Policy.Tests.Reference;

/// <summary>
/// Our evaluator against an independent implementation, @cloud-copilot/iam-simulate, on thousands of requests from real
/// AWS managed policies and from generated policies. Every case must agree. The reference's known deviations from AWS's
/// documented behaviour are kept out of these cases and asserted one by one in ReferenceDeviationTests.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 20261128;

    [Fact]
    public void Evaluator_agrees_with_the_reference_evaluator()
    {
        var catalog = ActionCatalog.Default;
        List<EvaluationCase> cases =
        [
            .. DifferentialCaseGenerator.FromManagedPolicies(ManagedPolicyCorpus.All, catalog, Seed, actionsPerPolicy: 3),
            .. DifferentialCaseGenerator.Synthetic(Seed, count: 3000),
        ];
        var reference = ReferenceEvaluator.Decide(cases);
        var documents = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal);
        PolicyDocument Parse(string json) => documents.TryGetValue(json, out var d) ? d : documents[json] = PolicyParser.Parse(json, $"policy-{documents.Count}");

        IEnumerable<string> ResourcePatternsOf(string json) =>
            Parse(json).Statements.Where(st => st.Resources is not null).SelectMany(st => st.Resources!.Patterns);

        var agreed = 0;
        var deviations = new Dictionary<string, int>(StringComparer.Ordinal);
        var rejected = new List<string>();
        var disagreements = new List<string>();
        var disagreeingCases = new List<EvaluationCase>();
        foreach (var c in cases)
        {
            var expected = reference[c.Id];
            if (expected.Decision is not { } referenceDecision)
            {
                rejected.Add($"{c.Id}: {expected.Error}");
                continue;
            }
            // Keys the reference dropped do not apply to this action or resource: AWS would not put them in the request either.
            var context = c.ToRequestContext(without: expected.IgnoredContextKeys);
            var ours = PolicyEvaluator.Decide([.. c.IdentityPolicies.Select(Parse)], c.PermissionBoundaries?.Select(Parse).ToList(), c.Action, c.Resource, context);
            if (ours == referenceDecision)
            {
                agreed++;
            }
            else if (ReferenceDeviations.ExplainingDeviation(c, ResourcePatternsOf) is { } category)
            {
                deviations[category] = deviations.GetValueOrDefault(category) + 1;
            }
            else
            {
                disagreeingCases.Add(c with { Context = [.. c.Context.Where(e => !expected.IgnoredContextKeys.Contains(e.Key, StringComparer.OrdinalIgnoreCase))] });
                disagreements.Add($"{c.Id}: ours {ours}, reference {referenceDecision}; {c.Action} on {c.Resource}; context [{string.Join(", ", context.Keys.Select(k => $"{k.Key}={string.Join('|', k.Value.Values)}"))}]");
            }
        }

        var compared = agreed + disagreements.Count + deviations.Values.Sum();
        var summary = $"differential: {cases.Count} cases, {compared} decided by both, {agreed} agreed ({100.0 * agreed / compared:F2}%), {disagreements.Count} disagreed, {rejected.Count} rejected by the reference as invalid requests, "
            + $"{deviations.Values.Sum()} explained by known reference deviations ({string.Join(", ", deviations.Select(d => $"{d.Key}: {d.Value}"))})";
        output.WriteLine(summary);
        foreach (var line in rejected.Take(10))
        {
            output.WriteLine($"rejected: {line}");
        }
        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "differential-summary.txt"), [summary, .. disagreements, .. rejected.Select(r => "rejected: " + r)]);
        // The disagreeing cases in the 'evaluate --cases' format, to replay with 'ecs-role-auditor evaluate --explain' and simulate.mjs.
        EvaluationCaseFile.Write(Path.Combine(AppContext.BaseDirectory, "differential-disagreements.json"), disagreeingCases);

        Assert.True(disagreements.Count == 0, $"{summary}\n{string.Join('\n', disagreements.Take(20))}");
        Assert.True(agreed >= 5000, summary);
        Assert.True(rejected.Count < cases.Count / 10, $"{summary}: too many cases the reference cannot evaluate; first: {string.Join('\n', rejected.Take(5))}");
    }
}
