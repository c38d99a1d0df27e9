using EcsRoleAuditor.Policy.Evaluation.Conditions;
using EcsRoleAuditor.Policy.Matching;
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

    /// <summary>
    /// Decides the clause with what the audit knows: a key with a known value or known to be absent is decided as
    /// <see cref="Holds"/> would (unless a condition value names a variable the audit does not know); a key known only by
    /// the shape of its value is decided for the string and ARN operators when the shape settles it; anything else is unknown.
    /// </summary>
    public static Truth Decide(ConditionClause clause, KnownContext known, bool policyVariablesEnabled)
    {
        ArgumentNullException.ThrowIfNull(clause);
        ArgumentNullException.ThrowIfNull(known);
        var present = known.Values.TryGetValue(clause.Key, out _);
        if (present || known.IsAbsent(clause.Key))
        {
            if (present && policyVariablesEnabled && clause.Operator != ConditionOperator.Null && NamesUnknownVariable(clause, known))
            {
                return Truth.Unknown;
            }
            return TruthLogic.Of(Holds(clause, known.Values, policyVariablesEnabled));
        }
        if (known.Shapes.TryGetValue(clause.Key, out var shape))
        {
            return clause.Operator == ConditionOperator.Null ? TruthLogic.Of(NullHolds(clause, present: true)) : DecideByShape(clause, shape, policyVariablesEnabled);
        }
        return Truth.Unknown;
    }

    private static bool NamesUnknownVariable(ConditionClause clause, KnownContext known) =>
        !clause.Values.IsDefault && clause.Values.Any(v => PolicyVariables.ReferencedKeys(v).Any(k => !known.Values.TryGetValue(k, out _) && !known.IsAbsent(k)));

    // The value is some text matching the shape (and holding no wildcard itself): a single-valued comparison is decided
    // when every value of the shape gives the same answer.
    private static Truth DecideByShape(ConditionClause clause, string shape, bool policyVariablesEnabled)
    {
        if (clause.Qualifier != SetQualifier.None || clause.Values.IsDefaultOrEmpty
            || (policyVariablesEnabled && clause.Values.Any(PolicyVariables.ContainsVariable)))
        {
            return Truth.Unknown;
        }
        var positive = Truth.False;
        var malformed = false;
        foreach (var value in clause.Values)
        {
            malformed |= clause.Operator is ConditionOperator.ArnEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike
                && !ArnComponents.HasAllComponents(value);
            var one = clause.Operator switch
            {
                ConditionOperator.StringEquals or ConditionOperator.StringNotEquals => EqualsShape(value, shape, ignoreCase: false),
                ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringNotEqualsIgnoreCase => EqualsShape(value, shape, ignoreCase: true),
                ConditionOperator.StringLike or ConditionOperator.StringNotLike =>
                    ResourcePatterns.CoversText(value, shape) ? Truth.True : ResourcePatterns.OverlapText(value, shape) ? Truth.Unknown : Truth.False,
                ConditionOperator.ArnEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike =>
                    !ArnComponents.HasAllComponents(value) ? Truth.False
                    : ResourcePatterns.Covers(value, shape) ? Truth.True : ResourcePatterns.Overlap(value, shape) ? Truth.Unknown : Truth.False,
                _ => Truth.Unknown,
            };
            positive = positive.Or(one);
        }
        // As in the evaluator, a negated operator never holds over a malformed comparison.
        return !clause.IsNegated ? positive : malformed ? Truth.False : positive.Not();
    }

    // StringEquals takes its value literally: a value with * or ? equals no real value; a literal equals the shape's
    // only value when the shape has no wildcard, and may equal some value when the shape matches it.
    private static Truth EqualsShape(string value, string shape, bool ignoreCase)
    {
        if (value.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            return Truth.False;
        }
        if (!Wildcard.HasWildcard(shape))
        {
            return TruthLogic.Of(string.Equals(value, shape, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
        }
        return Wildcard.IsMatch(shape, value, ignoreCase) ? Truth.Unknown : Truth.False;
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
