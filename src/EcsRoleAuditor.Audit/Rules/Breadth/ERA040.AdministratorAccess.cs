using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA040: a statement allows every action on every resource (AdministratorAccess or its equivalent).</summary>
public sealed class AdministratorAccessRule : IAuditRule
{
    /// <summary>ERA040, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA040",
        "Role allows every action on every resource",
        Severity.Critical,
        "A statement whose actions cover the whole action catalog (\"*\", \"*:*\", or a NotAction that excludes nothing real) on Resource \"*\", "
        + "not narrowed by the permission boundary, makes the role an administrator of the account: whoever runs code in the task, "
        + "or can act as the ECS agent, owns the account. What Deny statements take away is said as an exception, as long as the statement can still "
        + "write IAM policies (it grants itself the rest); without them it is judged by the other rules. Conditional statements are reported one level "
        + "lower, with their condition (a test of aws:RequestedRegion only where it keeps IAM, whose one endpoint is in us-east-1, out of reach). "
        + "The rules that judge statements one by one (ERA020, ERA022, ERA031, ERA041–ERA043, ERA045) stay silent about such a statement: this finding says it all.",
        "Remove the statement (detach AdministratorAccess) and grant only the actions the application calls, on its own resources.",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
         "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("AdministratorAccess attached to the task role.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","managed":{"arn:aws:iam::aws:policy/AdministratorAccess":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}}]}
            """),
        new("The task role allows what the application calls, on its queue.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, slot) in BreadthAnalysis.RolesOnce(context))
        {
            var analysis = BreadthAnalysis.Of(role);
            foreach (var grant in analysis.AdminGrants)
            {
                var patterns = grant.Source.Statement.Actions?.Patterns ?? [];
                var element = grant.UsesNotAction ? $"NotAction [{string.Join(", ", patterns)}]" : string.Join(", ", patterns);
                var reached = analysis.AllowedOf(grant);
                var denied = analysis.Permissions.Catalog.All.Clone();
                denied.ExceptWith(reached);
                // What Denies take away is an exception, not the end of the finding: the statement still grants the rest, and all AWS adds.
                var except = denied.IsEmpty ? "" : $" except {FindingFactory.Count(denied.Count, "action")} that Deny statements or conditions take away ({FindingFactory.Summarise(BreadthAnalysis.Names(denied), 3)})";
                // The finding lists the statement's patterns rather than every one of the catalog's actions: "*" is the concrete answer here.
                yield return BreadthAnalysis.StatementFinding(Descriptor, role, slot, grant,
                    $"Role {role.Role.Name} allows every action ({element}) on every resource{except} through {BreadthAnalysis.Cite(role, grant)}: it is an administrator of the account.",
                    PlacementPolicyText.RemoveStatement(role, grant).Append($" and grant {role.Role.Name} only the actions its "
                        + $"{(slot == RoleSlot.Execution ? "agent needs (AmazonECSTaskExecutionRolePolicy and the task definition's secrets)" : "application calls, on its own resources")}."),
                    grant.UsesNotAction ? ["*"] : patterns,
                    [.. analysis.Permissions.ScopesThrough(grant, analysis.Permissions.Catalog.All)]);
            }
        }
    }
}
