using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA010: a role's trust policy does not let ecs-tasks.amazonaws.com call sts:AssumeRole.</summary>
/// <remarks>
/// An Allow counts whatever its conditions: ERA013 says when they can never match ECS's request, and ERA012 when they
/// do not tie the trust to the account. A Deny that covers ecs-tasks and sts:AssumeRole (by name, <c>"*"</c> or
/// NotPrincipal) cancels every Allow when it has no condition or its conditions certainly hold for ECS's request
/// (<see cref="EcsAssumeRoleRequest.Blocking"/>: e.g. a StringNotEquals aws:SourceAccount naming another account).
/// Service-linked roles are left to ERA002, which already says ECS cannot assume them.
/// </remarks>
public sealed class EcsTasksNotTrustedRule : IAuditRule
{
    /// <summary>ERA010, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA010",
        "Role does not trust ecs-tasks.amazonaws.com",
        Severity.High,
        "ECS assumes the task role and the execution role as the service principal ecs-tasks.amazonaws.com with sts:AssumeRole. "
        + "A role whose trust policy does not allow that (it trusts ecs.amazonaws.com or ec2.amazonaws.com instead, or a Deny blocks it) "
        + "cannot be assumed: tasks fail to start with \"ECS was unable to assume the role\".",
        "Add an Allow statement for the principal {\"Service\": \"ecs-tasks.amazonaws.com\"} and the action sts:AssumeRole to the role's trust policy "
        + "(with aws:SourceAccount and aws:SourceArn conditions), and remove any Deny that blocks it.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role trusts ec2.amazonaws.com (copied from an instance role), not ecs-tasks.amazonaws.com.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}}]}
            """),
        new("The task role trusts ecs-tasks.amazonaws.com.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
                                "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, job) in context.DistinctRoles())
        {
            if (role.Role.TrustPolicy is not { } trust)
            {
                continue; // ERA002 covers service-linked roles; ERA005/ERA047 an unreadable or malformed trust policy
            }
            var statements = trust.Document.Statements;
            var request = EcsAssumeRoleRequest.For(context.TaskDefinition, role.Role);
            var allows = statements.Where(TrustStatements.AllowsEcsTasks).ToList();
            var blocking = request.Blocking(trust.Document).Select(s => s.Label).ToList();
            if (allows.Count > 0 && blocking.Count == 0)
            {
                continue;
            }
            var why = allows.Count > 0
                ? $"a Deny that applies to every ECS request ({string.Join(", ", blocking)}) blocks ecs-tasks.amazonaws.com"
                : Trusted(statements) is { Length: > 0 } trusted
                    ? $"it lets only {trusted} assume it, not ecs-tasks.amazonaws.com"
                    : "no Allow statement lets ecs-tasks.amazonaws.com call sts:AssumeRole";
            yield return Descriptor.For(role.Role.Arn, role.Slot, trust.Source,
                $"ECS cannot assume {role.Role.Name}, the {job} of {context.TaskDefinition.DisplayName}: {why}; tasks fail to start with \"ECS was unable to assume the role\".",
                $"Replace the trust policy of {role.Role.Name} with {request.RecommendedTrust} "
                + $"(aws iam update-assume-role-policy --role-name {role.Role.Name} --policy-document ...), keeping any other principal it must trust.")
                with { Actions = [TrustStatements.AssumeRole] };
        }
    }

    private static string Trusted(IEnumerable<Statement> statements) =>
        string.Join(", ", statements
            .Where(s => s.Effect == Effect.Allow && s.Principals is { IsNegated: false })
            .SelectMany(s => s.Principals!.Entries)
            .Select(TrustStatements.Describe)
            .Distinct(StringComparer.Ordinal));
}
