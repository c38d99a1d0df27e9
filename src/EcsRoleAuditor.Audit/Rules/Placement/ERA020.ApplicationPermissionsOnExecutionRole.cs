using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA020: the execution role grants actions the ECS agent never performs (application permissions).</summary>
public sealed class ApplicationPermissionsOnExecutionRoleRule : IAuditRule
{
    /// <summary>ERA020, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA020",
        "Execution role grants permissions the ECS agent does not use",
        Severity.Medium,
        "The execution role's credentials are used by the ECS agent only, to pull images, write logs and read the task definition's secrets, "
        + "parameters and environment files; they never reach the containers. Anything else on it is useless to the application and widens "
        + "what a misuse of the agent's credentials can do. What the agent uses is what AmazonECSTaskExecutionRolePolicy grants, reads of "
        + "secrets and parameters, and what the task definition itself calls for (S3 reads for environment files or a FireLens configuration, "
        + "log group creation, a pull-through cache, kms:Decrypt for secrets). Write and permissions-management actions raise the severity to HIGH. "
        + "A role that is also the task role is ERA001's finding.",
        "Move the statement to the task role if the application needs it, otherwise delete it; keep the execution role to "
        + "AmazonECSTaskExecutionRolePolicy plus read access to the referenced secrets, parameters, keys and environment files.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The execution role lets the agent write to an S3 bucket, which only the application would do.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution","inline":{"uploads":{"Version":"2012-10-17","Statement":[{"Sid":"Uploads","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::web-uploads/*"}]}}}]}
            """),
        new("The execution role holds only what the agent uses; S3 access is on the task role.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"uploads":{"Version":"2012-10-17","Statement":[{"Sid":"Uploads","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::web-uploads/*"}]}}},
                      {"arn":"arn:aws:iam::111122223333:role/web-execution","inline":{"logs":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web:*"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A role in both slots is ERA001's: its credentials do reach the containers, and the fix is a separate execution role.
        if (context.ExecutionRole is not { } role || context.TaskRole is { } both && both.Role.Arn.Equals(role.Role.Arn, StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }
        var permissions = role.Permissions;
        var vocabulary = AgentActions(context, permissions.Catalog);
        var taskRole = context.TaskRole;
        foreach (var grant in BreadthAnalysis.AllowsBelowAdmin(role))
        {
            var extra = permissions.ReachedThrough(grant);
            extra.ExceptWith(vocabulary);
            var actions = extra.Actions.ToList();
            if (actions.Count == 0)
            {
                continue;
            }
            var names = actions.ConvertAll(a => a.FullName);
            var powerful = actions.Exists(a => a.AccessLevel is AccessLevel.Write or AccessLevel.PermissionsManagement);
            var severity = powerful ? Severity.High : Descriptor.DefaultSeverity;
            var source = role.SourceOf(grant.Source);
            var destination = taskRole is null ? "a task role (taskRoleArn) created for the application" : $"the task role {taskRole.Role.Name}";
            var finding = BreadthAnalysis.StatementFinding(Descriptor, role, role.Slot, grant,
                $"Execution role {role.Role.Name} grants {FindingFactory.Count(names.Count, "action")} the ECS agent never uses ({FindingFactory.Summarise(names)})"
                + $"{(powerful ? ", including write or permissions-management actions" : "")}; its credentials never reach the containers",
                FixFor(role, grant, source, taskRole, destination),
                names,
                [.. permissions.ScopesThrough(grant, extra)],
                severity);
            yield return finding;
        }
    }

    /// <summary>
    /// What the agent may call with this execution role: what AmazonECSTaskExecutionRolePolicy grants, the reads of secrets
    /// and parameters (whose reach ERA022 judges), and what this task definition's needs add — environment files and a
    /// FireLens configuration in S3, log group creation, a pull-through cache, and kms:Decrypt when it reads secrets (a
    /// customer managed key may encrypt them).
    /// </summary>
    private static ActionSet AgentActions(AuditContext context, ActionCatalog catalog)
    {
        var needs = context.Needs.Where(n => n.Slot == RoleSlot.Execution).ToList();
        // Containers the input leaves unknown may need anything an execution role is ever used for.
        var unknown = !context.TaskDefinition.NeedsKnown(RoleSlot.Execution);
        IEnumerable<string> actions =
        [
            .. ExecutionPlane.ManagedPolicyActions,
            "secretsmanager:GetSecretValue", "ssm:GetParameters", "ssm:GetParameter",
            .. unknown ? TaskDefinitionNeeds.ExecutionActions : needs.Select(n => n.Action),
            .. unknown || needs.Exists(n => n.Action is "secretsmanager:GetSecretValue" or "ssm:GetParameters") ? ["kms:Decrypt"] : Array.Empty<string>(),
            .. unknown || needs.Exists(n => n.Action == "ecr:BatchImportUpstreamImage") ? ["ecr:CreateRepository"] : Array.Empty<string>(),
        ];
        return PlacementPolicyText.ToActionSet(catalog, actions);
    }

    // Off the execution role; onto the task role only as something the application may need, and never a policy IAM
    // attaches to service-linked roles alone.
    private static Remedy FixFor(AuditedRole role, Grant grant, FindingSource source, AuditedRole? taskRole, string destination)
    {
        if (PlacementPolicyText.IsServiceRolePolicy(source))
        {
            return PlacementPolicyText.RemoveStatement(role, grant).Append(": it is a service-linked role's policy, which no task role can hold either.");
        }
        if (source.IsAwsManagedPolicy)
        {
            var detach = PlacementPolicyText.RemoveStatement(role, grant)
                .Append($"; if the application needs it, attach it to {destination} instead (better: a customer managed policy scoped to the application's resources).");
            return taskRole is null ? detach : detach with { Changes = detach.Changes.Add(new ProposedChange(ChangeKind.AttachPolicy, taskRole.Role.Arn, source)) };
        }
        var statement = PlacementPolicyText.QuotedStatement(grant.Source.Statement);
        return Remedy.Of($"Move this statement to {destination} if the application needs it, otherwise delete it: {statement}",
            new ProposedChange(ChangeKind.RemoveStatement, role.Role.Arn, source, grant.Source.Statement.Label));
    }
}
