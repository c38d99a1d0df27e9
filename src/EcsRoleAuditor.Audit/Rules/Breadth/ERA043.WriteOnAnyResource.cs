using System.Runtime.CompilerServices;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA043: write or permissions-management actions that support resource-level scoping are allowed on Resource "*".</summary>
public sealed class WriteOnAnyResourceRule : IAuditRule
{
    // Per catalog: the Write and Permissions management actions that can be scoped to resources.
    private static readonly ConditionalWeakTable<ActionCatalog, ActionSet> ScopableWrites = new();

    /// <summary>ERA043, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA043",
        "Write or permissions-management actions on Resource \"*\"",
        Severity.Medium,
        "A Write or Permissions management action that supports resource-level permissions, allowed on every resource (Resource \"*\", "
        + "after the permission boundary and Deny statements), reaches every resource of its kind in the account — every queue, table, bucket "
        + "or key — when the task needs a few. Actions that support no resource-level scoping (ecr:GetAuthorizationToken, for instance) can "
        + "only be granted on \"*\" and never count; neither do the execution role's log stream writes (logs:CreateLogStream, logs:PutLogEvents), "
        + "which AWS's own AmazonECSTaskExecutionRolePolicy grants on \"*\", wherever they are written. Reads of secrets, parameters, objects "
        + "and keys are ERA045's; actions a service-wide wildcard reaches are ERA042's; a NotAction or NotResource statement is ERA044's; "
        + "an action that can complete a privilege-escalation path on its own (iam:PassRole, writing IAM policies...) is ERA041's to judge.",
        "Name the resources' ARNs in the statement's Resource instead of \"*\".",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/access_controlling.html#access_controlling-resources",
         "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role may send to and delete every queue of the account.", """
            {"taskDefinition":{"family":"worker","taskRoleArn":"arn:aws:iam::111122223333:role/worker-task","containerDefinitions":[{"name":"worker","image":"worker:2"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/worker-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"Queues","Effect":"Allow","Action":["sqs:SendMessage","sqs:DeleteMessage","sqs:ReceiveMessage"],"Resource":"*"}]}}}]}
            """),
        new("The same actions on the one queue the worker uses, and ecr:GetAuthorizationToken on \"*\" (it has no resource-level scoping).", """
            {"taskDefinition":{"family":"worker","taskRoleArn":"arn:aws:iam::111122223333:role/worker-task","containerDefinitions":[{"name":"worker","image":"worker:2"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/worker-task","inline":{"app":{"Version":"2012-10-17","Statement":[
               {"Sid":"Queues","Effect":"Allow","Action":["sqs:SendMessage","sqs:DeleteMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"},
               {"Sid":"Registry","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scopable = ScopableWrites.GetValue(context.Catalog, Build);
        foreach (var (role, slot, analysis, grant) in BreadthAnalysis.CandidateAllows(context))
        {
            if (!grant.Actions.Overlaps(scopable))
            {
                continue;
            }
            var hits = analysis.AllowedBeyondWildcards(grant, scopable);
            hits.ExceptWith(ExecutionPlane.ExemptFromBreadth(context, role, grant));
            // Every resource, as ERA044 does not already say it: the statement's own NotResource is ERA044's finding.
            var scopes = BreadthAnalysis.KeepActionsReachingEverything(role, grant, hits, s => s.IsEveryResource);
            if (hits.IsEmpty)
            {
                continue;
            }
            var names = BreadthAnalysis.Names(hits);
            var known = KnownResources(context, role, names);
            yield return BreadthAnalysis.StatementFinding(Descriptor, role, slot, grant,
                $"Role {role.Role.Name} may {FindingFactory.Summarise(names)} on every resource through {BreadthAnalysis.Cite(role, grant)}, though {(names.Count == 1 ? "this action" : "these actions")} can be scoped to resources",
                PlacementPolicyText.EditStatement(role, grant,
                    $"replace Resource \"*\" by the ARNs {role.Role.Name} works on for {FindingFactory.Summarise(names, 3)}"
                    + (known.Count == 0 ? "" : $" (the task definition names {FindingFactory.Summarise(known, 3)})")
                    + " and keep wildcard-only actions in a separate statement on \"*\"").Append("."),
                names,
                [.. scopes.Distinct()]);
        }
    }

    /// <summary>
    /// The ARNs the task definition's needs name in the services of these actions, for this role's slot (its awslogs
    /// groups, its secrets): what the statement should say instead of "*".
    /// </summary>
    private static List<string> KnownResources(AuditContext context, AuditedRole role, List<string> actions) =>
        [.. context.Needs
            .Where(n => ExecutionPlane.Concerns(context, role, n) && n.Resource != "*"
                && actions.Exists(a => a.AsSpan(0, a.IndexOf(':')).Equals(n.Action.AsSpan(0, n.Action.IndexOf(':')), StringComparison.OrdinalIgnoreCase)))
            .Select(n => ExecutionPlane.GrantableResource(n))
            .Distinct(StringComparer.Ordinal)];

    private static ActionSet Build(ActionCatalog catalog)
    {
        // ERA045 judges the sensitive reads (kms:Decrypt is a Write in AWS's data), ERA041 the actions that escalate on
        // their own: one fact, one rule.
        var set = catalog.WithAccessLevels([AccessLevel.Write, AccessLevel.PermissionsManagement], resourceScopableOnly: true);
        set.ExceptWith(SensitiveReadOnAnyResourceRule.SensitiveActions(catalog));
        foreach (var name in PrivilegeEscalationRule.SingleStepActions)
        {
            if (catalog.TryGetAction(name, out var action))
            {
                set.Remove(action.Id);
            }
        }
        return set;
    }
}
