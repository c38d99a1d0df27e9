using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA002: a service-linked role (such as AWSServiceRoleForECS) is named as the task role or the execution role.</summary>
public sealed class ServiceLinkedRoleRule : IAuditRule
{
    /// <inheritdoc/>
    public RuleDescriptor Descriptor { get; } = new(
        "ERA002",
        "Service-linked role used as task or execution role",
        Severity.Critical,
        "Service-linked roles (path /aws-service-role/, e.g. AWSServiceRoleForECS) belong to an AWS service: they trust that service only "
        + "(ecs.amazonaws.com, not ecs-tasks.amazonaws.com) and cannot be edited, so tasks fail to start with \"ECS was unable to assume the role\". "
        + "Making them assumable would hand containers the ECS control plane's powers (network interfaces, security groups, load balancers, clusters).",
        "Create a dedicated role that trusts ecs-tasks.amazonaws.com (with aws:SourceAccount/aws:SourceArn conditions) holding only what the task "
        + "or the agent needs, and register a task definition revision naming it.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"]);

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The execution role is the ECS service-linked role.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS","path":"/aws-service-role/ecs.amazonaws.com/",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}}]}
            """),
        new("The execution role is an ordinary role trusting ecs-tasks.amazonaws.com.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution"}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, job) in context.DistinctRoles().Where(r => r.Role.Role.IsServiceLinked))
        {
            var fields = string.Join(", ", context.Roles.Where(r => r.Role == role.Role).Select(r => r.Slot == RoleSlot.Task ? "taskRoleArn" : "executionRoleArn"));
            yield return Descriptor.For(role.Role.Arn, role.Slot, new FindingSource(SourceKind.TaskDefinition, fields),
                $"{context.TaskDefinition.DisplayName} names the service-linked role {role.Role.Name} (path {role.Role.Path}) as its {job}: "
                + "it trusts only its AWS service, so tasks fail to start with \"ECS was unable to assume the role\".",
                $"Create a role for {context.TaskDefinition.Family} trusting ecs-tasks.amazonaws.com with only the permissions the {job} needs "
                + $"(the trust policy: {TrustStatements.RecommendedTrust(TrustStatements.AccountOf(role.Role.Arn))}), and register a revision whose {fields} names it.");
        }
    }
}
