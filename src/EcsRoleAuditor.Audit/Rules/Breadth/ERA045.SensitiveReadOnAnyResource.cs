using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA045: reads of secrets, parameters, objects or decryption allowed on every resource.</summary>
public sealed class SensitiveReadOnAnyResourceRule : IAuditRule
{
    /// <summary>The reads that hand out data or secrets (a list IS the point here: the issue names them).</summary>
    internal static ImmutableArray<string> SensitiveReads { get; } =
        ["s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt"];

    private static readonly ConditionalWeakTable<ActionCatalog, ActionSet> Sets = new();

    /// <summary>ERA045, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA045",
        "Sensitive reads on any resource",
        Severity.Medium,
        "s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter(s/ByPath) and kms:Decrypt on \"*\" (or on every resource of their kind, "
        + "such as arn:aws:s3:::*/* or secret:*) read every object, secret, parameter or encrypted value of the account: "
        + "a compromised task exfiltrates them all. The resources are where the statement reaches after the permission boundary and Deny statements. "
        + "Reads a service-wide wildcard reaches are ERA042's; the execution role's reads of secrets and parameters are ERA022's, which knows the ones it needs "
        + "(and reports a read of every one even when the containers are unknown), "
        + "and so is its kms:Decrypt when a kms:ViaService condition keeps it to Secrets Manager and Systems Manager endpoints (how ECS reads a secret "
        + "under a customer managed key): through them it decrypts only what those reads return.",
        "Name the buckets, secrets, parameters and keys the role reads.",
        ["https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

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
            if (!grant.Actions.Overlaps(sensitive))
            {
                continue;
            }
            var hits = analysis.AllowedBeyondWildcards(grant, sensitive);
            var executionRole = BreadthAnalysis.IsExecutionRole(context, role);
            if (executionRole)
            {
                hits.ExceptWith(SecretsBeyondReferencesRule.StoreReads(context.Catalog));
            }
            // On the execution role, decryption kept to the secret stores' endpoints reads only what their reads return, which ERA022 judges.
            var scopes = BreadthAnalysis.KeepActionsReachingEverything(role, grant, hits,
                s => s.Patterns.All(p => OnEveryResource(context.Catalog, p)) && !(executionRole && ExecutionPlane.DecryptsOnlyThroughSecretStores(s)));
            if (hits.IsEmpty)
            {
                continue;
            }
            var names = BreadthAnalysis.Names(hits);
            var resources = string.Join(", ", scopes.SelectMany(s => s.Patterns).Distinct(StringComparer.Ordinal));
            yield return BreadthAnalysis.StatementFinding(Descriptor, role, slot, grant,
                $"Role {role.Role.Name} may {string.Join(", ", names)} on every resource ({resources}) through {BreadthAnalysis.Cite(role, grant)}",
                PlacementPolicyText.EditStatement(role, grant,
                    $"name the buckets, secrets, parameters or keys {role.Role.Name} reads instead of {resources}").Append("."),
                names,
                [.. scopes.Distinct()]);
        }
    }

    /// <summary>The reads of secrets, parameters, objects and decryption this rule judges (ERA043 leaves them to it).</summary>
    internal static ActionSet SensitiveActions(ActionCatalog catalog) => Sets.GetValue(catalog, Build);

    /// <summary>True for "*", or a pattern that covers every resource of one of its service's types in an account and region: arn:aws:s3:::*/*, arn:aws:secretsmanager:*:*:secret:*.</summary>
    internal static bool OnEveryResource(ActionCatalog catalog, string pattern) =>
        ResourcePatterns.IsUniversal(pattern) || IsEveryResourceOfAType(catalog, pattern);

    // A pattern covers every resource of a type when its resource part matches the type's ARN template's resource part
    // with every variable written "*" (its "*" taken literally): parameter/* covers parameter/${Name}.
    private static bool IsEveryResourceOfAType(ActionCatalog catalog, string pattern) =>
        Arn.TryParse(pattern, out var arn) && catalog.FindService(arn.Service) is { } service
        && TypeResources.GetValue(service, ResourceParts).Any(text => Wildcard.IsMatch(arn.Resource, text, ignoreCase: false));

    private static readonly ConditionalWeakTable<CatalogService, string[]> TypeResources = new();

    private static string[] ResourceParts(CatalogService service) =>
        [.. service.ResourceTypes
            .Select(t => Arn.TryParse(t.EveryResourcePattern(), out var template) ? template.Resource : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)];

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
