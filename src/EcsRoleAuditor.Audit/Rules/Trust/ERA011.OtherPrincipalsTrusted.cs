using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA011: a role's trust policy lets principals other than ecs-tasks.amazonaws.com assume it.</summary>
/// <remarks>
/// One finding per Allow statement that covers sts:AssumeRole, AssumeRoleWithWebIdentity or AssumeRoleWithSAML, naming
/// every other principal it admits. <c>"*"</c>, <c>{"AWS": "*"}</c> and NotPrincipal (everyone it does not name) mean
/// anyone: CRITICAL without a condition, HIGH with one (the condition may narrow it to one organization or account, so
/// the finding says which). A principal an unconditional Deny blocks from every action the statement allows is not
/// reported. Service-linked roles are left to ERA002.
/// </remarks>
public sealed class OtherPrincipalsTrustedRule : IAuditRule
{
    /// <summary>ERA011, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA011",
        "Trust policy lets other principals assume the role",
        Severity.High,
        "Whoever a role's trust policy admits can obtain its credentials outside ECS: other accounts, users, roles, services or identity providers "
        + "get the task's application permissions or the execution role's access to secrets and images. A trust of \"*\" without a condition lets "
        + "any AWS principal in any account assume the role.",
        "Trust only {\"Service\": \"ecs-tasks.amazonaws.com\"} in the task and execution roles; give any other principal that needs these permissions a role of its own.",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role also trusts another account's root, so anyone there with sts:AssumeRole can become it.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[
                         {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}},
                         {"Sid":"Debug","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}}]}
            """),
        new("The task role trusts only ecs-tasks.amazonaws.com.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task",
                       "trust":{"Version":"2012-10-17","Statement":[
                         {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}}]}
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
            foreach (var statement in trust.Document.Statements.Where(s => s.Effect == Effect.Allow))
            {
                var actions = TrustStatements.AssumeActionsOf(statement);
                if (actions.IsEmpty || statement.Principals is not { } principals)
                {
                    continue;
                }
                var admitted = (principals.IsNegated ? [new PrincipalEntry(PrincipalType.Anyone, "*")] : principals.Entries)
                    .Where(p => !SameAsEcsTasks(p))
                    .Where(p => actions.Any(a => !TrustStatements.Blocking(trust.Document, p, a).Any()))
                    .ToList();
                if (admitted.Count == 0)
                {
                    continue;
                }
                var anyone = admitted.Any(TrustStatements.IsAnyone);
                var conditions = TrustStatements.ConditionText(statement);
                var who = string.Join(", ", admitted.Select(TrustStatements.Describe));
                if (principals.IsNegated)
                {
                    who = $"everyone except {string.Join(", ", principals.Entries.Select(TrustStatements.Describe))} (NotPrincipal)";
                }
                yield return Descriptor.For(role.Role.Arn, role.Slot, trust.Source,
                    $"The trust policy of {role.Role.Name}, the {job} of {context.TaskDefinition.DisplayName}, lets {who} call {string.Join(", ", actions)} "
                    + (conditions is null ? "without any condition" : $"when {conditions}")
                    + (!anyone ? ": they can take the role's credentials outside ECS."
                        : conditions is null ? ": any principal of any AWS account can take the role's credentials."
                        : ": any principal that meets the condition can take the role's credentials."),
                    $"Remove {who} from statement {statement.Label} of the trust policy of {role.Role.Name} "
                    + $"(aws iam update-assume-role-policy --role-name {role.Role.Name}); the trust policy ECS needs is {EcsAssumeRoleRequest.For(context.TaskDefinition, role.Role).RecommendedTrust}.")
                    with
                {
                    Severity = anyone && conditions is null ? Severity.Critical : Severity.High,
                    Statement = statement.Label,
                    Actions = actions,
                    Conditional = conditions,
                };
            }
        }
    }

    private static bool SameAsEcsTasks(PrincipalEntry principal) =>
        principal.Type == PrincipalType.Service && principal.Value.Equals(TrustStatements.EcsTasks.Value, StringComparison.OrdinalIgnoreCase);
}
