using System.Buffers;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// What the placement rules share: the execution role's vocabulary (what the ECS agent calls with it) and policy
/// statements written as compact JSON for remediations.
/// </summary>
public static class PlacementPolicyText
{
    /// <summary>
    /// Every action the ECS agent performs with the execution role (Amazon ECS Developer Guide, task execution IAM role):
    /// the six of AmazonECSTaskExecutionRolePolicy, secrets and parameters, customer-managed keys, environment files, log
    /// group creation and ECR pull-through cache. <c>ssm:GetParameter</c> is accepted alongside <c>ssm:GetParameters</c>
    /// because AWS's own examples use both for the same parameters.
    /// </summary>
    public static IReadOnlyList<string> ExecutionRoleVocabulary { get; } =
    [
        "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
        "logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup",
        "secretsmanager:GetSecretValue", "ssm:GetParameters", "ssm:GetParameter", "kms:Decrypt",
        "s3:GetObject", "s3:GetBucketLocation",
        "ecr:BatchImportUpstreamImage", "ecr:CreateRepository",
    ];

    /// <summary>The ECR pull actions of the execution plane (the four image-pull actions of AmazonECSTaskExecutionRolePolicy).</summary>
    public static IReadOnlyList<string> EcrPullActions { get; } =
        ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];

    /// <summary>The name of the AWS managed policy for execution roles.</summary>
    public const string TaskExecutionRolePolicyName = "AmazonECSTaskExecutionRolePolicy";

    /// <summary>True for the ARN of AmazonECSTaskExecutionRolePolicy in any partition.</summary>
    public static bool IsTaskExecutionRolePolicyArn(string? arn) =>
        Arn.TryParse(arn, out var parsed) && parsed.IsAwsManagedPolicy && parsed.Resource == "policy/service-role/" + TaskExecutionRolePolicyName;

    /// <summary>True when a statement's <c>Resource</c>/<c>NotResource</c> element covers the resource (policy variables are not substituted: they never match).</summary>
    public static bool Covers(ResourceList? resources, string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resources is null)
        {
            return true;
        }
        var any = resources.Patterns.Any(p => ResourceMatcher.IsMatch(p, resource));
        return resources.IsNegated ? !any : any;
    }

    /// <summary>The catalog actions named by a list of full action names (names the catalog lacks are skipped).</summary>
    public static ActionSet ToActionSet(ActionCatalog catalog, IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(patterns);
        var set = new ActionSet(catalog);
        foreach (var pattern in patterns)
        {
            set.UnionWith(catalog.Expand(pattern));
        }
        return set;
    }

    /// <summary>A statement as compact policy JSON, e.g. <c>{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"}</c>.</summary>
    public static string StatementJson(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return Write(writer => WriteStatement(writer, statement));
    }

    /// <summary>Longest statement JSON a remediation quotes; longer ones are named instead (ReadOnlyAccess's would be 100 KB).</summary>
    private const int MaxQuotedStatement = 2000;

    /// <summary>
    /// The statement a remediation asks people to edit, as they can act on it: its JSON when short, its label and size
    /// when long, and for an AWS managed policy (which nobody but AWS can edit) the advice to replace the policy.
    /// </summary>
    public static string StatementToEdit(FindingSource source, Statement statement)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(statement);
        if (source.IsAwsManagedPolicy)
        {
            return $"{source.Name} is an AWS managed policy and cannot be edited: detach it and attach a customer managed policy with only the actions the role needs";
        }
        var json = StatementJson(statement);
        return json.Length <= MaxQuotedStatement
            ? json
            : $"statement {statement.Label} ({(statement.Actions?.Patterns.Length ?? 0)} action patterns, too long to quote)";
    }

    /// <summary>
    /// The sentence that asks for a change to one statement, as AWS allows it: in an inline or customer managed policy the
    /// statement is edited; an AWS managed policy cannot be edited (IAM User Guide, "Managed policies and inline
    /// policies"), so it is detached and replaced by a customer managed policy with the change made.
    /// </summary>
    public static string EditStatement(FindingSource source, Statement statement, string roleName, string change)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(statement);
        return source.IsAwsManagedPolicy
            ? $"{source.Name} is an AWS managed policy and cannot be edited: detach it from {roleName} and attach a customer managed policy with what {roleName} needs of it, where you {change}"
            : $"In {source}, statement {statement.Label}: {change}";
    }

    /// <summary>The sentence that asks for a statement to go: removed from an inline or customer managed policy, or its AWS managed policy detached.</summary>
    public static string RemoveStatement(FindingSource source, Statement statement, string roleName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(statement);
        return source.IsAwsManagedPolicy
            ? $"Detach the AWS managed policy {source.Name} from {roleName}"
            : $"Remove statement {statement.Label} from {source}";
    }

    /// <summary>
    /// True for a policy AWS attaches only to a service-linked role (path <c>/aws-service-role/</c>): IAM refuses to attach
    /// it to any other role (IAM API Reference, AttachRolePolicy: "AWS service role policies can only be attached to the
    /// service-linked role for that service"), so no fix may suggest it.
    /// </summary>
    public static bool IsServiceRolePolicy(FindingSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Arn is { } arn && Arn.TryParse(arn, out var parsed) && parsed.IsAwsManagedPolicy
            && parsed.Resource.StartsWith("policy/aws-service-role/", StringComparison.Ordinal);
    }

    /// <summary>Allow statements as a compact JSON array, one statement per resource group: actions grouped by the resources they need.</summary>
    public static string AllowStatementsJson(IEnumerable<(string Action, string Resource)> permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var byResources = permissions
            .GroupBy(p => p.Action, StringComparer.Ordinal)
            .Select(g => (Action: g.Key, Resources: g.Select(p => p.Resource).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()))
            .GroupBy(a => string.Join('\n', a.Resources), StringComparer.Ordinal)
            .ToList();
        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var group in byResources)
            {
                writer.WriteStartObject();
                writer.WriteString("Effect", "Allow");
                WriteList(writer, "Action", [.. group.Select(a => a.Action)]);
                WriteList(writer, "Resource", group.First().Resources);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    private static void WriteStatement(Utf8JsonWriter writer, Statement statement)
    {
        writer.WriteStartObject();
        if (!string.IsNullOrEmpty(statement.Sid))
        {
            writer.WriteString("Sid", statement.Sid);
        }
        writer.WriteString("Effect", statement.Effect.ToString());
        if (statement.Actions is { } actions)
        {
            WriteList(writer, actions.ElementName, actions.Patterns);
        }
        if (statement.Resources is { } resources)
        {
            WriteList(writer, resources.ElementName, resources.Patterns);
        }
        if (!statement.Conditions.IsEmpty)
        {
            writer.WriteStartObject("Condition");
            foreach (var byOperator in statement.Conditions.GroupBy(c => c.OperatorText, StringComparer.Ordinal))
            {
                writer.WriteStartObject(byOperator.Key);
                foreach (var clause in byOperator)
                {
                    WriteList(writer, clause.Key, clause.Values);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 1)
        {
            writer.WriteString(name, values[0]);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps ARNs and condition keys readable in remediation text (no \u002B for '+').
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
