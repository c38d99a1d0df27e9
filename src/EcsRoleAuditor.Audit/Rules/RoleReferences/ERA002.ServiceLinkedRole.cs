using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA002: a service-linked role (such as AWSServiceRoleForECS) is named as the task role or the execution role.</summary>
public sealed class ServiceLinkedRoleRule : IAuditRule
{
    /// <summary>ERA002, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
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
    public RuleDescriptor Descriptor => Rule;

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
        var slots = new[] { (context.TaskRoleLookup, RoleSlot.Task), (context.ExecutionRoleLookup, RoleSlot.Execution) }
            .Select(s => (Reference: Reference(s.Item1), Slot: s.Item2, Lookup: s.Item1))
            // A role that was read says by its path; one that was not, by the path in the ARN the task definition wrote.
            .Where(s => s.Lookup is RoleLookup.Found found ? found.Role.IsServiceLinked : s.Reference is not null && IsServiceLinkedArn(s.Reference))
            .ToList();
        // One finding per role, naming every slot it fills: its own policies say nothing more about the task (no other rule looks at them).
        foreach (var group in slots.GroupBy(s => s.Reference!, StringComparer.OrdinalIgnoreCase))
        {
            var fields = string.Join(", ", group.Select(s => s.Slot == RoleSlot.Task ? "taskRoleArn" : "executionRoleArn"));
            var job = string.Join(" and ", group.Select(s => RoleJobs.JobOf(s.Slot)));
            var first = group.First();
            var (name, path, arn) = first.Lookup is RoleLookup.Found { Role: var role }
                ? (role.Name, role.Path, role.Arn)
                : (Arn.TryParse(group.Key, out var parsed) ? parsed.ResourceName : group.Key, "/aws-service-role/", group.Key);
            var both = group.Count() > 1;
            // Both slots: two roles, since one role doing both jobs is ERA001's finding.
            var create = both
                ? $"Create two roles for {context.TaskDefinition.Family} trusting ecs-tasks.amazonaws.com — a task role with only the permissions the application needs "
                  + $"and a separate execution role with only what the agent needs to start the task (the trust policy: {EcsAssumeRoleRequest.For(context.TaskDefinition, arn).RecommendedTrust}) — and register a revision whose "
                  + "taskRoleArn and executionRoleArn name them"
                : RoleJobs.CreateRoleFor(context.TaskDefinition, arn, job, fields);
            yield return Descriptor.For(arn, both ? RoleSlot.TaskDefinition : first.Slot, new FindingSource(SourceKind.TaskDefinition, fields),
                $"{context.TaskDefinition.DisplayName} names the service-linked role {name} (path {path}) as its {job}: "
                + "it trusts only its AWS service, so tasks fail to start with \"ECS was unable to assume the role\".",
                $"{create}; leave {name} as it is (a service-linked role's permissions cannot be changed).")
                with
                {
                    Changes = both
                        ? [new ProposedChange(ChangeKind.CreateRole, null), new ProposedChange(ChangeKind.CreateRole, null), new ProposedChange(ChangeKind.RegisterRevision, null)]
                        : [new ProposedChange(ChangeKind.CreateRole, null), new ProposedChange(ChangeKind.RegisterRevision, null)],
                };
        }
    }

    /// <summary>True for a role ARN under <c>/aws-service-role/</c>: the path IAM gives service-linked roles, and only them.</summary>
    internal static bool IsServiceLinkedArn(string reference) =>
        Arn.TryParse(reference, out var arn) && arn.Service == "iam" && arn.Resource.StartsWith("role/aws-service-role/", StringComparison.Ordinal);

    private static string? Reference(RoleLookup? lookup) => lookup switch
    {
        RoleLookup.Found found => found.Role.Arn,
        RoleLookup.NotFound notFound => notFound.Reference,
        RoleLookup.Unreadable unreadable => unreadable.Reference,
        _ => null,
    };
}
