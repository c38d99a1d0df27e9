using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA030: the task role holds execution-plane permissions (ECR image pull, AmazonECSTaskExecutionRolePolicy).</summary>
public sealed class ExecutionPermissionsOnTaskRoleRule : IAuditRule
{
    /// <summary>ERA030, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA030",
        "Task role holds execution-plane permissions",
        Severity.Low,
        "Pulling the image is the ECS agent's job, done with the execution role before the containers start. ECR pull permissions or "
        + "AmazonECSTaskExecutionRolePolicy on the task role hand them to the application's code, which rarely needs them, and usually "
        + "mean the two roles were confused.",
        "Remove AmazonECSTaskExecutionRolePolicy and the ECR pull actions from the task role and give them to the execution role; "
        + "keep them on the task role only if the application itself pulls images.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("AmazonECSTaskExecutionRolePolicy is attached to the task role.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","managed":{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy":
               {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}}}]}
            """),
        new("The task role holds the application's permissions only.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A role in both slots is ERA001's finding; the execution slot legitimately holds these permissions.
        if (context.TaskRole is not { } role)
        {
            yield break;
        }
        var permissions = role.Permissions;
        var pull = PlacementPolicyText.ToActionSet(permissions.Catalog, PlacementPolicyText.EcrPullActions);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var grant in permissions.IdentityAllows)
        {
            // Only statements that name ECR, or the attached execution policy: "*" and NotAction grants are the breadth rules' findings.
            if (!ExecutionPlane.IsMisplacedOnTaskRole(context, role, grant))
            {
                continue;
            }
            var source = role.SourceOf(grant.Source);
            var attached = PlacementPolicyText.IsTaskExecutionRolePolicyArn(source.Arn);
            var held = permissions.ReachedThrough(grant);
            held.IntersectWith(pull);
            var actions = BreadthAnalysis.Names(held);
            if (actions.Count == 0 || (attached && !reported.Add(grant.Source.PolicyName)))
            {
                continue;
            }
            var message = attached
                ? $"{PlacementPolicyText.TaskExecutionRolePolicyName} is attached to task role {role.Role.Name}: its ECR pull permissions ({string.Join(", ", actions)}) belong to the execution role."
                : $"Task role {role.Role.Name} holds ECR pull permissions ({string.Join(", ", actions)}) through {source}: they belong to the execution role.";
            var fix = attached
                ? PlacementPolicyText.RemoveStatement(role, grant).Append(" and attach it to the execution role.")
                : PlacementPolicyText.EditStatement(role, grant, $"remove {string.Join(", ", actions)} (and grant them to the execution role)"
                    + (source.IsAwsManagedPolicy ? "" : $": {PlacementPolicyText.QuotedStatement(grant.Source.Statement)}"));
            yield return BreadthAnalysis.StatementFinding(Descriptor, role, role.Slot, grant, message, fix, actions, [.. permissions.ScopesThrough(grant, held)]);
        }
    }
}
