using System.Buffers;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA003: the task definition needs an execution role (private ECR images, awslogs, secrets, registry credentials, environment files) and names none.</summary>
public sealed class MissingExecutionRoleRule : IAuditRule
{
    /// <inheritdoc/>
    public RuleDescriptor Descriptor { get; } = new(
        "ERA003",
        "Task definition needs an execution role and names none",
        Severity.High,
        "The ECS agent pulls private ECR images, sends awslogs output, reads secrets and parameters, registry credentials and environment files "
        + "with the execution role's credentials. Secrets, registry credentials and environment files always need it; on Fargate images and awslogs "
        + "do too, while on EC2 the agent falls back to the container instance role for them, which then serves every task on the instance.",
        "Create an execution role trusting ecs-tasks.amazonaws.com with exactly the statements the task definition needs (the finding gives them), "
        + "and register a revision naming it as executionRoleArn.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"]);

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
        var reasons = needs.Select(n => n.Reason).Distinct(StringComparer.Ordinal).ToList();
        var account = definition.ArnScope?.Account ?? "ACCOUNT";
        yield return Descriptor.For(null, RoleSlot.Execution, new FindingSource(SourceKind.TaskDefinition, "executionRoleArn"),
            $"{definition.DisplayName} names no execution role, but the agent needs one for {FindingFactory.Summarise(reasons)}: "
            + (needs.Any(n => !IsInstanceRoleFallback(n)) ? "the task cannot start." : "on Fargate the task cannot start, on EC2 the container instance role stands in."),
            $"Create an execution role for {definition.Family} with the trust policy {TrustStatements.RecommendedTrust(account)} "
            + $"and the policy {PolicyFor(needs.Where(n => n.Certain))}, and register a revision of {definition.Family} naming it as executionRoleArn.")
            with
        {
            Actions = [.. needs.Select(n => n.Action).Distinct(StringComparer.Ordinal)],
            Resources = [.. needs.Select(n => n.Resource).Distinct(StringComparer.Ordinal)],
        };
    }

    // On EC2 the agent pulls ECR images and sends awslogs with the container instance role when the task has no execution role.
    private static bool IsInstanceRoleFallback(Need need) =>
        need.Action.StartsWith("ecr:", StringComparison.Ordinal) || need.Action.StartsWith("logs:", StringComparison.Ordinal);

    /// <summary>A compact identity policy granting exactly the needs: one statement per distinct resource list, in need order.</summary>
    internal static string PolicyFor(IEnumerable<Need> needs)
    {
        var resourcesByAction = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var need in needs)
        {
            if (!resourcesByAction.TryGetValue(need.Action, out var resources))
            {
                resourcesByAction[need.Action] = resources = [];
            }
            if (!resources.Contains(need.Resource, StringComparer.Ordinal))
            {
                resources.Add(need.Resource);
            }
        }
        var statements = resourcesByAction.GroupBy(p => string.Join('\n', p.Value), StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("Version", "2012-10-17");
            writer.WriteStartArray("Statement");
            foreach (var statement in statements)
            {
                writer.WriteStartObject();
                writer.WriteString("Effect", "Allow");
                WriteList(writer, "Action", [.. statement.Select(p => p.Key)]);
                WriteList(writer, "Resource", statement.First().Value);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteList(Utf8JsonWriter writer, string name, List<string> values)
    {
        if (values.Count == 1)
        {
            writer.WriteString(name, values[0]);
            return;
        }
        writer.WriteStartArray(name);
        values.ForEach(writer.WriteStringValue);
        writer.WriteEndArray();
    }
}
