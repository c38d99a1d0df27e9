using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CsCheck;
using EcsRoleAuditor.Audit.Findings;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>One Allow or Deny statement of a generated policy.</summary>
internal sealed record GeneratedStatement(bool Deny, bool NotAction, ImmutableArray<string> Actions, bool NotResource, ImmutableArray<string> Resources, string? ConditionBlock)
{
    public JsonObject ToJson()
    {
        var statement = new JsonObject
        {
            ["Effect"] = Deny ? "Deny" : "Allow",
            [NotAction ? "NotAction" : "Action"] = List(Actions),
            [NotResource ? "NotResource" : "Resource"] = List(Resources),
        };
        if (ConditionBlock is not null)
        {
            statement["Condition"] = JsonNode.Parse(ConditionBlock);
        }
        return statement;
    }

    private static JsonNode List(ImmutableArray<string> items) =>
        items.Length == 1 ? JsonValue.Create(items[0]) : new JsonArray([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
}

/// <summary>What the task definition asks of its roles: a private ECR image, awslogs, a Secrets Manager secret, an SSM parameter.</summary>
internal sealed record GeneratedTaskDefinition(bool PrivateImage, bool Awslogs, bool SecretsManagerSecret, bool SsmParameter);

/// <summary>A role: AWS managed policies by name, inline policies as statement lists, an optional boundary, and whether it is tagged team=web.</summary>
internal sealed record GeneratedRole(
    string Arn,
    ImmutableArray<string> Managed,
    ImmutableArray<ImmutableArray<GeneratedStatement>> Inline,
    ImmutableArray<GeneratedStatement>? Boundary,
    bool TaggedTeamWeb);

/// <summary>How the case narrows one role: a boundary added to it, or a Deny added as a new inline policy (or into its existing boundary).</summary>
internal enum NarrowingKind
{
    Boundary,
    Deny,
    DenyInBoundary,
}

/// <summary>The narrowing applied to the role in <see cref="Target"/>.</summary>
internal sealed record GeneratedChange(NarrowingKind Kind, RoleSlot Target, ImmutableArray<GeneratedStatement> Statements);

/// <summary>A task definition, its two roles, and one narrowing of one role: the scenario before and after it.</summary>
internal sealed record BoundaryAndDenyCase(GeneratedTaskDefinition Definition, GeneratedRole TaskRole, GeneratedRole ExecutionRole, GeneratedChange Change)
{
    public const string BoundaryArn = $"arn:aws:iam::{Account}:policy/boundary";

    public string Before => Render(applyChange: false);

    public string After => Render(applyChange: true);

    private string Render(bool applyChange)
    {
        var extras = new List<JsonObject>();
        if (Definition.Awslogs)
        {
            extras.Add(Awslogs);
        }
        var secrets = new List<(string, string)>();
        if (Definition.SecretsManagerSecret)
        {
            secrets.Add(("DB_PASSWORD", SecretArn));
        }
        if (Definition.SsmParameter)
        {
            secrets.Add(("API_KEY", ParameterArn));
        }
        if (secrets.Count > 0)
        {
            extras.Add(Secrets([.. secrets]));
        }
        var container = Container(Definition.PrivateImage ? PrivateImage : "nginx:1.27", Merge([.. extras]));
        return Build(container, RoleJson(ExecutionRole, RoleSlot.Execution, applyChange), RoleJson(TaskRole, RoleSlot.Task, applyChange));
    }

    private JsonObject RoleJson(GeneratedRole role, RoleSlot slot, bool applyChange)
    {
        var inline = role.Inline.Select((statements, i) => ($"app{i}", statements)).ToList();
        var boundary = role.Boundary;
        if (applyChange && Change.Target == slot)
        {
            switch (Change.Kind)
            {
                case NarrowingKind.Boundary:
                    boundary = Change.Statements;
                    break;
                case NarrowingKind.DenyInBoundary:
                    boundary = [.. boundary ?? [], .. Change.Statements];
                    break;
                default:
                    inline.Add(("guard", Change.Statements));
                    break;
            }
        }
        var json = Role(
            role.Arn,
            [.. role.Managed],
            inline.ToDictionary(p => p.Item1, p => Document(p.Item2)),
            boundary is { } b ? new JsonObject { ["arn"] = BoundaryArn, ["document"] = JsonNode.Parse(Document(b)) } : null);
        if (role.TaggedTeamWeb)
        {
            json["tags"] = new JsonObject { ["team"] = "web" };
        }
        return json;
    }

    private static string Document(ImmutableArray<GeneratedStatement> statements) =>
        new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray([.. statements.Select(s => (JsonNode)s.ToJson())]) }.ToJsonString();

    /// <summary>The case in a few lines, managed policies by name: what a person reads first when the property fails.</summary>
    public string Describe()
    {
        static string Statements(IEnumerable<GeneratedStatement> statements) => string.Join(", ", statements.Select(s => s.ToJson().ToJsonString()));
        static string RoleText(GeneratedRole role) =>
            $"managed [{string.Join(", ", role.Managed)}]; inline [{string.Join(" | ", role.Inline.Select(s => Statements(s)))}]"
            + (role.Boundary is { } b ? $"; boundary [{Statements(b)}]" : "") + (role.TaggedTeamWeb ? "; tags team=web" : "");
        return $"task definition: {Definition}\n  task role: {RoleText(TaskRole)}\n  execution role: {RoleText(ExecutionRole)}\n"
            + $"  change: {Change.Kind} on the {Change.Target} role: {Statements(Change.Statements)}";
    }

    /// <summary>Smaller cases, one simplification each, for greedy minimisation of a failing case.</summary>
    public IEnumerable<BoundaryAndDenyCase> Simpler()
    {
        foreach (var definition in new[]
        {
            Definition with { PrivateImage = false }, Definition with { Awslogs = false },
            Definition with { SecretsManagerSecret = false }, Definition with { SsmParameter = false },
        }.Where(d => d != Definition))
        {
            yield return this with { Definition = definition };
        }
        foreach (var role in SimplerRoles(TaskRole))
        {
            yield return this with { TaskRole = role };
        }
        foreach (var role in SimplerRoles(ExecutionRole))
        {
            yield return this with { ExecutionRole = role };
        }
        foreach (var statements in SimplerLists(Change.Statements, minimum: 1))
        {
            yield return this with { Change = Change with { Statements = statements } };
        }
    }

    private static IEnumerable<GeneratedRole> SimplerRoles(GeneratedRole role)
    {
        for (var i = 0; i < role.Managed.Length; i++)
        {
            yield return role with { Managed = role.Managed.RemoveAt(i) };
        }
        for (var i = 0; i < role.Inline.Length; i++)
        {
            yield return role with { Inline = role.Inline.RemoveAt(i) };
            foreach (var statements in SimplerLists(role.Inline[i], minimum: 1))
            {
                yield return role with { Inline = role.Inline.SetItem(i, statements) };
            }
        }
        if (role.Boundary is { } boundary)
        {
            foreach (var statements in SimplerLists(boundary, minimum: 1))
            {
                yield return role with { Boundary = statements };
            }
        }
        if (role.TaggedTeamWeb)
        {
            yield return role with { TaggedTeamWeb = false };
        }
    }

    private static IEnumerable<ImmutableArray<GeneratedStatement>> SimplerLists(ImmutableArray<GeneratedStatement> statements, int minimum)
    {
        for (var i = 0; i < statements.Length; i++)
        {
            if (statements.Length > minimum)
            {
                yield return statements.RemoveAt(i);
            }
            foreach (var simpler in SimplerStatements(statements[i]))
            {
                yield return statements.SetItem(i, simpler);
            }
        }
    }

    private static IEnumerable<GeneratedStatement> SimplerStatements(GeneratedStatement statement)
    {
        if (statement.ConditionBlock is not null)
        {
            yield return statement with { ConditionBlock = null };
        }
        for (var i = 0; i < statement.Actions.Length && statement.Actions.Length > 1; i++)
        {
            yield return statement with { Actions = statement.Actions.RemoveAt(i) };
        }
        for (var i = 0; i < statement.Resources.Length && statement.Resources.Length > 1; i++)
        {
            yield return statement with { Resources = statement.Resources.RemoveAt(i) };
        }
    }
}

/// <summary>
/// The generators: task definitions with and without what needs the execution role, roles whose policies mix real AWS
/// managed policies and inline statements from a vocabulary of realistic actions, resources and conditions, and a
/// boundary or a Deny for one of them.
/// </summary>
internal static class BoundaryAndDenyGenerators
{
    /// <summary>The AWS managed policies the roles draw from (all in the corpus; see the test that checks it).</summary>
    public static readonly string[] ManagedPool =
    [
        "AmazonECSTaskExecutionRolePolicy", "AmazonS3FullAccess", "AmazonS3ReadOnlyAccess", "AmazonECS_FullAccess", "AdministratorAccess",
        "PowerUserAccess", "IAMFullAccess", "SecretsManagerReadWrite", "AmazonSSMReadOnlyAccess", "CloudWatchLogsFullAccess",
        "AmazonDynamoDBFullAccess", "ReadOnlyAccess",
    ];

