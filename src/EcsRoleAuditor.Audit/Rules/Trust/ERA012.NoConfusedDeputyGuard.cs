using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA012: the ecs-tasks.amazonaws.com trust has no aws:SourceAccount or aws:SourceArn condition (confused deputy).</summary>
/// <remarks>
/// Either key suffices (IAM User Guide, "The confused deputy problem"). A statement counts as guarded when one of its
/// clauses tests aws:SourceAccount or aws:SourceArn (keys compare case-insensitively) with a positive string or ARN
/// operator (StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike, optionally ForAnyValue:) and no value
/// is a bare <c>*</c>; <c>...IfExists</c> and ForAllValues: do not count, because they hold when the key is absent.
/// A Deny of sts:AssumeRole covering ecs-tasks whose conditions all test those keys with a negated operator (e.g.
/// StringNotEquals aws:SourceAccount) guards every statement as well. A role whose ecs-tasks conditions ECS's request can
/// never meet is ERA013's: its conditions are wrong rather than missing, and ERA013's fix is the guard this rule asks for.
/// </remarks>
public sealed class NoConfusedDeputyGuardRule : IAuditRule
{
    private static readonly string[] GuardKeys = ["aws:SourceAccount", "aws:SourceArn"];

    /// <summary>ERA012, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA012",
        "ecs-tasks trust has no confused-deputy condition",
        Severity.Low,
        "ECS assumes task roles on behalf of whoever registers and runs tasks. Without an aws:SourceAccount or aws:SourceArn condition, "
        + "the trust does not tie the role to tasks of its own account, so a confused deputy (ECS acting for another account's task) cannot be ruled out. "
        + "AWS recommends the conditions for every service principal.",
        "Add \"Condition\": {\"ArnLike\": {\"aws:SourceArn\": \"arn:PARTITION:ecs:REGION:ACCOUNT:*\"}, \"StringEquals\": {\"aws:SourceAccount\": \"ACCOUNT\"}} "
        + "to the statement that trusts ecs-tasks.amazonaws.com.",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role trusts ecs-tasks.amazonaws.com without any condition.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}}]}
            """),
        new("The trust is tied to the account's ECS resources.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
                                "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:*"}}}]}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, job) in context.DistinctRoles())
        {
            if (role.Role.TrustPolicy is not { } trust || trust.Document.Statements.Any(IsGuardingDeny))
            {
                continue;
            }
            var request = EcsAssumeRoleRequest.For(context.TaskDefinition, role.Role);
            if (request.Unmatchable(trust.Document) is not null)
            {
                continue; // ERA013 reports these statements, with the condition to write
            }
            foreach (var statement in trust.Document.Statements.Where(s => TrustStatements.AllowsEcsTasks(s) && TrustStatements.NamesExplicitly(s, TrustStatements.EcsTasks)))
            {
                if (statement.Conditions.Any(IsGuard))
                {
                    continue;
                }
                yield return Descriptor.For(role.Role.Arn, role.Slot, trust.Source,
                    $"The trust of {role.Role.Name} (the {job} of {context.TaskDefinition.DisplayName}) in ecs-tasks.amazonaws.com has no aws:SourceAccount or aws:SourceArn condition, "
                    + "so it is not tied to this account's tasks.",
                    statement.Conditions.Any()
                        ? $"Add these tests to the Condition of statement {statement.Label} of the trust policy of {role.Role.Name}, merged with the tests it has: {request.RecommendedCondition}."
                        : $"Add \"Condition\":{request.RecommendedCondition} to statement {statement.Label} of the trust policy of {role.Role.Name}.")
                    with
                {
                    Statement = statement.Label,
                    Actions = [TrustStatements.AssumeRole],
                    Conditional = TrustStatements.ConditionText(statement),
                };
            }
        }
    }

    private static bool IsGuardKey(ConditionClause clause) => GuardKeys.Contains(clause.Key, StringComparer.OrdinalIgnoreCase);

    private static bool IsGuard(ConditionClause clause) =>
        IsGuardKey(clause)
        && clause.Operator is ConditionOperator.StringEquals or ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringLike
            or ConditionOperator.ArnEquals or ConditionOperator.ArnLike
        && !clause.IfExists
        && clause.Qualifier != SetQualifier.ForAllValues
        && !clause.Values.Contains("*");

    private static bool IsGuardingDeny(Statement statement) =>
        statement.Effect == Effect.Deny
        && TrustStatements.Covers(statement, TrustStatements.AssumeRole)
        && TrustStatements.Includes(statement, TrustStatements.EcsTasks)
        && !statement.Conditions.IsEmpty
        && statement.Conditions.All(c => IsGuardKey(c) && c.IsNegated && c.Qualifier == SetQualifier.None && !c.Values.Contains("*"));
}
