using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Needs;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA003: the task definition needs an execution role (private ECR images, awslogs, secrets, registry credentials, environment files, FireLens configuration in S3) and names none.</summary>
public sealed class MissingExecutionRoleRule : IAuditRule
{
    /// <summary>ERA003, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA003",
        "Task definition needs an execution role and names none",
        Severity.High,
        "The ECS agent pulls private ECR images, sends awslogs output, reads secrets and parameters, registry credentials, environment files "
        + "and a FireLens configuration file in S3 with the execution role's credentials. Secrets, registry credentials, environment files and "
        + "FireLens configuration in S3 always need it, and so do images and awslogs on Fargate, external instances and ECS Managed Instances; "
        + "on EC2 the agent pulls images and sends logs with the container instance role instead, which every task on the instance shares. "
        + "The severity follows where the task definition may run (compatibilities, else requiresCompatibilities): HIGH where the task cannot start, "
        + "MEDIUM when its launch types are unknown, INFO when it runs only on EC2.",
        "Create an execution role trusting ecs-tasks.amazonaws.com with exactly the statements the task definition needs (the finding gives them), "
        + "and register a revision naming it as executionRoleArn.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("A container reads a secret from Secrets Manager, but the task definition names no execution role.", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","family":"web","revision":3,
              "containerDefinitions":[{"name":"web","image":"nginx:1.27",
                "secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}]}]},
             "roles":[]}
            """),
        new("The same task definition with an execution role.", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","family":"web","revision":3,
              "executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27",
                "secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}]}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution",
                       "inline":{"secrets":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var definition = context.TaskDefinition;
        var needs = context.Needs.Where(n => n.Slot == RoleSlot.Execution).ToList();
        if (definition.ExecutionRoleArn is not null || needs.Count == 0)
        {
            yield break;
        }
        var reasons = FindingFactory.Summarise([.. needs.Select(n => n.Reason).Distinct(StringComparer.Ordinal)]);
        var policy = PolicyFor(needs.Where(n => n.Certain));
        var remediation = $"Create an execution role for {definition.Family} with the trust policy {EcsAssumeRoleRequest.For(definition, (string?)null).RecommendedTrust} "
            + $"and the policy {policy}, and register a revision of {definition.Family} naming it as executionRoleArn.";
        var (severity, message) = needs.Any(n => !IsInstanceRoleFallback(n))
            ? (Severity.High, $"{definition.DisplayName} names no execution role, but the agent needs one for {reasons}: the task cannot start.")
            : ImagesAndLogsOnly(definition, needs, reasons);
        yield return Descriptor.For(null, RoleSlot.Execution, new FindingSource(SourceKind.TaskDefinition, "executionRoleArn"), message, remediation)
            with
        {
            Severity = severity,
            Changes = [new ProposedChange(ChangeKind.CreateRole, null, PolicyJson: policy), new ProposedChange(ChangeKind.RegisterRevision, null)],
            Actions = [.. needs.Select(n => n.Action).Distinct(StringComparer.Ordinal)],
            Resources = [.. needs.Select(n => n.Resource).Distinct(StringComparer.Ordinal)],
        };
    }

    // The launch types on which the agent pulls ECR images and sends awslogs only with the execution role (Amazon ECS
    // Developer Guide, "Amazon ECS task execution IAM role"); on EC2 it uses the container instance role instead.
    private static readonly (string LaunchType, string Words)[] WithoutInstanceRoleFallback =
    [
        (LaunchType.Fargate, "Fargate"),
        (LaunchType.External, "external instances (ECS Anywhere)"),
        (LaunchType.ManagedInstances, "ECS Managed Instances"),
    ];

    /// <summary>Images and awslogs only: whether the task can start depends on where it runs.</summary>
    private static (Severity, string) ImagesAndLogsOnly(TaskDefinition definition, List<Need> needs, string reasons)
    {
        var withoutFallback = WithoutInstanceRoleFallback.Where(l => definition.Lists(l.LaunchType)).Select(l => l.Words).ToList();
        if (withoutFallback.Count > 0 && !definition.LaunchTypesDeclared)
        {
            // Only compatibilities says so: ECS would accept the task there, the team did not declare that it runs there.
            return (Severity.Medium, $"{definition.DisplayName} names no execution role, which the agent needs for {reasons} "
                + $"if the task runs on {string.Join(" or ", withoutFallback)}, where ECS accepts it (compatibilities): there the task cannot start"
                + (definition.Lists(LaunchType.Ec2) ? ", while on EC2 the container instance role stands in." : "."));
        }
        if (withoutFallback.Count > 0)
        {
            return (Severity.High, $"{definition.DisplayName} names no execution role, but the agent needs one for {reasons}: "
                + $"the task cannot start on {string.Join(" or ", withoutFallback)}"
                + (definition.Lists(LaunchType.Ec2) ? "; on EC2 the container instance role stands in." : "."));
        }
        if (definition.RunsOnlyOn(LaunchType.Ec2))
        {
            var jobs = string.Join(" and ", new[]
            {
                needs.Any(IsImagePull) ? "pulls its images" : null,
                needs.Any(IsAwslogs) ? "sends its awslogs output" : null,
            }.OfType<string>());
            return (Severity.Info, $"{definition.DisplayName} names no execution role and runs only on EC2: the container instance role {jobs} "
                + $"({reasons}), and every task on the instance shares that role. An execution role would be needed only for "
                + "secrets, private registry authentication, a FireLens configuration in S3 or environment files, none of which it uses.");
        }
        var where = definition.LaunchTypesKnown
            ? $"it lists launch types this audit does not know ({string.Join(", ", definition.LaunchTypes)})"
            : "the task definition does not say where it runs (no compatibilities or requiresCompatibilities)";
        return (Severity.Medium, $"{definition.DisplayName} names no execution role, which the agent needs for {reasons} "
            + $"if the task runs on {string.Join(" or ", WithoutInstanceRoleFallback.Select(l => l.Words))}: there the task cannot start, "
            + $"while on EC2 the container instance role stands in ({where}).");
    }

    // On EC2 the agent pulls ECR images and sends awslogs with the container instance role when the task has no execution role.
    private static bool IsInstanceRoleFallback(Need need) => IsImagePull(need) || IsAwslogs(need);

    private static bool IsImagePull(Need need) => need.Action.StartsWith("ecr:", StringComparison.Ordinal);

    private static bool IsAwslogs(Need need) => need.Action.StartsWith("logs:", StringComparison.Ordinal);

    /// <summary>A compact identity policy granting exactly the needs, on the resources a policy names for them (a log group's streams, a secret by name).</summary>
    internal static string PolicyFor(IEnumerable<Need> needs) =>
        $"{{\"Version\":\"2012-10-17\",\"Statement\":{PlacementPolicyText.AllowStatementsJson(needs.Select(n => (n.Action, ExecutionPlane.GrantableResource(n))))}}}";
}
