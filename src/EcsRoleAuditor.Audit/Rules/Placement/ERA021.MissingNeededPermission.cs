using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA021: a role lacks a permission the task definition needs (secret, parameter, image, log group, environment file, EFS mount).</summary>
public sealed class MissingNeededPermissionRule : IAuditRule
{
    /// <inheritdoc/>
    public RuleDescriptor Descriptor { get; } = new(
        "ERA021",
        "Role lacks a permission the task definition needs",
        Severity.High,
        "Before a container starts, the ECS agent uses the execution role to pull private ECR images, create log streams, and read every "
        + "secret, parameter and environment file the task definition references; EFS volumes with IAM authorization are mounted with the task role. "
        + "When one of these calls is denied (no Allow, an explicit Deny, or the permission boundary) the task stops with an error such as "
        + "ResourceInitializationError instead of starting. Needs inferred from naming (a pull-through cache) and grants that hold only under a "
        + "condition the audit cannot evaluate are reported one level lower. A task definition that needs a task role (EFS IAM authorization) and names none is reported too.",
        "Add the statement the finding shows (scoped to the referenced ARNs) to the role, or remove the Deny or widen the boundary that blocks it.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html"]);

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The execution role has AmazonECSTaskExecutionRolePolicy only, but a container reads a Secrets Manager secret.", """
            {"taskDefinition":{"family":"web","taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"}]}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution","managed":{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy":
               {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}}}]}
            """),
        new("The execution role may also read exactly that secret.", """
            {"taskDefinition":{"family":"web","taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"}]}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution","managed":{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy":
               {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}},
               "inline":{"secrets":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var missing = new List<(Need Need, Outcome Outcome)>();
        foreach (var need in context.Needs)
        {
            if (context.RoleIn(need.Slot) is { } role && Check(role, need) is { } outcome)
            {
                missing.Add((need, outcome));
            }
        }
        // A task-role need (EFS IAM authorization) with no task role named: the mount fails. (A missing execution role
        // is ERA003's finding; a named role that could not be read is ERA004's or ERA005's.)
        if (context.TaskDefinition.TaskRoleArn is null)
        {
            foreach (var group in context.Needs.Where(n => n.Slot == RoleSlot.Task).GroupBy(n => n.Field, StringComparer.Ordinal))
            {
                var needs = group.ToList();
                var actions = needs.Select(n => n.Action).Distinct(StringComparer.Ordinal).ToList();
                var resources = needs.Select(n => n.Resource).Distinct(StringComparer.Ordinal).ToList();
                yield return Descriptor.For(null, RoleSlot.Task, new FindingSource(SourceKind.TaskDefinition, group.Key),
                        $"{context.TaskDefinition.DisplayName} names no task role, but {needs[0].Reason} needs one that can do {string.Join(", ", actions)}; the task will fail to start.",
                        $"Create a task role trusting ecs-tasks.amazonaws.com, set it as taskRoleArn, and grant it: {PlacementPolicyText.AllowStatementsJson(needs.Select(n => (n.Action, n.Resource)))}")
                    with
                    { Actions = [.. actions], Resources = [.. resources] };
            }
        }
        // One finding per task definition field (a container's image, one secret, one log configuration) and outcome.
        foreach (var group in missing.GroupBy(m => (m.Need.Slot, m.Need.Field, m.Need.Certain, m.Outcome.Kind, m.Outcome.Condition)))
        {
            var role = context.RoleIn(group.Key.Slot)!;
            yield return ToFinding(role, [.. group.Select(g => g.Need)], group.First().Outcome);
        }
    }

    private Finding ToFinding(AuditedRole role, IReadOnlyList<Need> needs, Outcome outcome)
    {
        var first = needs[0];
        var actions = needs.Select(n => n.Action).Distinct(StringComparer.Ordinal).ToList();
        var resources = needs.Select(n => n.Resource).Distinct(StringComparer.Ordinal).ToList();
        var slotName = role.Slot == RoleSlot.Task ? "Task" : "Execution";
        var why = outcome.Kind switch
        {
            OutcomeKind.ExplicitlyDenied => $"{Verb(actions)} explicitly denied by {outcome.Statements}",
            OutcomeKind.Conditional => $"{Verb(actions)} allowed only when {outcome.Condition}, which the audit cannot evaluate",
            OutcomeKind.OutsideBoundary => $"{Verb(actions)} allowed by its policies but not by its permission boundary",
            _ => $"{Verb(actions)} not allowed",
        };
        var consequence = outcome.Kind == OutcomeKind.Conditional || !first.Certain ? "the task may fail to start" : "the task will fail to start";
        var inferred = first.Certain ? "" : " (an inferred need)";
        var severity = outcome.Kind == OutcomeKind.Conditional || !first.Certain ? Descriptor.DefaultSeverity.OneLower() : Descriptor.DefaultSeverity;
        var statements = PlacementPolicyText.AllowStatementsJson(needs.Select(n => (n.Action, n.Resource)));
        var fix = outcome.Kind == OutcomeKind.ExplicitlyDenied
            ? $"Exclude these resources from {outcome.Statements}, so that {role.Role.Name} can do: {statements}"
            : $"Add to {role.Role.Name}: {statements}";
        return Descriptor.For(role.Role.Arn, role.Slot, new FindingSource(SourceKind.TaskDefinition, first.Field),
                $"{slotName} role {role.Role.Name} cannot do what {first.Reason}{inferred} needs: {string.Join(", ", actions)} on {FindingFactory.Summarise(resources, 3)} {why}; {consequence}.",
                fix)
            with
            {
                Severity = severity,
                Actions = [.. actions],
                Resources = [.. resources],
                Conditional = outcome.Kind == OutcomeKind.Conditional ? outcome.Condition : null,
                Statement = outcome.Kind == OutcomeKind.ExplicitlyDenied ? outcome.Statements : null,
            };
    }

    private static string Verb(List<string> actions) => actions.Count == 1 ? "is" : "are";

    /// <summary>Null when the need is met; otherwise why not.</summary>
    private static Outcome? Check(AuditedRole role, Need need)
    {
        var permissions = role.Permissions;
        var resource = need.Action.Equals("secretsmanager:GetSecretValue", StringComparison.OrdinalIgnoreCase)
            ? PlacementPolicyText.SecretRequestArn(need.Resource)
            : need.Resource;
        var known = KnownContext(role);
        var decision = permissions.Decide(need.Action, resource, known);
        if (decision == Decision.Allowed)
        {
            return null;
        }
        var access = permissions.Describe(need.Action);
        if (access is null)
        {
            return new Outcome(OutcomeKind.NotAllowed, null, null);
        }
        bool Applies(Grant g) => PlacementPolicyText.Covers(g.Resources, resource);
        var undecidable = new List<Grant>();
        if (decision == Decision.ExplicitlyDenied)
        {
            var denies = access.Denies.Where(Applies).ToList();
            var certain = denies.Where(d => !HasUnknownKey(d)).ToList();
            if (certain.Count > 0 || denies.Count == 0)
            {
                return new Outcome(OutcomeKind.ExplicitlyDenied, null, string.Join(", ", (certain.Count > 0 ? certain : access.Denies.ToList()).Select(d => role.SourceOf(d.Source) + " " + d.Source.Statement.Label)));
            }
            undecidable.AddRange(denies);
        }
        // Possibly allowed: an identity Allow (and a boundary Allow when there is a boundary) that applies or depends on unknown keys.
        bool Possible(Grant g) => Applies(g) && (!g.IsConditional || HasUnknownKey(g));
        var identity = access.Allows.Where(Possible).ToList();
        var boundary = access.BoundaryAllows?.Where(Possible).ToList();
        if (identity.Count == 0)
        {
            return new Outcome(OutcomeKind.NotAllowed, null, null);
        }
        if (boundary is { Count: 0 })
        {
            return new Outcome(OutcomeKind.OutsideBoundary, null, null);
        }
        undecidable.AddRange(identity.Where(g => g.IsConditional));
        if (boundary is not null)
        {
            undecidable.AddRange(boundary.Where(g => g.IsConditional));
        }
        return undecidable.Count == 0
            ? new Outcome(OutcomeKind.NotAllowed, null, null)
            : new Outcome(OutcomeKind.Conditional, string.Join(" or ", undecidable.Select(FindingFactory.ConditionText).Distinct(StringComparer.Ordinal)), null);
    }

    /// <summary>
    /// The request context the audit knows for a call made with the role's credentials: who the principal is, its tags,
    /// and that the agent calls over TLS. Keys outside it (VPC endpoints, source IPs, resource tags) are unknown.
    /// </summary>
    private static RequestContext KnownContext(AuditedRole role)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:PrincipalArn"] = role.Role.Arn,
            ["aws:PrincipalType"] = "AssumedRole",
            ["aws:SecureTransport"] = "true",
        };
        if (role.Role.Arn.Split(':') is { Length: >= 6 } parts)
        {
            keys["aws:PrincipalAccount"] = parts[4];
        }
        foreach (var (key, value) in role.Role.Tags)
        {
            keys["aws:PrincipalTag/" + key] = value;
        }
        return RequestContext.FromSingleValues(keys);
    }

    private static readonly ImmutableHashSet<string> KnownKeys = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase,
        "aws:PrincipalArn", "aws:PrincipalType", "aws:SecureTransport", "aws:PrincipalAccount");

    private static bool HasUnknownKey(Grant grant) =>
        grant.Conditions.Any(c => !KnownKeys.Contains(c.Key) && !c.Key.StartsWith("aws:PrincipalTag/", StringComparison.OrdinalIgnoreCase));

    private enum OutcomeKind
    {
        NotAllowed,
        OutsideBoundary,
        ExplicitlyDenied,
        Conditional,
    }

    private sealed record Outcome(OutcomeKind Kind, string? Condition, string? Statements);
}
