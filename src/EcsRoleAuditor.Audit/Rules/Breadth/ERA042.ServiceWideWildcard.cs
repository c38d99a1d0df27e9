using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA042: an Allow names a whole service (<c>s3:*</c>, <c>ecr:*</c>) or every service.</summary>
public sealed class ServiceWideWildcardRule : IAuditRule
{
    /// <summary>ERA042, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA042",
        "Service-wide action wildcard",
        Severity.Medium,
        "An action pattern such as s3:* or ecr:* grants every action of the service — today's and every one AWS adds later — including "
        + "deleting data, changing resource policies and encryption. No task needs a whole service. "
        + "Action \"*\" on a resource narrower than \"*\" (or cut by a deny or the boundary) is reported here too, as a wildcard over every service; "
        + "on every resource, unrestricted, it is ERA040. Actions the wildcard reaches are not reported again by ERA043 or ERA045.",
        "Replace the wildcard by the actions the task calls (see the service's actions in the Service Authorization Reference, or IAM Access Analyzer's policy generation).",
        ["https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role allows s3:* on its bucket.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"Uploads","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::web-uploads","arn:aws:s3:::web-uploads/*"]}]}}}]}
            """),
        new("The task role allows the two S3 actions the application calls.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"Uploads","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::web-uploads/*"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, slot, analysis, grant) in BreadthAnalysis.CandidateAllows(context))
        {
            var reached = analysis.ServiceWideReach(grant);
            if (reached.IsEmpty)
            {
                continue;
            }
            var patterns = BreadthAnalysis.ServiceWidePatterns(grant);
            var services = reached.Actions.Select(a => a.Service).Distinct(StringComparer.Ordinal).ToList();
            var named = BreadthAnalysis.ServiceWideActions(grant);
            var namedServices = named.Actions.Select(a => a.Service).Distinct(StringComparer.Ordinal).ToList();
            var everyService = patterns.Any(p => p is "*" or "*:*");
            var what = everyService ? "every action of every service" : $"every action of {FindingFactory.Summarise(namedServices)}";
            // Why fewer actions than the wildcard names are in reach: the boundary lets only whole services through, the resources suit only some.
            var within = analysis.Permissions.BoundaryAllows is not null && services.Count < namedServices.Count
                ? $"; the permission boundary lets through only {FindingFactory.Summarise(services)}"
                : reached.Count < named.Count ? $"; {FindingFactory.Count(reached.Count, "action")} of {FindingFactory.Summarise(services)} {(reached.Count == 1 ? "acts" : "act")} on its resources" : "";
            yield return BreadthAnalysis.StatementFinding(Descriptor, role, slot, grant,
                $"Role {role.Role.Name} allows {string.Join(", ", patterns)} — {what}, including actions AWS adds later{within} — through {BreadthAnalysis.Cite(role, grant)}",
                PlacementPolicyText.EditStatement(role, grant, $"replace {string.Join(", ", patterns)} by the actions {role.Role.Name} calls")
                    .Append($"; the wildcard includes {FindingFactory.Summarise(MostPowerfulFirst(reached))}."),
                BreadthAnalysis.Names(reached),
                [.. analysis.Permissions.ScopesThrough(grant, reached)]);
        }
    }

    // Write and permissions-management actions first: they are what a person should see the wildcard hands out.
    private static List<string> MostPowerfulFirst(ActionSet actions) =>
        [.. actions.Actions.OrderByDescending(a => a.AccessLevel is AccessLevel.PermissionsManagement or AccessLevel.Write).ThenBy(a => a.Id).Select(a => a.FullName)];
}
