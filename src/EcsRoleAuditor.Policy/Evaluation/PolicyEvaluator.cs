using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Evaluation;

// CONTRACT ONLY: being implemented by the lead.

/// <summary>A statement that matched a request, for explanations and findings.</summary>
/// <param name="PolicyName">The document's <see cref="PolicyDocument.Name"/>.</param>
/// <param name="Statement">The statement.</param>
/// <param name="IsBoundary">True when the statement belongs to a permission boundary.</param>
public sealed record MatchedStatement(string PolicyName, Statement Statement, bool IsBoundary);

/// <summary>A decision with the statements that produced it.</summary>
public sealed record Evaluation(Decision Decision, IReadOnlyList<MatchedStatement> MatchedStatements);

/// <summary>IAM's evaluation logic for a principal's identity policies and optional permission boundary.</summary>
public static class PolicyEvaluator
{
    /// <summary>Decides one request: an explicit Deny anywhere wins; otherwise an identity Allow is needed and, when boundaries are given, a boundary Allow too.</summary>
    /// <param name="identityPolicies">The principal's identity policies.</param>
    /// <param name="boundaries">The permission boundary documents, or null when the principal has none.</param>
    /// <param name="action">The action, e.g. <c>s3:GetObject</c>.</param>
    /// <param name="resource">The resource ARN, or <c>*</c> for wildcard-only actions.</param>
    /// <param name="context">The request context.</param>
    public static Decision Decide(IReadOnlyList<PolicyDocument> identityPolicies, IReadOnlyList<PolicyDocument>? boundaries, string action, string resource, RequestContext context)
        => throw new NotImplementedException();

    /// <summary>Like <see cref="Decide"/>, with the statements that matched (explain mode).</summary>
    public static Evaluation Explain(IReadOnlyList<PolicyDocument> identityPolicies, IReadOnlyList<PolicyDocument>? boundaries, string action, string resource, RequestContext context)
        => throw new NotImplementedException();
}
