using System.Collections.Frozen;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>Reads condition operator names such as <c>ForAnyValue:StringLikeIfExists</c>.</summary>
/// <remarks>
/// IAM matches operator names case-sensitively: CreateRole rejects <c>stringEquals</c> with
/// "MalformedPolicyDocument: Invalid Condition type : stringEquals". So do we, and suggest the right spelling.
/// </remarks>
internal static class ConditionOperatorNames
{
    private const string AnyValuePrefix = "ForAnyValue:";
    private const string AllValuesPrefix = "ForAllValues:";
    private const string IfExistsSuffix = "IfExists";

    // The enum's member names are exactly AWS's operator names.
    private static readonly FrozenDictionary<string, ConditionOperator> Exact =
        Enum.GetValues<ConditionOperator>().ToFrozenDictionary(o => o.ToString(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ConditionOperator> IgnoringCase =
        Enum.GetValues<ConditionOperator>().ToFrozenDictionary(o => o.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Splits and checks an operator name.</summary>
    /// <returns>Null when the name is valid, else a sentence saying what is wrong with it.</returns>
    public static string? Read(string text, out ConditionOperator @operator, out SetQualifier qualifier, out bool ifExists)
    {
        if (Split(text, StringComparison.Ordinal, Exact, out @operator, out qualifier, out ifExists, out _))
        {
            return @operator == ConditionOperator.Null && ifExists
                ? $"{JsonText.Quote(text)}: IfExists cannot be added to the Null operator (Null itself tests whether the key exists)"
                : null;
        }
        var problem = $"unknown condition operator {JsonText.Quote(text)}";
        if (Split(text, StringComparison.OrdinalIgnoreCase, IgnoringCase, out var near, out var nearQualifier, out var nearIfExists, out var baseName))
        {
            return $"{problem} (operator names are case-sensitive: did you mean {JsonText.Quote(Spell(near, nearQualifier, nearIfExists))}?)";
        }
        return Closest(baseName) is { } closest
            ? $"{problem} (did you mean {JsonText.Quote(Spell(closest, nearQualifier, nearIfExists))}?)"
            : $"{problem}; valid operators are {string.Join(", ", Exact.Keys.Order(StringComparer.Ordinal))}, optionally prefixed with {AnyValuePrefix} or {AllValuesPrefix} and suffixed with {IfExistsSuffix}";
    }

    /// <summary>The canonical spelling of an operator.</summary>
    public static string Spell(ConditionOperator @operator, SetQualifier qualifier, bool ifExists)
    {
        var prefix = qualifier switch
        {
            SetQualifier.ForAnyValue => AnyValuePrefix,
            SetQualifier.ForAllValues => AllValuesPrefix,
            _ => "",
        };
        return string.Concat(prefix, @operator.ToString(), ifExists ? IfExistsSuffix : "");
    }

    private static bool Split(string text, StringComparison comparison, FrozenDictionary<string, ConditionOperator> names,
        out ConditionOperator @operator, out SetQualifier qualifier, out bool ifExists, out string baseName)
    {
        var rest = text.AsSpan();
        qualifier = SetQualifier.None;
        if (rest.StartsWith(AnyValuePrefix, comparison))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest[AnyValuePrefix.Length..];
        }
        else if (rest.StartsWith(AllValuesPrefix, comparison))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest[AllValuesPrefix.Length..];
        }
        ifExists = rest.Length > IfExistsSuffix.Length && rest.EndsWith(IfExistsSuffix, comparison);
        if (ifExists)
        {
            rest = rest[..^IfExistsSuffix.Length];
        }
        baseName = rest.ToString();
        return names.TryGetValue(baseName, out @operator);
    }

    // A typo of one or two letters ("StringEqualz") gets a suggestion; anything further gets the list.
    private static ConditionOperator? Closest(string baseName)
    {
        ConditionOperator? best = null;
        var bestDistance = 3;
        var upper = baseName.ToUpperInvariant();
        foreach (var (name, @operator) in Exact)
        {
            var distance = Matching.EditDistance.Between(upper, name.ToUpperInvariant(), bestDistance);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (@operator, distance);
            }
        }
        return best;
    }
}
