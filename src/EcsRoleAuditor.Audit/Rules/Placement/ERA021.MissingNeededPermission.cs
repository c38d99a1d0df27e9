using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA021: a role lacks a permission the task definition needs (secret, parameter, image, log group, environment file, EFS mount).</summary>
public sealed class MissingNeededPermissionRule : IAuditRule
{
    /// <summary>ERA021, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
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
    public RuleDescriptor Descriptor => Rule;

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
            if (context.RoleIn(need.Slot) is { } role && Check(role, need, context) is { } outcome)
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
        foreach (var group in missing.GroupBy(m => (m.Need.Slot, m.Need.Field, m.Need.Certain, m.Outcome.Kind, m.Outcome.Why)))
        {
            var role = context.RoleIn(group.Key.Slot)!;
            yield return ToFinding(context, role, [.. group.Select(g => g.Need)], group.First().Outcome);
        }
    }

    private Finding ToFinding(AuditContext context, AuditedRole role, IReadOnlyList<Need> needs, Outcome outcome)
    {
        var first = needs[0];
        var actions = needs.Select(n => n.Action).Distinct(StringComparer.Ordinal).ToList();
        // Said as a policy names them: a log group's streams, not the shape of one stream.
        var resources = needs.Select(ExecutionPlane.GrantableResource).Distinct(StringComparer.Ordinal).ToList();
        var slotName = role.Slot == RoleSlot.Task ? "Task" : "Execution";
        var unread = role.UnreadPolicies.ToList();
        // A missing Allow is certain only when every policy was read; a Deny that applies wins whatever the unread policies say.
        var hedged = outcome.Kind is OutcomeKind.Undecided || !first.Certain || (outcome.Kind != OutcomeKind.ExplicitlyDenied && unread.Count > 0);
        var why = outcome.Kind switch
        {
            OutcomeKind.ExplicitlyDenied => $"{Verb(actions)} explicitly denied by {outcome.Why}",
            OutcomeKind.Undecided => $"{Verb(actions)} allowed {outcome.Why}",
            OutcomeKind.OutsideBoundary => $"{Verb(actions)} allowed by its policies but not by its permission boundary",
            _ => $"{Verb(actions)} not allowed",
        };
        // Unread identity policies may grant what the read ones do not; they change neither a Deny nor the boundary.
        if (unread.Count > 0 && outcome.Kind is OutcomeKind.NotAllowed)
        {
            why += $" by the policies the audit read (if the unread {string.Join(" or ", unread)} does not grant it)";
        }
        else if (unread.Count > 0 && outcome.Kind is OutcomeKind.Undecided)
        {
            why += $" (the unread {string.Join(" or ", unread)} may grant it too)";
        }
        var consequence = (hedged, outcome.OnFargateOnly) switch
        {
            (true, _) => "the task may fail to start",
            (false, true) => "tasks launched on Fargate will fail to start",
            _ => "the task will fail to start",
        };
        var inferred = first.Certain ? "" : " (an inferred need)";
        var fix = Fix(context, role, needs, outcome);
        return Descriptor.For(role.Role.Arn, role.Slot, new FindingSource(SourceKind.TaskDefinition, first.Field),
                $"{slotName} role {role.Role.Name} cannot do what {first.Reason}{inferred} needs: {string.Join(", ", actions)} on {FindingFactory.Summarise(resources, 3)} {why}; {consequence}.",
                "")
            with
            {
                Remediation = fix.Text,
                Changes = fix.Changes,
                Severity = hedged ? Descriptor.DefaultSeverity.OneLower() : Descriptor.DefaultSeverity,
                Actions = [.. actions],
                Resources = [.. resources],
                Conditional = outcome.Kind == OutcomeKind.Undecided ? outcome.Condition : null,
                Statement = outcome.Kind == OutcomeKind.ExplicitlyDenied ? string.Join(", ", outcome.Denies.Select(d => d.Source.Statement.Label)) : null,
            };
    }

    /// <summary>
    /// The fix, checked against the role before it is offered: the statement to add (in an inline or customer managed
    /// policy), and whatever else must change for the request to be allowed — the boundary that does not allow it, the
    /// Deny that covers it — so that no fix is an Allow a Deny or the boundary would override.
    /// </summary>
    private static Remedy Fix(AuditContext context, AuditedRole role, IReadOnlyList<Need> needs, Outcome outcome)
    {
        var permissions = needs.Select(n => (n.Action, ExecutionPlane.GrantableResource(n))).ToList();
        var actions = FindingFactory.Summarise([.. needs.Select(n => n.Action).Distinct(StringComparer.Ordinal)], 3);
        var resources = needs.Select(ExecutionPlane.GrantableResource).Distinct(StringComparer.Ordinal).ToList();
        var on = resources.TrueForAll(r => r == "*") ? "" : $" on {FindingFactory.Summarise(resources, 3)}";
        var parts = new List<Remedy>();
        if (outcome.Kind == OutcomeKind.ExplicitlyDenied)
        {
            parts.AddRange(outcome.Denies.Select(d => PlacementPolicyText.EditStatement(role, d, $"keep {actions}{on} out of the Deny")));
        }
        // What the request still lacks with every Deny out of the way: an identity Allow, a boundary Allow, or both.
        var withoutDenies = needs.Select(n => role.Permissions.Check(n.Action, n.Resource, Knowledge(context, n), n.ResourceIsShape, ignoreDenies: true)).ToList();
        if (withoutDenies.Exists(v => v.Verdict == RequestVerdict.NotAllowed || (v.Verdict == RequestVerdict.Undecided && v.UndecidedAllows.Any(g => !g.Source.IsBoundary))))
        {
            parts.Add(PlacementPolicyText.AddStatements(role, permissions));
        }
        if (role.Role.Boundary is { } boundary && BoundaryAlone(role) is { } alone
            && needs.Any(n => alone.Check(n.Action, n.Resource, Knowledge(context, n), n.ResourceIsShape).Verdict is not (RequestVerdict.Allowed or RequestVerdict.Undecided)))
        {
            parts.Add(Remedy.Of(boundary.Source.IsAwsManagedPolicy
                    ? $"Replace the permission boundary {boundary.Source.Name} of {role.Role.Name} (an AWS managed policy, which cannot be edited) with one that allows {actions}{on}"
                    : $"Allow {actions}{on} in the {boundary.Source} of {role.Role.Name}",
                new ProposedChange(ChangeKind.EditBoundary, role.Role.Arn, boundary.Source)));
        }
        var denies = needs.SelectMany(n => role.Permissions.Check(n.Action, n.Resource, Knowledge(context, n), n.ResourceIsShape).UndecidedDenies).Distinct().ToList();
        if (denies.Count > 0)
        {
            parts.Add(Remedy.Of($"Make sure the Deny {string.Join(" or ", denies.Select(d => $"{BreadthAnalysis.Cite(role, d)} ({FindingFactory.DenyApplicability(d)})"))} does not apply to these calls"));
        }
        if (parts.Count == 0)
        {
            parts.Add(PlacementPolicyText.AddStatements(role, permissions));
        }
        return parts.Skip(1).Aggregate(parts[0], (a, b) => a.And(b, "; ")).Ended();
    }

    // The boundary's documents as if they were the role's only policies: what the boundary lets through.
    private static EffectivePermissions? BoundaryAlone(AuditedRole role) =>
        role.Permissions.Boundaries is { } boundary
            ? EffectivePermissions.Compute(boundary, null, role.Permissions.Catalog, role.Permissions.Known, role.Permissions.Partition)
            : null;

    private static string Verb(List<string> actions) => actions.Count == 1 ? "is" : "are";

    /// <summary>Null when the need is met; otherwise why not, from the role's effective permissions.</summary>
    private static Outcome? Check(AuditedRole role, Need need, AuditContext context)
    {
        var known = Knowledge(context, need);
        var onFargate = OnFargate(context, need);
        var outcome = role.Permissions.Check(need.Action, need.Resource, known, need.ResourceIsShape);
        Outcome? missing = outcome.Verdict switch
        {
            RequestVerdict.Allowed => null,
            RequestVerdict.ExplicitlyDenied => new Outcome(OutcomeKind.ExplicitlyDenied,
                string.Join(", ", outcome.Denies.Select(d => $"{role.SourceOf(d.Source)} {d.Source.Statement.Label}")), outcome.Denies),
            RequestVerdict.OutsideBoundary => new Outcome(OutcomeKind.OutsideBoundary, "", []),
            RequestVerdict.NotAllowed => new Outcome(OutcomeKind.NotAllowed, "", []),
            _ => new Outcome(OutcomeKind.Undecided, Undecided(role, need, known, outcome), [], AllowConditions(role, need, known, outcome)),
        };
        return missing is not null && onFargate is not null && !context.TaskDefinition.RunsOnlyOn(LaunchType.Fargate)
            ? missing with { OnFargateOnly = true }
            : missing;
    }

    private static string? AllowConditions(AuditedRole role, Need need, KnownContext known, RequestOutcome outcome)
    {
        var conditions = outcome.UndecidedAllows
            .Select(g => role.Permissions.UndecidedConditions(g, need.Action, need.Resource, known))
            .Where(c => !c.IsEmpty)
            .Select(c => FindingFactory.ClauseText(c))
            .Distinct(StringComparer.Ordinal).ToList();
        return conditions.Count == 0 ? null : string.Join(" or ", conditions);
    }

    // What makes the request undecided, in words: the Allow's own conditions, the secret's unknown suffix, a Deny that may apply.
    private static string Undecided(AuditedRole role, Need need, KnownContext known, RequestOutcome outcome)
    {
        var parts = new List<string>();
        if (AllowConditions(role, need, known, outcome) is { } conditions)
        {
            parts.Add($"only when {conditions}, which the audit cannot evaluate");
        }
        if (need.ResourceIsShape && outcome.UndecidedAllows.Any(g => role.Permissions.UndecidedConditions(g, need.Action, need.Resource, known).IsEmpty))
        {
            parts.Add($"only if the secret's random suffix is the one {string.Join(" or ", outcome.UndecidedAllows.SelectMany(g => g.Resources?.Patterns ?? []).Distinct(StringComparer.Ordinal))} names "
                + "(the task definition names it without)");
        }
        if (!outcome.UndecidedDenies.IsEmpty)
        {
            parts.Add(ScopeWording.UnlessDeny(role, outcome.UndecidedDenies));
        }
        return parts.Count == 0 ? "only under conditions the audit cannot evaluate" : string.Join(", and ", parts);
    }

    /// <summary>
    /// What the audit knows of the request a need makes beyond the role: the region it goes to when the resource does not
    /// say, and, for a task definition declared for Fargate, the call as Fargate makes it (a verdict and its fix must
    /// agree on what is known; declared for other launch types too, the finding says the failure is Fargate's tasks').
    /// </summary>
    private static KnownContext Knowledge(AuditContext context, Need need) =>
        OnFargate(context, need) is { } onFargate ? RequestKnowledge(need).Merge(onFargate) : RequestKnowledge(need);

    /// <summary>What the audit knows of the request a need makes beyond the role: the region it goes to when the resource does not say.</summary>
    private static KnownContext RequestKnowledge(Need need)
    {
        var known = need.Known ?? KnownContext.None;
        return need.Region is { } region ? known.With("aws:RequestedRegion", region) : known;
    }

    /// <summary>
    /// On Fargate, ecr:GetAuthorizationToken leaves through the Fargate-owned network interface, not the task's, so it
    /// carries no aws:SourceVpc or aws:SourceVpce (Amazon ECS Developer Guide, task execution IAM role: "The
    /// ecr:GetAuthorizationToken API action cannot have the aws:sourceVpc or aws:sourceVpce condition keys applied to it").
    /// Known when the task definition declares Fargate among its launch types; null otherwise.
    /// </summary>
    private static KnownContext? OnFargate(AuditContext context, Need need) =>
        need.Action.Equals("ecr:GetAuthorizationToken", StringComparison.OrdinalIgnoreCase)
        && context.TaskDefinition.LaunchTypesDeclared && context.TaskDefinition.Lists(LaunchType.Fargate)
            ? KnownContext.None.WithAbsent("aws:SourceVpc").WithAbsent("aws:SourceVpce")
            : null;

    private enum OutcomeKind
    {
        NotAllowed,
        OutsideBoundary,
        ExplicitlyDenied,
        Undecided,
    }

    /// <param name="Kind">Why the need is not met.</param>
    /// <param name="Why">The reason in words.</param>
    /// <param name="Denies">The Deny statements that block it, when one does.</param>
    /// <param name="Condition">The Allow's own conditions the need hinges on, when it is undecided.</param>
    private sealed record Outcome(OutcomeKind Kind, string Why, ImmutableArray<Grant> Denies, string? Condition = null)
    {
        /// <summary>True when the need fails only for the tasks Fargate runs (the task definition may run elsewhere too).</summary>
        public bool OnFargateOnly { get; init; }
    }
}
