using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA045: reads of secrets, parameters, objects or decryption allowed on every resource.</summary>
public sealed partial class SensitiveReadOnAnyResourceRule : IAuditRule
{
    /// <summary>The reads that hand out data or secrets (a list IS the point here: the issue names them).</summary>
    internal static ImmutableArray<string> SensitiveReads { get; } =
        ["s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt"];

    private static readonly ConditionalWeakTable<ActionCatalog, ActionSet> Sets = new();

    /// <inheritdoc/>
    public RuleDescriptor Descriptor { get; } = new(
        "ERA045",
        "Sensitive reads on any resource",
        Severity.Medium,
        "s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter(s/ByPath) and kms:Decrypt on \"*\" (or on every resource of their kind, "
        + "such as arn:aws:s3:::*/* or secret:*) read every object, secret, parameter or encrypted value of the account: "
        + "a compromised task exfiltrates them all. Reads a service-wide wildcard reaches are ERA042's.",
        "Name the buckets, secrets, parameters and keys the role reads.",
        ["https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html"]);

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role reads every secret of the account.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}}}]}
            """),
        new("The task role reads its own secret.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sensitive = Sets.GetValue(context.Catalog, Build);
        foreach (var (role, slot, analysis, grant) in BreadthAnalysis.CandidateAllows(context))
        {
            // The set test first: it is cheap, and most statements read nothing sensitive.
            if (!grant.Actions.Overlaps(sensitive) || !OnEveryResource(context.Catalog, grant))
            {
                continue;
            }
            var hits = analysis.AllowedBeyondServiceWide(grant, sensitive);
            if (hits.IsEmpty)
            {
                continue;
            }
            var names = BreadthAnalysis.Names(hits);
            yield return BreadthAnalysis.StatementFinding(Descriptor, role, slot, grant,
                $"Role {role.Role.Name} may {string.Join(", ", names)} on every resource ({string.Join(", ", grant.Resources?.Patterns ?? ["*"])}) through {BreadthAnalysis.Cite(role, grant)}.",
                $"In {role.SourceOf(grant.Source)}, statement {grant.Source.Statement.Label}: name the buckets, secrets, parameters or keys {role.Role.Name} reads instead of "
                + $"{string.Join(", ", grant.Resources?.Patterns ?? ["*"])}.",
                names);
        }
    }

    // "*", or a pattern that covers every resource of one of the service's types: arn:aws:s3:::*/*, arn:aws:secretsmanager:*:*:secret:*.
    private static bool OnEveryResource(ActionCatalog catalog, Grant grant) =>
        grant.CoversAnyResource || (grant.Resources is { IsNegated: false } resources && resources.Patterns.Any(p => IsEveryResourceOfAType(catalog, p)));

    // A pattern covers every resource of a type when its resource part (after the fifth colon) matches the type's ARN
    // template's resource part with every variable written "*" (its "*" taken literally): parameter/* covers parameter/${Name}.
    private static bool IsEveryResourceOfAType(ActionCatalog catalog, string pattern)
    {
        var parts = pattern.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && catalog.FindService(parts[2]) is { } service
            && TypeResources.GetValue(service, ResourceParts).Any(text => Wildcard.IsMatch(parts[5], text, ignoreCase: false));
    }

    private static readonly ConditionalWeakTable<CatalogService, string[]> TypeResources = new();

    private static string[] ResourceParts(CatalogService service) =>
        [.. service.ResourceTypes
            .Select(t => t.ArnTemplate?.Split(':', 6))
            .Where(p => p is { Length: 6 })
            .Select(p => TemplateVariable().Replace(p![5], "*"))
            .Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex TemplateVariable();

    private static ActionSet Build(ActionCatalog catalog)
    {
        var set = new ActionSet(catalog);
        foreach (var name in SensitiveReads)
        {
            set.UnionWith(catalog.Expand(name));
        }
        return set;
    }
}
