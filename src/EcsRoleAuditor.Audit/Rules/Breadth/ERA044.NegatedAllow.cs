using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA044: an Allow statement uses NotAction or NotResource.</summary>
public sealed class NegatedAllowRule : IAuditRule
{
    /// <summary>ERA044, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA044",
        "Allow with NotAction or NotResource",
        Severity.High,
        "An Allow with NotAction grants everything except what it names — every other service, and every action AWS adds from now on; "
        + "an Allow with NotResource grants its actions on every resource except those it names, in every account the action can reach. "
        + "Both are almost always far broader than meant (NotAction belongs in Deny statements). Boundary statements are not reported: a boundary only limits.",
        "Rewrite the statement as an Allow listing the actions and resources the role needs; to exclude something, add a Deny.",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role allows everything but IAM.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"AllButIam","Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}}}]}
            """),
        new("The task role allows what it calls, and denies IAM with a NotAction-free Deny.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[
               {"Sid":"Queue","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"},
               {"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Administrator statements too: that a NotAction excludes nothing real is a fact of its own, beside ERA040's.
        foreach (var (role, slot) in BreadthAnalysis.RolesOnce(context))
        {
            var analysis = BreadthAnalysis.Of(role);
            foreach (var grant in role.Permissions.IdentityAllows.Where(g => g.UsesNotAction || g.UsesNotResource))
            {
                var reached = analysis.AllowedOf(grant);
                var scopes = analysis.Permissions.ScopesThrough(grant, reached).ToList();
                // In force: the NotAction reaches actions with no boundary list bounding it; the NotResource reaches every resource but its own.
                var notAction = analysis.NotActionInForce(grant);
                var notResourceScopes = scopes.Where(s => s.IsEveryResource && s.ExcludedByNotResource.Any()).ToList();
                if (!notAction && notResourceScopes.Count == 0)
                {
                    continue;
                }
                var elements = string.Join(" and ", new[]
                {
                    notAction ? $"NotAction [{string.Join(", ", grant.Source.Statement.Actions!.Patterns)}]" : null,
                    notResourceScopes.Count > 0 ? $"NotResource [{string.Join(", ", grant.Resources!.Patterns)}]" : null,
                }.OfType<string>());
                var names = BreadthAnalysis.Names(reached);
                yield return BreadthAnalysis.StatementFinding(Descriptor, role, slot, grant,
                    $"Role {role.Role.Name} has an Allow with {elements} in {BreadthAnalysis.Cite(role, grant)}, reaching {FindingFactory.Count(names.Count, "action")} ({FindingFactory.Summarise(names, 3)})",
                    PlacementPolicyText.EditStatement(role, grant,
                        $"rewrite the statement as an Allow naming the actions and resources {role.Role.Name} needs; express exclusions as a Deny").Append("."),
                    names,
                    notAction ? scopes : notResourceScopes);
            }
        }
    }
}
