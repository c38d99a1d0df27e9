using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA041: the role's statements, alone or together, complete a known privilege-escalation path.</summary>
public sealed class PrivilegeEscalationRule : IAuditRule
{
    private const string PassRole = "iam:PassRole";

    /// <summary>
    /// The known paths, as data (a list IS the point here). Sources: the IAM User Guide on iam:PassRole and on policy
    /// versions, the ECS Developer Guide on ECS Exec, and the escalation methods security researchers have published
    /// for IAM, ECS, Lambda, Glue, CloudFormation and EC2. A path whose steps all hold is reported once, naming every
    /// statement that completes it. iam:PassRole counts only on every role (Resource "*", <c>role/*</c>); a
    /// positive <c>iam:PassedToService</c> condition counts as no condition for the service the path passes the role
    /// to, and makes the PassRole useless for any other.
    /// </summary>
    internal static ImmutableArray<EscalationPath> Paths { get; } =
    [
        Path("iam:PassRole on every role", "hands any role, however powerful, to a service that will act with it", [PassRoleTo(null)]),
        Path("new policy version", "rewrites a managed policy (its own included) and makes the new version the default", [Any(StepScope.Any, "iam:CreatePolicyVersion")]),
        Path("default policy version", "switches a managed policy back to an older, broader version", [Any(StepScope.Any, "iam:SetDefaultPolicyVersion")]),
        Path("attach a managed policy", "attaches AdministratorAccess to itself or another principal",
            [Any(StepScope.Any, "iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy")]),
        Path("write an inline policy", "writes an inline policy granting anything to itself or another principal",
            [Any(StepScope.Any, "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy")]),
        Path("rewrite a trust policy", "lets itself (or anyone) assume a more powerful role", [Any(StepScope.Any, "iam:UpdateAssumeRolePolicy")]),
        Path("access keys for another user", "creates long-term credentials for a more powerful user", [Any(StepScope.Any, "iam:CreateAccessKey")]),
        Path("console password for another user", "signs in to the console as a more powerful user",
            [Any(StepScope.Any, "iam:CreateLoginProfile", "iam:UpdateLoginProfile")]),
        Path("join a privileged group", "adds a user it controls to a more powerful group", [Any(StepScope.Any, "iam:AddUserToGroup")]),
        Path("assume any role", "assumes every role whose trust policy admits the account", [Any(StepScope.Everything, "sts:AssumeRole")]),
        Path("ECS Exec into running tasks", "opens a shell in other tasks and takes their task roles' credentials", [Any(StepScope.Any, "ecs:ExecuteCommand")]),
        Path("ECS task with a passed role", "registers a task definition naming any role trusted by ecs-tasks.amazonaws.com and runs it",
            [PassRoleTo("ecs-tasks.amazonaws.com"), Any(StepScope.Any, "ecs:RegisterTaskDefinition"),
             Any(StepScope.Any, "ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService")]),
        Path("Lambda function with a passed role", "creates a function running as any role trusted by Lambda and invokes it",
            [PassRoleTo("lambda.amazonaws.com"), Any(StepScope.Any, "lambda:CreateFunction"),
             Any(StepScope.Any, "lambda:InvokeFunction", "lambda:CreateEventSourceMapping", "lambda:AddPermission")]),
        Path("Glue endpoint or job with a passed role", "runs code in Glue as any role trusted by Glue",
            [PassRoleTo("glue.amazonaws.com"), Any(StepScope.Any, "glue:CreateDevEndpoint", "glue:UpdateDevEndpoint", "glue:CreateJob")]),
        Path("CloudFormation stack with a passed role", "creates any resource, IAM included, as any role trusted by CloudFormation",
            [PassRoleTo("cloudformation.amazonaws.com"), Any(StepScope.Any, "cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:CreateChangeSet")]),
        Path("EC2 instance with a passed role", "launches an instance with any role trusted by EC2 and reads its credentials",
            [PassRoleTo("ec2.amazonaws.com"), Any(StepScope.Any, "ec2:RunInstances")]),
    ];

