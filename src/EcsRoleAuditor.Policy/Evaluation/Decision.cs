namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>The outcome of IAM's evaluation logic for one request.</summary>
public enum Decision
{
    /// <summary>An identity policy allows the request, the boundary (if any) allows it too, and nothing denies it.</summary>
    Allowed,

    /// <summary>A Deny statement in an identity policy or the boundary matches the request.</summary>
    ExplicitlyDenied,

    /// <summary>No applicable Allow (in the identity policies, or in the boundary when there is one).</summary>
    ImplicitlyDenied,
}
