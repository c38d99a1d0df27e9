using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA004: a role the task definition references does not exist.</summary>
public sealed class MissingRoleRule : IAuditRule
{
    /// <inheritdoc/>
    public RuleDescriptor Descriptor { get; } = new(
        "ERA004",
        "Referenced role does not exist",
        Severity.High,
        "ECS assumes the task role and the execution role when a task starts. A role that does not exist (deleted, renamed, a typo, "
        + "another account's name) makes every task of the definition fail to start, or start without the permissions the application expects.",
        "Create the role, or register a new revision of the task definition naming a role that exists.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"]);

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The execution role was deleted.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/deleted-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[]}
            """),
        new("The execution role exists.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution"}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (lookup, slot, field) in new[] { (context.TaskRoleLookup, RoleSlot.Task, "taskRoleArn"), (context.ExecutionRoleLookup, RoleSlot.Execution, "executionRoleArn") })
        {
            if (lookup is RoleLookup.NotFound missing)
            {
                yield return Descriptor.For(missing.Reference, slot, new FindingSource(SourceKind.TaskDefinition, field),
                    $"The {(slot == RoleSlot.Task ? "task" : "execution")} role {missing.Reference} of {context.TaskDefinition.DisplayName} does not exist ({missing.Detail}).",
                    $"Create {missing.Reference.Split('/')[^1]}, or register a revision of {context.TaskDefinition.Family} whose {field} names an existing role.");
            }
        }
    }
}
