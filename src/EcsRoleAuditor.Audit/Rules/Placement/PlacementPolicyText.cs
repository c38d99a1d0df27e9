using System.Buffers;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Effective;
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
    /// The statement a remediation asks people to edit, as they can find it: its JSON when short, its label and size when
    /// long (an AWS managed policy is replaced, not edited: see <see cref="EditStatement"/>).
    /// </summary>
    public static string QuotedStatement(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var json = StatementJson(statement);
        return json.Length <= MaxQuotedStatement
            ? json
            : $"statement {statement.Label} ({FindingFactory.Count(statement.Actions?.Patterns.Length ?? 0, "action pattern")}, too long to quote)";
    }

    /// <summary>
    /// The remediation that asks for a change to one statement, as AWS allows it: in an inline or customer managed policy
    /// the statement is edited; an AWS managed policy cannot be edited (IAM User Guide, "Managed policies and inline
    /// policies": "You cannot change the permissions defined in AWS managed policies"), so it is detached and replaced by a
    /// customer managed policy with the change made.
    /// </summary>
    internal static Remedy EditStatement(AuditedRole role, Grant grant, string change)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(grant);
        var source = role.SourceOf(grant.Source);
        if (grant.Source.IsBoundary)
        {
            // A boundary is set, not attached: an AWS managed one is replaced by a customer managed one with the change.
            return Remedy.Of(source.IsAwsManagedPolicy
                    ? $"Replace the permission boundary {source.Name} of {role.Role.Name} (an AWS managed policy, which cannot be edited) with a customer managed one where you {change}"
                    : $"In the {source}, statement {grant.Source.Statement.Label}: {change}",
                new ProposedChange(ChangeKind.EditBoundary, role.Role.Arn, source, grant.Source.Statement.Label));
        }
        return source.IsAwsManagedPolicy
            ? Remedy.Of($"{source.Name} is an AWS managed policy and cannot be edited: detach it from {role.Role.Name} and attach a customer managed policy with what {role.Role.Name} needs of it, where you {change}",
                new ProposedChange(ChangeKind.DetachPolicy, role.Role.Arn, source), new ProposedChange(ChangeKind.AddStatements, role.Role.Arn))
            : Remedy.Of($"In {source}, statement {grant.Source.Statement.Label}: {change}",
                new ProposedChange(ChangeKind.EditStatement, role.Role.Arn, source, grant.Source.Statement.Label));
    }

    /// <summary>The remediation that asks for a statement to go: removed from an inline or customer managed policy, or its AWS managed policy detached.</summary>
    internal static Remedy RemoveStatement(AuditedRole role, Grant grant)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(grant);
        var source = role.SourceOf(grant.Source);
        return source.IsAwsManagedPolicy
            ? Remedy.Of($"Detach the AWS managed policy {source.Name} from {role.Role.Name}", new ProposedChange(ChangeKind.DetachPolicy, role.Role.Arn, source))
            : Remedy.Of($"Remove statement {grant.Source.Statement.Label} from {source}",
                new ProposedChange(ChangeKind.RemoveStatement, role.Role.Arn, source, grant.Source.Statement.Label));
    }

    /// <summary>The remediation that asks for statements to be added to a role, in a policy its owners can edit.</summary>
    internal static Remedy AddStatements(AuditedRole role, IEnumerable<(string Action, string Resource)> permissions)
    {
        ArgumentNullException.ThrowIfNull(role);
        var json = AllowStatementsJson(permissions);
        return Remedy.Of($"Add to {role.Role.Name} (an inline or customer managed policy): {json}", new ProposedChange(ChangeKind.AddStatements, role.Role.Arn, PolicyJson: json));
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
                WriteAllow(writer, null, [.. group.Select(a => a.Action)], group.First().Resources);
            }
            writer.WriteEndArray();
        });
    }

    /// <summary>
    /// An identity policy of Allow statements as compact JSON: <c>{"Version":"2012-10-17","Statement":[...]}</c>,
    /// statements and their lists in the order given, each with its one condition where it has one.
    /// </summary>
    public static string AllowPolicyJson(IEnumerable<(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, AllowCondition? Condition)> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("Version", "2012-10-17");
            writer.WriteStartArray("Statement");
            foreach (var (sid, actions, resources, condition) in statements)
            {
                WriteAllow(writer, sid, actions, resources, condition);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// A policy document as compact JSON in IAM's element order (Version, Id, Statement; in each statement Sid, Effect,
    /// Action or NotAction, Resource or NotResource, Condition), whatever order the original was written in: the same
    /// document always gives the same text, so two documents compare line by line.
    /// </summary>
    public static string PolicyJson(string? version, string? id, IEnumerable<Statement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        return Write(writer =>
        {
            writer.WriteStartObject();
            if (version is not null)
            {
                writer.WriteString("Version", version);
            }
            if (id is not null)
            {
                writer.WriteString("Id", id);
            }
            writer.WriteStartArray("Statement");
            foreach (var statement in statements)
            {
                WriteStatement(writer, statement);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void WriteAllow(Utf8JsonWriter writer, string? sid, IReadOnlyList<string> actions, IReadOnlyList<string> resources, AllowCondition? condition = null)
    {
        writer.WriteStartObject();
        if (sid is not null)
        {
            writer.WriteString("Sid", sid);
        }
        writer.WriteString("Effect", "Allow");
        WriteList(writer, "Action", actions);
        WriteList(writer, "Resource", resources);
        if (condition is not null)
        {
            writer.WriteStartObject("Condition");
            writer.WriteStartObject(condition.Operator);
            WriteList(writer, condition.Key, condition.Values);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
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

/// <summary>One condition of a written Allow statement: <c>"Condition":{OPERATOR:{KEY:VALUES}}</c>.</summary>
/// <param name="Operator">The condition operator, e.g. <c>StringEquals</c>.</param>
/// <param name="Key">The condition key, e.g. <c>kms:ViaService</c>.</param>
/// <param name="Values">The values (one is written as a string).</param>
public sealed record AllowCondition(string Operator, string Key, IReadOnlyList<string> Values);
