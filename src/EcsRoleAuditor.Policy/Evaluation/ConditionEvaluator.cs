using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Evaluation;

// CONTRACT ONLY: the conditions helper replaces the body with the real implementation.

/// <summary>Evaluates one condition clause against a request context, with AWS's rules for absent keys, negated operators, IfExists, set qualifiers and policy variables.</summary>
public static class ConditionEvaluator
{
    /// <summary>True when the clause holds for the request.</summary>
    /// <param name="clause">The clause.</param>
    /// <param name="context">The request context.</param>
    /// <param name="policyVariablesEnabled">True for Version 2012-10-17 documents: <c>${...}</c> in condition values is substituted.</param>
    public static bool Holds(ConditionClause clause, RequestContext context, bool policyVariablesEnabled) => throw new NotImplementedException();
}
