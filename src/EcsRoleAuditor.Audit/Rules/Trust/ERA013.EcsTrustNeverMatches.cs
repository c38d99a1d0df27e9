using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA013: the ecs-tasks.amazonaws.com trust has conditions that ECS's sts:AssumeRole request can never meet.</summary>
/// <remarks>
/// <para>
/// ECS sets aws:SourceAccount to the task's account and aws:SourceArn to an ECS ARN of the task's partition, region and
/// account (<see cref="EcsAssumeRoleRequest"/>). Each Allow that lets ecs-tasks call sts:AssumeRole has its conditions
/// decided against that with the one condition evaluator: when every such statement can never hold (another account,
/// a pattern of another region or partition, StringEquals with a wildcard, which it compares literally), ECS can never
/// assume the role (HIGH). When the statements that do not fail outright all accept only part of the account's ECS ARNs
/// (a specific cluster), tasks may fail: AWS documents that naming a cluster is not supported and does not document the
/// exact ARN ECS sends (MEDIUM, conditional). A statement that depends on anything else (a tag, a region the audit does
/// not know) may admit ECS, so it silences the rule; one statement that holds suffices.
/// </para>
/// <para>
/// A rule of its own rather than part of ERA010: ERA010 says the trust names no ecs-tasks Allow or a Deny blocks it, and
/// its fix is the principal; this one says the Allow exists but its conditions are wrong, and its fix is the condition.
/// Suppressions written for either keep their meaning. No ecs-tasks Allow or an unconditional Deny is left to ERA010;
/// ERA012 (no confused-deputy guard) stays quiet for a role this rule reports. Service-linked roles are left to ERA002.
/// </para>
/// </remarks>
public sealed class EcsTrustNeverMatchesRule : IAuditRule
{
    /// <summary>ERA013, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA013",
        "ecs-tasks trust conditions never match ECS's request",
        Severity.High,
        "ECS calls sts:AssumeRole with aws:SourceAccount set to the task's account and aws:SourceArn set to an ECS ARN of the task's partition, "
        + "region and account. When every statement that trusts ecs-tasks.amazonaws.com requires other values (an account copied from another "
        + "environment, an ARN pattern of another region or partition, a StringEquals whose * is compared literally), ECS can never assume the role "
        + "and every task fails to start with \"ECS was unable to assume the role\". AWS also documents that naming a specific cluster in "
        + "aws:SourceArn is not supported; a trust that accepts only part of the account's ECS ARNs is reported at MEDIUM.",
        "Use the condition AWS documents, with the task definition's partition, region and account: \"Condition\": {\"ArnLike\": {\"aws:SourceArn\": "
        + "\"arn:PARTITION:ecs:REGION:ACCOUNT:*\"}, \"StringEquals\": {\"aws:SourceAccount\": \"ACCOUNT\"}} (write * for the region when tasks in "
        + "several regions use the role).",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role's trust was copied from the staging account: its conditions name account 444455556666, so ECS, acting for a task of 111122223333, never matches.", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","family":"web","revision":3,
                               "taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
                                "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:444455556666:*"},"StringEquals":{"aws:SourceAccount":"444455556666"}}}]}}]}
            """),
        new("The conditions name the task definition's own region and account.", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","family":"web","revision":3,
                               "taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
                                "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, job) in context.DistinctRoles())
        {
            if (role.Role.TrustPolicy is not { } trust)
            {
                continue;
            }
            var request = EcsAssumeRoleRequest.For(context.TaskDefinition, role.Role);
            if (request.Unmatchable(trust.Document) is not { } fits)
            {
                continue;
            }
            var name = role.Role.Name;
            var reasons = string.Join("; ", fits.Select(f =>
                $"{f.Statement.Label} {(f.Fit == ConditionFit.Never ? "requires" : "accepts only")} {string.Join(" and ", f.Clauses.Select(c => FindingFactory.ClauseText([c])))}"));
            var narrowing = fits.Where(f => f.Fit == ConditionFit.NarrowsSourceArn).SelectMany(f => f.Clauses).ToList();
            var message = narrowing.Count == 0
                ? $"ECS can never assume {name}, the {job} of {context.TaskDefinition.DisplayName}: it calls sts:AssumeRole with {request.Description}, "
                  + $"which no statement that trusts ecs-tasks.amazonaws.com accepts ({reasons}); every task fails to start with \"ECS was unable to assume the role\"."
                : $"ECS may be unable to assume {name}, the {job} of {context.TaskDefinition.DisplayName}: no statement that trusts ecs-tasks.amazonaws.com "
                  + $"accepts every ECS ARN of the task's account ({reasons}). ECS calls sts:AssumeRole with {request.Description}; AWS documents that naming "
                  + "a specific cluster in aws:SourceArn is not supported and does not document the exact ARN ECS sends, so tasks may fail to start "
                  + "with \"ECS was unable to assume the role\".";
            var labels = fits.Select(f => f.Statement.Label).ToList();
            var which = labels.Count == 1 ? $"statement {labels[0]}" : $"one of statements {string.Join(", ", labels)}";
            var remediation = $"Replace the Condition of {which} in the trust policy of {name} with \"Condition\":{request.RecommendedCondition} "
                + $"(aws iam update-assume-role-policy --role-name {name} --policy-document ...)"
                + (request.Region is null ? "." : "; if task definitions in other regions use the role, write * for the region.");
            yield return Descriptor.For(role.Role.Arn, role.Slot, trust.Source, message, remediation)
                with
            {
                Severity = narrowing.Count == 0 ? Severity.High : Severity.Medium,
                Statement = string.Join(", ", labels),
                Actions = [TrustStatements.AssumeRole],
                Conditional = narrowing.Count == 0 ? null : $"ECS's aws:SourceArn matches none of {FindingFactory.ClauseText(narrowing)}",
            };
        }
    }
}
