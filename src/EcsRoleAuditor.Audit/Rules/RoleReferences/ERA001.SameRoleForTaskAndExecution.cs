using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA001: the task role and the execution role are the same role.</summary>
public sealed class SameRoleForTaskAndExecutionRule : IAuditRule
{
    /// <summary>ERA001, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA001",
        "Task role and execution role are the same role",
        Severity.High,
        "The execution role is for the ECS agent (pull images, write logs, read secrets); the task role is what the application's code holds. "
        + "One role for both hands the application the agent's powers — every secret of the task definition and the image registry — and hands the agent the application's.",
        "Create a separate execution role with AmazonECSTaskExecutionRolePolicy plus read access to exactly the secrets the task definition references, "
        + "and keep only the application's permissions on the task role.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("One role named as both taskRoleArn and executionRoleArn.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web","executionRoleArn":"arn:aws:iam::111122223333:role/web",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web","inline":{"app":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}]}}}]}
            """),
        new("Two roles, one per job.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}]}}},
                      {"arn":"arn:aws:iam::111122223333:role/web-execution"}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TaskRole is not { } task || context.ExecutionRole is not { } execution
            || !string.Equals(task.Role.Arn, execution.Role.Arn, StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }
        yield return Descriptor.For(task.Role.Arn, RoleSlot.TaskDefinition, new FindingSource(SourceKind.TaskDefinition, "taskRoleArn, executionRoleArn"),
            $"Role {task.Role.Name} is both the task role and the execution role of {context.TaskDefinition.DisplayName}: the application holds the agent's powers over images, logs and secrets.",
            $"Create an execution role for {context.TaskDefinition.Family} (trusting ecs-tasks.amazonaws.com, with AmazonECSTaskExecutionRolePolicy and read access to the task definition's secrets), "
            + $"set it as executionRoleArn, and remove those permissions from {task.Role.Name}.")
            with { Changes = [new ProposedChange(ChangeKind.CreateRole, null), new ProposedChange(ChangeKind.RegisterRevision, null)] };
    }
}
