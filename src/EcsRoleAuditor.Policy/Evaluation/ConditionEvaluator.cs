using EcsRoleAuditor.Policy.Evaluation.Conditions;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>Evaluates one condition clause against a request context, with AWS's rules for absent keys, negated operators, IfExists, set qualifiers and policy variables.</summary>
/// <remarks>
/// The rules, from the IAM User Guide ("Condition operators", "Conditions with multiple context keys or values",
/// "Single-valued vs. multivalued context keys", "Variables and tags"):
/// <list type="bullet">
/// <item>A key that is absent, or present with no values, is absent. Then <c>...IfExists</c> holds; <c>ForAllValues:</c> holds;
/// <c>ForAnyValue:</c> does not; otherwise only the negated operators hold. <c>Null</c> looks only at presence.</item>
/// <item>One request value satisfies a positive operator when it matches any condition value (OR), and a negated operator
/// when it matches none of them (NOR). A malformed value (not a number, date, IP address, ARN, base64) never matches,
/// and a negated operator does not hold over a malformed comparison either.</item>
/// <item><c>ForAnyValue:</c> holds when some request value satisfies the base operator, <c>ForAllValues:</c> when every one does;
/// so <c>ForAllValues:StringNotLike</c> means "no request value is like any pattern", as in AWS's tag-key examples.</item>
/// <item>A multivalued key compared without a set qualifier does not hold, whatever the operator: AWS requires a set
/// operator for multivalued keys and documents no single-valued meaning for them.</item>
/// <item>Policy variables are substituted (when enabled) only in the values of String* and Arn* operators; a variable with
/// no value and no default makes that value match nothing, so negated operators hold against it.</item>
/// </list>
/// </remarks>
public static class ConditionEvaluator
{
    /// <summary>True when the clause holds for the request.</summary>
    /// <param name="clause">The clause.</param>
    /// <param name="context">The request context.</param>
    /// <param name="policyVariablesEnabled">True for Version 2012-10-17 documents: <c>${...}</c> in condition values is substituted.</param>
    public static bool Holds(ConditionClause clause, RequestContext context, bool policyVariablesEnabled)
    {
        ArgumentNullException.ThrowIfNull(clause);
        ArgumentNullException.ThrowIfNull(context);

        var present = context.TryGetValue(clause.Key, out var value) && !value.Values.IsDefaultOrEmpty;
        if (clause.Operator == ConditionOperator.Null)
        {
            return NullHolds(clause, present);
        }
        if (!present)
        {
            return clause.IfExists || clause.Qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => clause.IsNegated,
            };
        }

        var compiled = CompiledCondition.For(clause);
        var values = value.Values;
        switch (clause.Qualifier)
        {
            case SetQualifier.ForAnyValue:
                foreach (var requestValue in values)
                {
                    if (ValueSatisfies(clause, compiled, requestValue, context, policyVariablesEnabled))
                    {
                        return true;
                    }
                }
                return false;
            case SetQualifier.ForAllValues:
                foreach (var requestValue in values)
                {
                    if (!ValueSatisfies(clause, compiled, requestValue, context, policyVariablesEnabled))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return !value.IsMultiValued && values.Length == 1
                    && ValueSatisfies(clause, compiled, values[0], context, policyVariablesEnabled);
        }
    }

    private static bool ValueSatisfies(ConditionClause clause, CompiledCondition compiled, string requestValue, RequestContext context, bool policyVariablesEnabled)
    {
        var outcome = compiled.Compare(requestValue, context, policyVariablesEnabled);
        return clause.IsNegated ? outcome == ValueOutcome.NoMatch : outcome == ValueOutcome.Match;
    }

    /// <summary><c>"true"</c> holds when the key is absent, <c>"false"</c> when it is present; other values never hold. IfExists and set qualifiers do not apply to Null.</summary>
    private static bool NullHolds(ConditionClause clause, bool present)
    {
        if (clause.Values.IsDefault)
        {
            return false;
        }
        foreach (var text in clause.Values)
        {
            if (ConditionValues.TryParseBool(text, out var expectAbsent) && expectAbsent != present)
            {
                return true;
            }
        }
        return false;
    }
}
