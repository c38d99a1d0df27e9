using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Needs;

/// <summary>One permission a role must hold for the task definition to work.</summary>
/// <param name="Slot">Which role must hold it.</param>
/// <param name="Action">The action, e.g. <c>secretsmanager:GetSecretValue</c>.</param>
/// <param name="Resource">The resource ARN (<c>*</c> for wildcard-only actions).</param>
/// <param name="Reason">Why, in words: <c>secret DB_PASSWORD of container web</c>.</param>
/// <param name="Field">The task definition field that creates the need, e.g. <c>containerDefinitions[0].secrets[0]</c>.</param>
/// <param name="Container">The container, when the need comes from one.</param>
/// <param name="Certain">False when the need is inferred (a pull-through cache guessed from the repository prefix).</param>
public sealed record Need(RoleSlot Slot, string Action, string Resource, string Reason, string Field, string? Container, bool Certain = true)
{
    /// <summary>
    /// True when <see cref="Resource"/> is the shape of the resource rather than the resource: a secret referenced without
    /// its random suffix is some ARN matching <c>NAME-??????</c> (<c>?</c> standing for a character the audit does not know).
    /// </summary>
    public bool ResourceIsShape { get; init; }

    /// <summary>The region the request goes to, when its resource does not say (<c>ecr:GetAuthorizationToken</c> on <c>*</c>, from the image's registry).</summary>
    public string? Region { get; init; }

    /// <summary>Condition keys the task definition settles for this request (the EFS access point a mount goes through), beyond the role's.</summary>
    public Policy.Evaluation.KnownContext? Known { get; init; }
}
