using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Tests.Conditions;

/// <summary>Builds condition clauses and request contexts for tests, without the policy parser.</summary>
internal static class Conditions
{
    /// <summary>A clause from operator text such as <c>ForAnyValue:StringLikeIfExists</c>.</summary>
    public static ConditionClause Clause(string operatorText, string key, params string[] values)
    {
        var qualifier = SetQualifier.None;
        var rest = operatorText;
        if (rest.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest["ForAnyValue:".Length..];
        }
        else if (rest.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest["ForAllValues:".Length..];
        }
        var ifExists = rest.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            rest = rest[..^"IfExists".Length];
        }
        return new ConditionClause(operatorText, Enum.Parse<ConditionOperator>(rest), qualifier, ifExists, key, [.. values]);
    }

    /// <summary>A context of single-valued keys.</summary>
    public static RequestContext Context(params (string Key, string Value)[] keys) =>
        RequestContext.FromSingleValues(keys.Select(k => KeyValuePair.Create(k.Key, k.Value)));

    /// <summary>A context with one multivalued key.</summary>
    public static RequestContext MultiValued(string key, params string[] values) =>
        RequestContext.Create([KeyValuePair.Create(key, new ContextValue([.. values], IsMultiValued: true))]);

    /// <summary>Evaluates with policy variables enabled (Version 2012-10-17).</summary>
    public static bool Holds(ConditionClause clause, RequestContext context) => ConditionEvaluator.Holds(clause, context, policyVariablesEnabled: true);

    /// <summary>Shorthand: one clause, one single-valued key.</summary>
    public static bool Holds(string operatorText, string conditionValue, string? requestValue, string key = "k") =>
        Holds(Clause(operatorText, key, conditionValue), requestValue is null ? RequestContext.Empty : Context((key, requestValue)));

    /// <summary>Every base operator name.</summary>
    public static ImmutableArray<string> AllOperators { get; } = [.. Enum.GetNames<ConditionOperator>()];
}
