using System.Runtime.CompilerServices;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA043: write or permissions-management actions that support resource-level scoping are allowed on Resource "*".</summary>
public sealed class WriteOnAnyResourceRule : IAuditRule
{
    // Per catalog: the Write and Permissions management actions that can be scoped to resources.
    private static readonly ConditionalWeakTable<ActionCatalog, ActionSet> ScopableWrites = new();

    /// <inheritdoc/>
    public RuleDescriptor Descriptor { get; } = new(
        "ERA043",
        "Write or permissions-management actions on Resource \"*\"",
        Severity.Medium,
        "A Write or Permissions management action that supports resource-level permissions, allowed on Resource \"*\", reaches every "
        + "resource of its kind in the account — every queue, table, bucket or key — when the task needs a few. Actions that support no "
        + "resource-level scoping (ecr:GetAuthorizationToken, for instance) can only be granted on \"*\" and never count; neither does "
        + "AmazonECSTaskExecutionRolePolicy on an execution role, which AWS requires as it is. Actions a service-wide wildcard reaches are ERA042's.",
        "Name the resources' ARNs in the statement's Resource instead of \"*\".",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/access_controlling.html#access_controlling-resources",
         "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"]);

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
            if (!grant.CoversAnyResource || !grant.Actions.Overlaps(scopable))
            {
                continue;
            }
            var hits = analysis.AllowedBeyondServiceWide(grant, scopable);
            if (hits.IsEmpty)
            {
                continue;
            }
            var names = BreadthAnalysis.Names(hits);
            yield return BreadthAnalysis.StatementFinding(Descriptor, role, slot, grant,
                $"Role {role.Role.Name} may {FindingFactory.Summarise(names)} on every resource (Resource \"*\") through {BreadthAnalysis.Cite(role, grant)}, though these actions can be scoped to resources.",
                $"In {role.SourceOf(grant.Source)}, statement {grant.Source.Statement.Label}: replace Resource \"*\" by the ARNs {role.Role.Name} works on for {FindingFactory.Summarise(names, 3)} "
                + "(keep wildcard-only actions in a separate statement on \"*\").",
                names);
        }
    }

    private static ActionSet Build(ActionCatalog catalog) =>
        catalog.WithAccessLevels([AccessLevel.Write, AccessLevel.PermissionsManagement], resourceScopableOnly: true);
}
