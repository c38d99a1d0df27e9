using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>A decision with the statements that produced it.</summary>
/// <param name="Decision">The decision.</param>
/// <param name="MatchedStatements">Every statement that applied to the request: denies, identity allows and boundary allows.</param>
public sealed record Evaluation(Decision Decision, IReadOnlyList<StatementRef> MatchedStatements);

/// <summary>
/// IAM's evaluation logic for a principal's identity policies and optional permission boundary: an explicit Deny in any
/// of them wins; otherwise an identity-policy Allow is needed and, when the principal has a boundary, a boundary Allow too;
/// otherwise the request is implicitly denied. Documents are compiled on first use and the compiled form is cached per
/// document instance, so repeated decisions over the same documents are cheap.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Decides one request.</summary>
    /// <param name="identityPolicies">The principal's identity policies.</param>
    /// <param name="boundaries">The permission boundary documents, or null when the principal has none (an empty list denies everything).</param>
    /// <param name="action">The action, e.g. <c>s3:GetObject</c>.</param>
    /// <param name="resource">The resource ARN, or <c>*</c> for wildcard-only actions.</param>
    /// <param name="context">The request context.</param>
    public static Decision Decide(IReadOnlyList<PolicyDocument> identityPolicies, IReadOnlyList<PolicyDocument>? boundaries, string action, string resource, RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(identityPolicies);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);

        if (NeedsNoAuthorization(action))
        {
            return Decision.Allowed;
        }
        if (AnyMatches(identityPolicies, Effect.Deny, action, resource, context)
            || (boundaries is not null && AnyMatches(boundaries, Effect.Deny, action, resource, context)))
        {
            return Decision.ExplicitlyDenied;
        }
        if (!AnyMatches(identityPolicies, Effect.Allow, action, resource, context))
        {
            return Decision.ImplicitlyDenied;
        }
        if (boundaries is not null && !AnyMatches(boundaries, Effect.Allow, action, resource, context))
        {
            return Decision.ImplicitlyDenied;
        }
        return Decision.Allowed;
    }

    /// <summary>Like <see cref="Decide"/>, with every statement that applied to the request (explain mode).</summary>
    public static Evaluation Explain(IReadOnlyList<PolicyDocument> identityPolicies, IReadOnlyList<PolicyDocument>? boundaries, string action, string resource, RequestContext context)
    {
        var decision = Decide(identityPolicies, boundaries, action, resource, context);
        var matched = new List<StatementRef>();
        Collect(identityPolicies, isBoundary: false, action, resource, context, matched);
        if (boundaries is not null)
        {
            Collect(boundaries, isBoundary: true, action, resource, context, matched);
        }
        // Denies first (they decide whenever present), otherwise document order.
        return new Evaluation(decision, [.. matched.OrderByDescending(m => m.Statement.Effect == Effect.Deny)]);
    }

    /// <summary>
    /// Actions AWS performs for any authenticated caller whatever the policies say. STS API Reference, GetCallerIdentity:
    /// "No permissions are required to perform this operation", and an explicit Deny does not stop it.
    /// </summary>
    public static bool NeedsNoAuthorization(string action) =>
        string.Equals(action, "sts:GetCallerIdentity", StringComparison.OrdinalIgnoreCase);

    private static bool AnyMatches(IReadOnlyList<PolicyDocument> documents, Effect effect, string action, string resource, RequestContext context)
    {
        for (var d = 0; d < documents.Count; d++)
        {
            foreach (var statement in CompiledPolicy.For(documents[d]).Statements)
            {
                if (statement.Statement.Effect == effect && statement.Matches(action, resource, context))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static void Collect(IReadOnlyList<PolicyDocument> documents, bool isBoundary, string action, string resource, RequestContext context, List<StatementRef> matched)
    {
        foreach (var document in documents)
        {
            foreach (var statement in CompiledPolicy.For(document).Statements)
            {
                if (statement.Matches(action, resource, context))
                {
                    matched.Add(new StatementRef(document.Name, statement.Statement, isBoundary));
                }
            }
        }
    }
}