    /// <summary>Known action patterns only: a Deny or boundary naming them can never be ERA046's "unknown action".</summary>
    public static readonly string[] Actions =
    [
        "*", "s3:*", "s3:GetObject", "s3:PutObject", "s3:Get*", "s3:ListBucket", "s3:DeleteObject",
        "iam:PassRole", "iam:*", "iam:CreatePolicyVersion", "iam:AttachRolePolicy", "iam:GetRole", "sts:AssumeRole",
        "ecs:RunTask", "ecs:RegisterTaskDefinition", "ecs:UpdateService", "ecs:ExecuteCommand", "ecs:Describe*", "ecs:*",
        "kms:Decrypt", "kms:*", "secretsmanager:GetSecretValue", "secretsmanager:*", "ssm:GetParameters", "ssm:GetParameter", "ssm:*",
        "logs:*", "logs:CreateLogStream", "logs:PutLogEvents",
        "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:*",
        "sqs:SendMessage", "sqs:*", "dynamodb:PutItem", "dynamodb:*",
        "ec2:Describe*", "ec2:CreateSecurityGroup", "ec2:RunInstances", "elasticloadbalancing:RegisterTargets",
        "lambda:CreateFunction", "lambda:InvokeFunction", "cloudformation:CreateStack",
    ];