    /// <summary>ERA041, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA041",
        "Role can escalate its privileges",
        Severity.Critical,
        "Some permissions are worth every other: iam:PassRole on every role, writing or attaching IAM policies, rewriting trust policies, "
        + "creating credentials for users, assuming any role, ECS Exec into other tasks, and the PassRole paths through ECS, Lambda, Glue, "
        + "CloudFormation and EC2. A role holding one of these paths — in one statement or spread over several statements and policies — "
        + "can make itself an administrator. Denies and the permission boundary are honoured; a path that holds only under a condition is "
        + "reported one level lower, with the condition. A role that is already an administrator is ERA040's, not this rule's.",
        "Remove one step of the path from the role; scope iam:PassRole to the roles the application must pass, with an iam:PassedToService condition; "
        + "keep IAM administration out of task and execution roles.",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role can pass any role in one policy and register and run task definitions in another: together, an escalation path.", """
            {"taskDefinition":{"family":"deployer","taskRoleArn":"arn:aws:iam::111122223333:role/deployer-task","containerDefinitions":[{"name":"deployer","image":"deployer:3"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/deployer-task","inline":{
               "pass":{"Version":"2012-10-17","Statement":[{"Sid":"PassTaskRoles","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]},
               "deploy":{"Version":"2012-10-17","Statement":[{"Sid":"Deploy","Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:UpdateService"],"Resource":"*"}]}}}]}
            """),
        new("The task role can pass only the one role its services run as, and update only its service; that a deployer holds ECS powers is accepted with a reasoned suppression.", """
            {"taskDefinition":{"family":"deployer","taskRoleArn":"arn:aws:iam::111122223333:role/deployer-task","containerDefinitions":[{"name":"deployer","image":"deployer:3"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/deployer-task","tags":{"ecs-role-auditor:suppress":"ERA031:this service is the deployment pipeline"},"inline":{
               "pass":{"Version":"2012-10-17","Statement":[{"Sid":"PassTaskRoles","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/web-task","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]},
               "deploy":{"Version":"2012-10-17","Statement":[{"Sid":"Register","Effect":"Allow","Action":"ecs:RegisterTaskDefinition","Resource":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:*"},
                 {"Sid":"Deploy","Effect":"Allow","Action":"ecs:UpdateService","Resource":"arn:aws:ecs:eu-west-1:111122223333:service/prod/web"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, slot) in BreadthAnalysis.RolesOnce(context))
        {
            var analysis = BreadthAnalysis.Of(role);
            if (analysis.HasUnconditionalAdmin)
            {
                continue;
            }
            var completed = new List<(EscalationPath Path, StepMatch[] Steps)>();
            foreach (var path in Paths)
            {
                var steps = path.Steps.Select(s => Match(role, analysis, s)).OfType<StepMatch>().ToArray();
                if (steps.Length == path.Steps.Length)
                {
                    completed.Add((path, steps));
                }
            }
            // iam:PassRole on every role is an ingredient of the service paths: alone it is reported only when no service path uses it.
            if (completed.Any(c => c.Path.Steps.Any(s => s.PassedToService is not null)))
            {
                completed.RemoveAll(c => c.Path.Steps is [{ PassedToService: null, AnyOf: [PassRole] }]);
            }
            // Paths completed by the same statements make one finding: one statement with iam:* is one problem, not ten.
            foreach (var group in completed.GroupBy(c => StatementKey(c.Steps)))
            {
                yield return ToFinding(role, slot, [.. group]);
            }
        }
    }

    /// <summary>
    /// The actions that complete a path on their own (iam:PutRolePolicy, iam:PassRole...): this rule judges them wherever
    /// they are allowed, so ERA043 does not report them again as a mere matter of breadth.
    /// </summary>
    internal static IEnumerable<string> SingleStepActions => Paths.Where(p => p.Steps.Length == 1).SelectMany(p => p.Steps[0].AnyOf);

    private static string StatementKey(StepMatch[] steps) =>
        string.Join("|", steps.SelectMany(s => s.Grants).Distinct().Select(g => g.Source.ToString()).Order(StringComparer.Ordinal));

    private Finding ToFinding(AuditedRole role, RoleSlot slot, List<(EscalationPath Path, StepMatch[] Steps)> paths)
    {
        var steps = paths.SelectMany(p => p.Steps).ToList();
        var grants = steps.SelectMany(s => s.Grants).Distinct().ToList();
        // The group is as severe as its worst path: one unconditional path makes it unconditional.
        var conditional = paths.All(p => p.Steps.Any(s => s.Conditional));
        var actions = steps.SelectMany(s => s.Actions).Distinct(StringComparer.Ordinal).ToList();
        var described = paths.Select(p =>
            $"{p.Path.Name} (it {p.Path.Explanation}) through {string.Join(" + ", p.Steps.Select(s => $"{string.Join(" or ", s.Grants.Select(g => BreadthAnalysis.Cite(role, g)))} ({string.Join(", ", s.Actions)})"))}");
        // The Allows' own conditions the audit could not decide (a PassedToService naming the path's service is decided).
        var conditions = steps.SelectMany(s => s.Conditions).Distinct(StringComparer.Ordinal).ToList();
        // One edit per statement: the path's actions it grants come out of it (or its AWS managed policy is replaced).
        var edits = grants.Select(g => PlacementPolicyText.EditStatement(role, g,
            $"remove {FindingFactory.Summarise([.. actions.Where(a => role.Permissions.Catalog.TryGetAction(a, out var action) && g.Actions.Contains(action.Id))])}")).ToList();
        var remedy = edits.Skip(1).Aggregate(edits[0], (a, b) => a.And(b, "; "))
            .Append(" — one step of each path is enough to break it"
                + (actions.Contains(PassRole) ? ", or scope iam:PassRole to the named roles the application must pass, with an iam:PassedToService condition." : "."));
        return new Finding
        {
            Rule = Descriptor,
            Severity = conditional ? Descriptor.DefaultSeverity.OneLower() : Descriptor.DefaultSeverity,
            RoleArn = role.Role.Arn,
            RoleSlot = slot,
            Source = role.SourceOf(grants[0].Source),
            Statement = string.Join(", ", grants.Select(g => g.Source.Statement.Label)),
            Actions = [.. actions],
            Resources = [.. grants.SelectMany(ResourcesOf).Distinct(StringComparer.Ordinal)],
            Conditional = conditional && conditions.Count > 0 ? string.Join("; ", conditions) : null,
            Message = (paths.Count == 1
                ? $"Role {role.Role.Name} can escalate its privileges: {described.Single()}"
                : $"Role {role.Role.Name} can escalate its privileges in {paths.Count} ways through {string.Join(" + ", grants.Select(g => BreadthAnalysis.Cite(role, g)))}: "
                  + $"{string.Join("; ", paths.Select(p => $"{p.Path.Name} ({string.Join(", ", p.Steps.SelectMany(s => s.Actions))})"))}")
                + ScopeWording.Of(role, [.. steps.SelectMany(s => s.Scopes).Distinct()]).Exceptions + FindingFactory.UnreadPoliciesMayDeny(role) + ".",
            Remediation = remedy.Text,
            Changes = remedy.Changes,
        };
    }

    private static IEnumerable<string> ResourcesOf(Grant grant) =>
        grant.Resources is null ? ["*"] : grant.Resources.IsNegated ? grant.Resources.Patterns.Select(p => "NotResource " + p) : grant.Resources.Patterns;

    private static StepMatch? Match(AuditedRole role, BreadthAnalysis analysis, EscalationStep step)
    {
        var actions = new List<string>();
        var unconditionalScopes = new List<ResourceScope>();
        var conditionalScopes = new List<ResourceScope>();
        var unconditionalActions = new List<string>();
        var conditions = new List<string>();
        var known = step.PassedToService is { } service ? KnownContext.None.With(PassedToServiceKey, service) : KnownContext.None;
        foreach (var name in step.AnyOf)
        {
            // The allowed set answers most names at once; only allowed actions are worth describing.
            if (!role.Permissions.Catalog.TryGetAction(name, out var action) || !analysis.Allowed.Contains(action.Id))
            {
                continue;
            }
            var fitting = role.Permissions.Describe(action).Scopes
                .Where(s => !analysis.IsAdminEquivalent(s.Allow) && Fits(role, s, step))
                .Select(s => (Scope: s, Holds: Holds(s, known)))
                .Where(s => s.Holds != Truth.False)
                .ToList();
            if (fitting.Count == 0)
            {
                continue;
            }
            actions.Add(name);
            var free = fitting.Where(s => s.Holds == Truth.True).Select(s => s.Scope).ToList();
            if (free.Count > 0)
            {
                unconditionalActions.Add(name);
                unconditionalScopes.AddRange(free);
            }
            else
            {
                conditionalScopes.AddRange(fitting.Select(s => s.Scope));
                conditions.AddRange(fitting.Select(s => $"{BreadthAnalysis.Cite(role, s.Scope.Allow)}: "
                    + FindingFactory.ClauseText(s.Scope.Conditions.Where(c => ConditionEvaluator.Decide(c, known, policyVariablesEnabled: true) != Truth.True))));
            }
        }
        if (actions.Count == 0)
        {
            return null;
        }
        // When the step holds unconditionally, cite only what makes it hold unconditionally.
        return unconditionalActions.Count > 0
            ? new StepMatch(unconditionalActions, [.. unconditionalScopes], false, [])
            : new StepMatch(actions, [.. conditionalScopes], true, conditions);
    }

    private const string PassedToServiceKey = "iam:PassedToService";

    // The scope's undecided conditions with the service the path passes the role to known: a PassedToService test naming
    // that service holds, one naming only others fails; any other condition leaves the step conditional.
    private static Truth Holds(ResourceScope scope, KnownContext known)
    {
        var holds = Truth.True;
        foreach (var clause in scope.Conditions)
        {
            var decided = ConditionEvaluator.Decide(clause, known, policyVariablesEnabled: true);
            // A region test the audit cannot decide narrows nothing that matters here (ScopeWording.Narrows).
            holds = holds.And(decided == Truth.Unknown && !ScopeWording.Narrows([clause]) ? Truth.True : decided);
        }
        return holds;
    }

    private static bool Fits(AuditedRole role, ResourceScope scope, EscalationStep step) => step.Scope switch
    {
        StepScope.Everything => scope.IsEveryResource,
        StepScope.AllRoles => (scope.IsEveryResource || scope.Patterns.All(p => ResourcePatterns.Covers(p, EveryRoleOf(role))))
            && (step.PassedToService is not null || !ConfinedToUnusableServices(role, scope)),
        _ => true,
    };

    // A PassRole confined by iam:PassedToService to services of which the role can call nothing hands roles to no one it
    // can use (a role passes a role to a service through a call of that service: ecs:RunTask, lambda:CreateFunction...).
    private static bool ConfinedToUnusableServices(AuditedRole role, ResourceScope scope) =>
        scope.Conditions.Any(c => c.Key.Equals(PassedToServiceKey, StringComparison.OrdinalIgnoreCase) && c.Qualifier == SetQualifier.None
            && c.Operator is ConditionOperator.StringEquals or ConditionOperator.StringEqualsIgnoreCase
            && c.Values.All(v => ServicePrefixOf(v) is { } prefix && role.Permissions.Catalog.FindService(prefix) is { } service
                && !role.Permissions.AllowedActions.Overlaps(role.Permissions.Catalog.Expand(service.Prefix + ":*"))));

    // A service principal's prefix: lambda.amazonaws.com → lambda; ECS passes task roles through ecs-tasks.amazonaws.com.
    private static string? ServicePrefixOf(string principal) =>
        principal.Equals("ecs-tasks.amazonaws.com", StringComparison.OrdinalIgnoreCase) ? "ecs"
        : principal.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? principal[..dot] : null;

    // Every role of the role's own account: iam:PassRole reaches roles of the caller's account only.
    private static string EveryRoleOf(AuditedRole role) =>
        Arn.TryParse(role.Role.Arn, out var arn) ? Arn.Create(arn.Partition, "iam", "", arn.Account, "role/*").ToString() : "*";

    private static EscalationPath Path(string name, string explanation, ImmutableArray<EscalationStep> steps) => new(name, explanation, steps);

    private static EscalationStep Any(StepScope scope, params string[] actions) => new([.. actions], scope, null);

    private static EscalationStep PassRoleTo(string? service) => new([PassRole], StepScope.AllRoles, service);

    private sealed record StepMatch(List<string> Actions, ImmutableArray<ResourceScope> Scopes, bool Conditional, List<string> Conditions)
    {
        public ImmutableArray<Grant> Grants { get; } = [.. Scopes.Select(s => s.Allow).Distinct()];
    }
}

/// <summary>A named privilege-escalation path: every step must be allowed, each by any of its actions.</summary>
/// <param name="Name">What people call it, e.g. <c>ECS task with a passed role</c>.</param>
/// <param name="Explanation">What the role can do with it, completing "it ...".</param>
/// <param name="Steps">The steps.</param>
internal sealed record EscalationPath(string Name, string Explanation, ImmutableArray<EscalationStep> Steps);

/// <summary>One step of an <see cref="EscalationPath"/>.</summary>
/// <param name="AnyOf">The actions, any of which completes the step.</param>
/// <param name="Scope">On which resources the action must be allowed.</param>
/// <param name="PassedToService">For iam:PassRole: the service the role is passed to (for iam:PassedToService conditions).</param>
internal sealed record EscalationStep(ImmutableArray<string> AnyOf, StepScope Scope, string? PassedToService);

/// <summary>On which resources a step's action must be allowed.</summary>
internal enum StepScope
{
    /// <summary>Any resource at all.</summary>
    Any,
    /// <summary>Every IAM role (Resource "*", or a role/* pattern).</summary>
    AllRoles,
    /// <summary>Resource "*" (or NotResource).</summary>
    Everything,
}
