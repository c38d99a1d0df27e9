using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA004: a role the task definition references does not exist.</summary>
public sealed class MissingRoleRule : IAuditRule
{
    /// <summary>ERA004, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA004",
        "Referenced role does not exist",
        Severity.High,
        "ECS assumes the task role and the execution role when a task starts. A role that does not exist (deleted, renamed, a typo, "
        + "another account's name) makes every task of the definition fail to start, or start without the permissions the application expects.",
        "Create the role in the task definition's account, or register a new revision of the task definition naming a role that exists there.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

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
            // A service-linked role named by its ARN is ERA002's finding, whether or not it exists: the fix is the same.
            if (lookup is RoleLookup.NotFound missing && !ServiceLinkedRoleRule.IsServiceLinkedArn(missing.Reference))
            {
                var remedy = Remediation(missing.Reference, context.TaskDefinition, field, slot);
                yield return Descriptor.For(missing.Reference, slot, new FindingSource(SourceKind.TaskDefinition, field),
                    $"The {(slot == RoleSlot.Task ? "task" : "execution")} role {missing.Reference} of {context.TaskDefinition.DisplayName} does not exist ({missing.Detail}).",
                    remedy.Text)
                    with { Changes = remedy.Changes };
            }
        }
    }

    private const string ServiceLinkedPrefix = "AWSServiceRoleFor";

    // A role of another account is never the fix to create: iam:PassRole passes a role only to a service in the
    // caller's own account, so the task definition must name a role of its own account.
    private static Remedy Remediation(string reference, TaskDefinition definition, string field, RoleSlot slot)
    {
        var revision = new ProposedChange(ChangeKind.RegisterRevision, null);
        var create = new ProposedChange(ChangeKind.CreateRole, null);
        var otherwise = $"or register a revision of {definition.Family} whose {field} names an existing role.";
        var name = Arn.TryParse(reference, out var arn) ? arn.ResourceName : reference;
        if (name.StartsWith(ServiceLinkedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // The name AWS gives service-linked roles: the way out is ERA002's, never a role of that name (the service's own
            // CreateServiceLinkedRole would then find its name taken).
            return Remedy.Of(RoleJobs.CreateRoleFor(definition, reference, RoleJobs.JobOf(slot), field)
                + $"; do not create a role named {name}: {ServiceLinkedPrefix}… is how AWS names service-linked roles, which are never a task role or an execution role.",
                create, revision);
        }
        if (!Arn.TryParse(reference, out _))
        {
            return Remedy.Of($"Create the role {reference} in the task definition's account, {otherwise}", create, revision);
        }
        if (arn.Service != "iam" || arn.ResourceType != "role")
        {
            return Remedy.Of($"Register a revision of {definition.Family} whose {field} names an existing role: {reference} is not an IAM role ARN.", revision);
        }
        if (definition.ArnScope?.Account is { Length: > 0 } ownAccount && arn.Account != ownAccount)
        {
            return Remedy.Of($"Register a revision of {definition.Family} whose {field} names a role of account {ownAccount}: the role is in account {arn.Account}, "
                + "and iam:PassRole passes a role only to a service in the same account.", revision);
        }
        var path = "/" + arn.ResourceId[..^arn.ResourceName.Length];
        return Remedy.Of($"Create the role {arn.ResourceName}{(path == "/" ? "" : $" with path {path}")} in account {arn.Account}, {otherwise}", create, revision);
    }
}