    public static readonly string[] Resources =
    [
        "*", "arn:aws:s3:::web-uploads/*", "arn:aws:s3:::web-uploads", "arn:aws:s3:::web-*", "arn:aws:s3:::*/*",
        SecretArn, $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:*", $"arn:aws:secretsmanager:*:{Account}:secret:prod/*", $"arn:aws:ssm:eu-west-1:{Account}:parameter/prod/*",
        $"arn:aws:kms:eu-west-1:{Account}:key/*", $"arn:aws:iam::{Account}:role/*", TaskRoleArn,
        RepositoryArn, $"arn:aws:logs:eu-west-1:{Account}:log-group:/ecs/web:*", $"arn:aws:sqs:eu-west-1:{Account}:jobs",
        $"arn:aws:dynamodb:eu-west-1:{Account}:table/orders", $"arn:aws:ecs:eu-west-1:{Account}:*",
    ];

    /// <summary>Conditions, with their weights: region conditions most, as the audit decides them from regional ARNs.</summary>
    public static readonly (int Weight, string Block)[] Conditions =
    [
        (3, """{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"""),
        (2, """{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}"""),
        (1, """{"StringEquals":{"aws:ResourceTag/team":"web"}}"""),
        (1, """{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"""),
        (1, """{"StringEquals":{"aws:PrincipalTag/team":"web"}}"""),
        (1, """{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}"""),
        (1, """{"Bool":{"aws:SecureTransport":"false"}}"""),
    ];

    private static Gen<GeneratedStatement> Statement(bool deny, int notActionPercent, int notResourcePercent, int conditionPercent) =>
        Gen.Select(
                Gen.Int[0, 99], Gen.OneOf(Actions).Array[1, 3], Gen.Int[0, 99], Gen.OneOf(Resources).Array[1, 2],
                Gen.Int[0, 99], Gen.Frequency(Conditions))
            .Select((notAction, actions, notResource, resources, conditioned, condition) => new GeneratedStatement(
                deny,
                notAction < notActionPercent,
                [.. actions.Distinct(StringComparer.Ordinal)],
                notResource < notResourcePercent,
                [.. resources.Distinct(StringComparer.Ordinal)],
                conditioned < conditionPercent ? condition : null));

    private static readonly Gen<GeneratedStatement> InlineAllow = Statement(deny: false, notActionPercent: 8, notResourcePercent: 8, conditionPercent: 35);

    private static readonly Gen<GeneratedStatement> BoundaryAllow = Statement(deny: false, notActionPercent: 5, notResourcePercent: 5, conditionPercent: 20);

    private static readonly Gen<GeneratedStatement> AddedDeny = Statement(deny: true, notActionPercent: 10, notResourcePercent: 35, conditionPercent: 35);

    /// <summary>A boundary: one to three Allows, sometimes "*" on "*" among them.</summary>
    private static readonly Gen<ImmutableArray<GeneratedStatement>> Boundary =
        Gen.Select(Gen.Int[0, 6], BoundaryAllow.Array[1, 3], BoundaryAllow)
            .Select((withEverything, statements, first) => withEverything == 0
                ? ImmutableArray.Create(first, new GeneratedStatement(false, false, ["*"], false, ["*"], null))
                : statements.ToImmutableArray());

    // ReadOnlyAccess is some 3,000 action names: drawn less often to keep the run short. AdministratorAccess, less
    // often too: most statements it meets are silenced by ERA040, so it hides what the rules do with the others.
    private static readonly Gen<string> ManagedPolicy =
        Gen.Frequency([.. ManagedPool.Select(name => (name switch { "ReadOnlyAccess" => 1, "AdministratorAccess" => 2, _ => 4 }, name))]);

    private static Gen<GeneratedRole> Role(string arn, int executionPolicyPercent) =>
        Gen.Select(Gen.Int[0, 99], ManagedPolicy.Array[0, 2], InlineAllow.Array[1, 3].Array[0, 2], Gen.Int[0, 99], Gen.Int[0, 99], Boundary)
            .Select((withExecutionPolicy, managed, inline, tagged, bounded, boundary) => new GeneratedRole(
                arn,
                [.. (withExecutionPolicy < executionPolicyPercent ? managed.Prepend("AmazonECSTaskExecutionRolePolicy") : managed).Distinct(StringComparer.Ordinal)],
                [.. inline.Select(s => s.ToImmutableArray())],
                bounded < 15 ? boundary : null,
                tagged < 30));

    private static readonly Gen<GeneratedTaskDefinition> Definition =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool).Select((image, logs, secret, parameter) => new GeneratedTaskDefinition(image, logs, secret, parameter));

    private static readonly Gen<GeneratedChange> Change =
        Gen.Select(Gen.Int[0, 99], Gen.Bool, Boundary, AddedDeny)
            .Select((kind, onTaskRole, boundary, deny) => kind < 50
                ? new GeneratedChange(NarrowingKind.Boundary, onTaskRole ? RoleSlot.Task : RoleSlot.Execution, boundary)
                : new GeneratedChange(kind < 90 ? NarrowingKind.Deny : NarrowingKind.DenyInBoundary, onTaskRole ? RoleSlot.Task : RoleSlot.Execution, [deny]));

    /// <summary>
    /// A case. A boundary is added only to a role without one (the role's own boundary is dropped); a Deny into the
    /// boundary only to a role that has one (otherwise it goes into a new inline policy).
    /// </summary>
    public static readonly Gen<BoundaryAndDenyCase> Case =
        Gen.Select(Definition, Role(TaskRoleArn, executionPolicyPercent: 10), Role(ExecutionRoleArn, executionPolicyPercent: 75), Change)
            .Select((definition, task, execution, change) =>
            {
                var target = change.Target == RoleSlot.Task ? task : execution;
                if (change.Kind == NarrowingKind.Boundary)
                {
                    target = target with { Boundary = null };
                }
                else if (change.Kind == NarrowingKind.DenyInBoundary && target.Boundary is null)
                {
                    change = change with { Kind = NarrowingKind.Deny };
                }
                return change.Target == RoleSlot.Task
                    ? new BoundaryAndDenyCase(definition, target, execution, change)
                    : new BoundaryAndDenyCase(definition, task, target, change);
            });
}
