using System.Text;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.TestData;

/// <summary>
/// Builds evaluation cases, deterministically from a seed, for comparing the evaluator with the reference: requests drawn
/// from real AWS managed policies, and requests against generated policies that exercise wildcards, NotAction,
/// NotResource, Deny over Allow, boundaries, conditions and policy variables. Every request names a catalog action and
/// a concrete resource ARN of a type the action accepts (<c>*</c> only for wildcard-only actions), as real requests do.
/// </summary>
public static partial class DifferentialCaseGenerator
{
    /// <summary>The account of every generated request.</summary>
    public const string Account = "111122223333";

    private const string Region = "us-east-1";

    /// <summary>Cases from real managed policies: for each policy, actions it names and one it does not.</summary>
    public static IEnumerable<EvaluationCase> FromManagedPolicies(IReadOnlyList<ManagedPolicy> corpus, ActionCatalog catalog, int seed, int actionsPerPolicy)
    {
        var random = new Random(seed);
        for (var p = 0; p < corpus.Count; p++)
        {
            var policy = corpus[p];
            if (!PolicyParser.TryParse(policy.DocumentJson, policy.Name, PolicyKind.Identity, out var document, out _)
                || (!document!.PolicyVariablesEnabled && policy.DocumentJson.Contains("${", StringComparison.Ordinal)))
            {
                continue; // unparsable policies are the corpus test's business; legacy-version variables are a known reference deviation
            }
            var boundary = random.Next(10) == 0 ? corpus[random.Next(corpus.Count)].DocumentJson : null;
            var statements = document.Statements.Where(s => s.Actions is { IsNegated: false }).ToList();
            for (var n = 0; n < actionsPerPolicy; n++)
            {
                var statement = statements.Count > 0 && n < actionsPerPolicy - 1 ? statements[random.Next(statements.Count)] : null;
                var action = statement is null ? catalog.Actions[random.Next(catalog.ActionCount)] : PickAction(catalog, statement, random);
                if (action is null)
                {
                    continue;
                }
                var context = new List<ContextEntry>();
                var resource = statement is not null && random.Next(2) == 0 && !action.IsWildcardOnly
                    ? InstantiatePattern(statement, action, random, context)
                    : ResourceFor(action, random);
                AddConditionKeys(document, random, context);
                yield return new EvaluationCase(
                    $"managed:{policy.Name}:{n}",
                    [policy.DocumentJson],
                    boundary is null ? null : [boundary],
                    action.FullName,
                    resource,
                    Distinct(context));
            }
        }
    }

    private static CatalogAction? PickAction(ActionCatalog catalog, Statement statement, Random random)
    {
        var pattern = statement.Actions!.Patterns[random.Next(statement.Actions.Patterns.Length)];
        var ids = catalog.Expand(pattern).Ids.ToList();
        return ids.Count == 0 ? null : catalog.Actions[ids[random.Next(ids.Count)]];
    }

    /// <summary>A concrete ARN for the action: its first required resource type's template (or any of its types), filled in.</summary>
    public static string ResourceFor(CatalogAction action, Random random)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(random);
        if (action.IsWildcardOnly)
        {
            return "*";
        }
        var types = action.ResourceTypes.Where(t => t.ArnTemplate is not null).ToList();
        if (types.Count == 0)
        {
            return "*";
        }
        var type = types.FirstOrDefault(t => t.Required) ?? types[random.Next(types.Count)];
        return FillTemplate(type.ArnTemplate!, random);
    }

    /// <summary>Fills <c>${Partition}</c>, <c>${Region}</c>, <c>${Account}</c> and every other placeholder of an ARN template.</summary>
    public static string FillTemplate(string template, Random random)
    {
        ArgumentNullException.ThrowIfNull(template);
        var text = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }
            text.Append(template, i, start - i);
            var end = template.IndexOf('}', start);
            var name = template[(start + 2)..end];
            text.Append(name switch
            {
                "Partition" => "aws",
                "Region" => Region,
                "Account" or "AccountId" => Account,
                _ => PlaceholderValue(name, random),
            });
            i = end + 1;
        }
        return text.ToString();
    }

    private static string PlaceholderValue(string name, Random random)
    {
        var lower = name.ToLowerInvariant();
        return lower.Contains("id", StringComparison.Ordinal)
            ? $"{lower.Replace("id", "", StringComparison.Ordinal)}-{random.Next(1000, 9999)}abcd"
            : $"example-{lower}-{random.Next(10)}";
    }

    /// <summary>A resource matching one of the statement's Resource patterns: wildcards filled segment by segment.</summary>
    private static string InstantiatePattern(Statement statement, CatalogAction action, Random random, List<ContextEntry> context)
    {
        if (statement.Resources is not { IsNegated: false } resources)
        {
            return ResourceFor(action, random);
        }
        var pattern = resources.Patterns[random.Next(resources.Patterns.Length)];
        if (pattern == "*" || !pattern.StartsWith("arn:", StringComparison.Ordinal))
        {
            return ResourceFor(action, random);
        }
        if (pattern.Contains("${aws:username}", StringComparison.OrdinalIgnoreCase))
        {
            context.Add(new ContextEntry("aws:username", ["alice"], false));
            pattern = pattern.Replace("${aws:username}", "alice", StringComparison.OrdinalIgnoreCase);
        }
        if (pattern.Contains("${", StringComparison.Ordinal))
        {
            return ResourceFor(action, random);
        }
        var segments = pattern.Split(':', 6);
        if (segments.Length < 6)
        {
            return ResourceFor(action, random);
        }
        string[] fills = ["arn", "aws", segments[2], Region, Account, "x"];
        for (var s = 1; s < 6; s++)
        {
            segments[s] = segments[s] == "*" && s < 5 ? fills[s] : segments[s].Replace("*", s == 5 ? "example" : fills[s], StringComparison.Ordinal).Replace('?', 'q');
        }
        return string.Join(':', segments);
    }

    /// <summary>Half the time, each condition key of the policy with its first value (wildcards filled), so conditions both hold and fail.</summary>
    private static void AddConditionKeys(PolicyDocument document, Random random, List<ContextEntry> context)
    {
        foreach (var clause in document.Statements.SelectMany(s => s.Conditions))
        {
            if (random.Next(2) == 0 || clause.Operator == ConditionOperator.Null || clause.Values.Any(v => v.Contains("${", StringComparison.Ordinal)))
            {
                continue;
            }
            var value = clause.Values[random.Next(clause.Values.Length)].Replace("*", "x", StringComparison.Ordinal).Replace('?', 'q');
            context.Add(new ContextEntry(clause.Key, [value], clause.Qualifier != SetQualifier.None));
        }
    }

    private static List<ContextEntry> Distinct(List<ContextEntry> context) =>
        [.. context.GroupBy(e => e.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.First())];
}
