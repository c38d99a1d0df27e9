using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// The execution plane's permissions as AWS grants them in AmazonECSTaskExecutionRolePolicy (ECR image pull and log
/// stream writes, on "*"), judged by what a statement says, never by which policy it sits in: the same statement gets
/// the same verdict inline or managed.
/// </summary>
internal static class ExecutionPlane
{
    /// <summary>The six actions of AmazonECSTaskExecutionRolePolicy (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role").</summary>
    public static IReadOnlyList<string> ManagedPolicyActions { get; } =
        [.. PlacementPolicyText.EcrPullActions, "logs:CreateLogStream", "logs:PutLogEvents"];

    /// <summary>
    /// The actions of a statement the breadth rules do not judge: on the execution role, what AWS's own policy grants it on
    /// "*" (its job); on the task role, the execution-plane actions of a statement ERA030 reports as misplaced (its fix
    /// moves them off the role, one finding for one cause).
    /// </summary>
    public static ActionSet ExemptFromBreadth(AuditContext context, AuditedRole role, Grant grant)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(grant);
        var catalog = role.Permissions.Catalog;
        return BreadthAnalysis.IsExecutionRole(context, role) || IsMisplacedOnTaskRole(context, role, grant)
            ? PlacementPolicyText.ToActionSet(catalog, ManagedPolicyActions)
            : new ActionSet(catalog);
    }

    /// <summary>
    /// True when a scope holds only for requests a secret store makes on the role's behalf: a <c>kms:ViaService</c>
    /// condition (StringEquals or StringLike, no IfExists or set qualifier) naming only Secrets Manager and Systems Manager
    /// endpoints (AWS KMS Developer Guide, "kms:ViaService"). Through them kms:Decrypt decrypts only
    /// the secrets and parameters the role may read from those services.
    /// </summary>
    public static bool DecryptsOnlyThroughSecretStores(ResourceScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Conditions.Any(c => string.Equals(c.Key, "kms:ViaService", StringComparison.OrdinalIgnoreCase)
            && c.Operator is ConditionOperator.StringEquals or ConditionOperator.StringLike && !c.IfExists && c.Qualifier == SetQualifier.None
            && !c.Values.IsEmpty && c.Values.All(IsSecretStoreEndpoint));
    }

    // secretsmanager.REGION.amazonaws.com or ssm.REGION.amazonaws.com: the service and its dot are literal, so whatever
    // follows (a region, or StringLike's wildcard for any region) matches only that service's endpoints.
    private static bool IsSecretStoreEndpoint(string value) =>
        value.StartsWith("secretsmanager.", StringComparison.Ordinal) || value.StartsWith("ssm.", StringComparison.Ordinal);

    /// <summary>
    /// True for a statement of the task role that ERA030 reports: AmazonECSTaskExecutionRolePolicy attached to it, or a
    /// statement that names ECR actions. A role in both slots is ERA001's, not this.
    /// </summary>
    public static bool IsMisplacedOnTaskRole(AuditContext context, AuditedRole role, Grant grant)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(grant);
        if (context.TaskRole is not { } task || !string.Equals(task.Role.Arn, role.Role.Arn, StringComparison.OrdinalIgnoreCase)
            || BreadthAnalysis.IsExecutionRole(context, role))
        {
            return false;
        }
        return PlacementPolicyText.IsTaskExecutionRolePolicyArn(role.SourceOf(grant.Source).Arn) || NamesEcr(grant.Source.Statement.Actions);
    }

    /// <summary>True when the statement names ECR actions (not through "*" or NotAction: those are the breadth rules' findings).</summary>
    public static bool NamesEcr(ActionList? actions) =>
        actions is { IsNegated: false } && actions.Patterns.Any(p => p.StartsWith("ecr:", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The resource to write in a policy for a need: the log group with its streams for awslogs, a secret referenced without
    /// its random suffix as <c>NAME-??????</c> (Secrets Manager documents this pattern), anything else as the need names it.
    /// </summary>
    public static string GrantableResource(Need need)
    {
        ArgumentNullException.ThrowIfNull(need);
        if (need.Action.StartsWith("logs:", StringComparison.Ordinal) && need.Resource.IndexOf(":log-stream:", StringComparison.Ordinal) is var stream and > 0)
        {
            return need.Resource[..stream] + ":*";
        }
        return need.Resource;
    }

    /// <summary>The slot a need of the role is in: the execution role's needs apply to a role in both slots too.</summary>
    public static bool Concerns(AuditContext context, AuditedRole role, Need need)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(need);
        return need.Slot == RoleSlot.Execution ? BreadthAnalysis.IsExecutionRole(context, role)
            : context.TaskRole is { } task && string.Equals(task.Role.Arn, role.Role.Arn, StringComparison.OrdinalIgnoreCase);
    }
}
