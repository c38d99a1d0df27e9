using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Evaluation.Conditions;

/// <summary>How one request value compares with a clause's condition values.</summary>
internal enum ValueOutcome
{
    /// <summary>The request value matches at least one condition value.</summary>
    Match,
    /// <summary>The request value and all condition values are well-formed and none matches.</summary>
    NoMatch,
    /// <summary>
    /// Nothing matched and the comparison could not be made for the request value or some condition value
    /// (not a number, date, IP address, ARN...). Negated operators do not hold then: a malformed value never matches either way.
    /// </summary>
    Malformed,
}

/// <summary>
/// A clause's condition values parsed once for its operator family (numbers, dates, CIDRs, base64...), and compared with
/// one request value at a time. Built lazily per <see cref="ConditionClause"/> instance and kept as long as the clause lives.
/// </summary>
internal abstract class CompiledCondition
{
    private static readonly ConditionalWeakTable<ConditionClause, CompiledCondition> Cache = new();

    /// <summary>The compiled form of a clause, built on first use.</summary>
    public static CompiledCondition For(ConditionClause clause) =>
        Cache.TryGetValue(clause, out var compiled) ? compiled : Cache.GetValue(clause, static c => Compile(c.Operator, Values(c)));

    /// <summary>Compares one request value with the condition values, before any negation of the operator.</summary>
    public abstract ValueOutcome Compare(string requestValue, RequestContext context, bool policyVariablesEnabled);

    private static ImmutableArray<string> Values(ConditionClause clause) => clause.Values.IsDefault ? [] : clause.Values;

    private static CompiledCondition Compile(ConditionOperator op, ImmutableArray<string> values) => op switch
    {
        ConditionOperator.StringEquals or ConditionOperator.StringNotEquals => new StringCondition(values, StringMode.Exact),
        ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringNotEqualsIgnoreCase => new StringCondition(values, StringMode.IgnoreCase),
        ConditionOperator.StringLike or ConditionOperator.StringNotLike => new StringCondition(values, StringMode.Like),
        ConditionOperator.ArnEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike => new ArnCondition(values),
        ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals or ConditionOperator.NumericLessThan
            or ConditionOperator.NumericLessThanEquals or ConditionOperator.NumericGreaterThan or ConditionOperator.NumericGreaterThanEquals
            => TypedCondition<decimal, decimal>.Create(values, ConditionValues.TryParseNumber, ConditionValues.TryParseNumber, Ordering<decimal>(op)),
        ConditionOperator.DateEquals or ConditionOperator.DateNotEquals or ConditionOperator.DateLessThan
            or ConditionOperator.DateLessThanEquals or ConditionOperator.DateGreaterThan or ConditionOperator.DateGreaterThanEquals
            => TypedCondition<long, long>.Create(values, ConditionValues.TryParseDate, ConditionValues.TryParseDate, Ordering<long>(op)),
        ConditionOperator.Bool => TypedCondition<bool, bool>.Create(values, ConditionValues.TryParseBool, ConditionValues.TryParseBool, static (r, c) => r == c),
        ConditionOperator.BinaryEquals => TypedCondition<byte[], byte[]>.Create(values, ConditionValues.TryParseBase64, ConditionValues.TryParseBase64, static (r, c) => r.AsSpan().SequenceEqual(c)),
        ConditionOperator.IpAddress or ConditionOperator.NotIpAddress
            => TypedCondition<(UInt128 Bits, bool IsIPv6), IpRange>.Create(values, TryParseAddress, IpRange.TryParse, static (r, c) => c.Contains(r.Bits, r.IsIPv6)),
        // Null never reaches here (it looks only at presence); an unknown operator value matches nothing.
        _ => new NeverMatches(),
    };

    /// <summary>The request value on the left, the condition value on the right: <c>NumericLessThan</c> holds when request &lt; condition.</summary>
    private static Func<T, T, bool> Ordering<T>(ConditionOperator op) where T : IComparisonOperators<T, T, bool> => op switch
    {
        ConditionOperator.NumericLessThan or ConditionOperator.DateLessThan => static (r, c) => r < c,
        ConditionOperator.NumericLessThanEquals or ConditionOperator.DateLessThanEquals => static (r, c) => r <= c,
        ConditionOperator.NumericGreaterThan or ConditionOperator.DateGreaterThan => static (r, c) => r > c,
        ConditionOperator.NumericGreaterThanEquals or ConditionOperator.DateGreaterThanEquals => static (r, c) => r >= c,
        _ => static (r, c) => r == c,
    };

    private static bool TryParseAddress(string text, out (UInt128 Bits, bool IsIPv6) address)
    {
        var parsed = IpAddressBits.TryParse(text, out var bits, out var isIPv6);
        address = (bits, isIPv6);
        return parsed;
    }

    private sealed class NeverMatches : CompiledCondition
    {
        public override ValueOutcome Compare(string requestValue, RequestContext context, bool policyVariablesEnabled) => ValueOutcome.Malformed;
    }
}

/// <summary>Parses one value of a typed operator family.</summary>
internal delegate bool ValueParser<T>(string text, out T value);

/// <summary>Numeric, date, boolean, binary and IP operators: condition values parsed once, the request value parsed per call. No policy variables here (AWS allows them only with String and ARN operators).</summary>
internal sealed class TypedCondition<TRequest, TCondition> : CompiledCondition
{
    private readonly TCondition[] _values;
    private readonly bool _someValueMalformed;
    private readonly ValueParser<TRequest> _parseRequest;
    private readonly Func<TRequest, TCondition, bool> _matches;

    private TypedCondition(TCondition[] values, bool someValueMalformed, ValueParser<TRequest> parseRequest, Func<TRequest, TCondition, bool> matches)
    {
        _values = values;
        _someValueMalformed = someValueMalformed;
        _parseRequest = parseRequest;
        _matches = matches;
    }

    /// <summary>Parses the condition values; malformed ones are dropped and remembered.</summary>
    public static TypedCondition<TRequest, TCondition> Create(
        ImmutableArray<string> values, ValueParser<TRequest> parseRequest, ValueParser<TCondition> parseCondition, Func<TRequest, TCondition, bool> matches)
    {
        var parsed = new List<TCondition>(values.Length);
        foreach (var text in values)
        {
            if (parseCondition(text, out var value))
            {
                parsed.Add(value);
            }
        }
        return new TypedCondition<TRequest, TCondition>([.. parsed], parsed.Count != values.Length, parseRequest, matches);
    }

    /// <inheritdoc/>
    public override ValueOutcome Compare(string requestValue, RequestContext context, bool policyVariablesEnabled)
    {
        if (!_parseRequest(requestValue, out var request))
        {
            return ValueOutcome.Malformed;
        }
        foreach (var value in _values)
        {
            if (_matches(request, value))
            {
                return ValueOutcome.Match;
            }
        }
        return _someValueMalformed ? ValueOutcome.Malformed : ValueOutcome.NoMatch;
    }
}

/// <summary>How a String* operator compares.</summary>
internal enum StringMode
{
    /// <summary>Ordinal, case-sensitive equality.</summary>
    Exact,
    /// <summary>Ordinal equality ignoring case.</summary>
    IgnoreCase,
    /// <summary>Case-sensitive glob with <c>*</c> and <c>?</c>.</summary>
    Like,
}

/// <summary>Condition values that may hold policy variables; remembers which do so that plain values are compared without substitution.</summary>
internal abstract class TextCondition : CompiledCondition
{
    private readonly string[] _values;
    private readonly bool[] _hasVariable;

    protected TextCondition(ImmutableArray<string> values)
    {
        _values = [.. values];
        _hasVariable = [.. values.Select(PolicyVariables.ContainsVariable)];
    }

    /// <inheritdoc/>
    public override ValueOutcome Compare(string requestValue, RequestContext context, bool policyVariablesEnabled)
    {
        if (!IsWellFormedRequest(requestValue))
        {
            return ValueOutcome.Malformed;
        }
        var someValueMalformed = false;
        for (var i = 0; i < _values.Length; i++)
        {
            var value = _values[i];
            // A variable with no value and no default makes this condition value match nothing (IAM User Guide, "Policy variables with no value");
            // that is a NoMatch, not a malformed value, so negated operators still hold.
            if (policyVariablesEnabled && _hasVariable[i] && !PolicyVariables.TrySubstitute(value, context, SubstituteAsWildcardPattern, out value))
            {
                continue;
            }
            switch (Matches(value, requestValue))
            {
                case true:
                    return ValueOutcome.Match;
                case null:
                    someValueMalformed = true;
                    break;
            }
        }
        return someValueMalformed ? ValueOutcome.Malformed : ValueOutcome.NoMatch;
    }

    /// <summary>True when the escapes <c>${*}</c>/<c>${?}</c> must stay literal inside a wildcard pattern.</summary>
    protected abstract bool SubstituteAsWildcardPattern { get; }

    /// <summary>False when the request value cannot be compared at all.</summary>
    protected abstract bool IsWellFormedRequest(string requestValue);

    /// <summary>Whether one (substituted) condition value matches; null when the condition value is malformed.</summary>
    protected abstract bool? Matches(string conditionValue, string requestValue);
}

/// <summary>String* operators.</summary>
internal sealed class StringCondition(ImmutableArray<string> values, StringMode mode) : TextCondition(values)
{
    protected override bool SubstituteAsWildcardPattern => mode == StringMode.Like;

    protected override bool IsWellFormedRequest(string requestValue) => true;

    protected override bool? Matches(string conditionValue, string requestValue) => mode switch
    {
        StringMode.Exact => string.Equals(conditionValue, requestValue, StringComparison.Ordinal),
        StringMode.IgnoreCase => string.Equals(conditionValue, requestValue, StringComparison.OrdinalIgnoreCase),
        _ => Wildcard.IsMatch(conditionValue, requestValue, ignoreCase: false),
    };
}

/// <summary>Arn* operators: ArnEquals and ArnLike behave identically (IAM User Guide), component by component.</summary>
internal sealed class ArnCondition(ImmutableArray<string> values) : TextCondition(values)
{
    protected override bool SubstituteAsWildcardPattern => true;

    protected override bool IsWellFormedRequest(string requestValue) => ArnComponents.IsArn(requestValue);

    protected override bool? Matches(string conditionValue, string requestValue) =>
        ArnComponents.HasAllComponents(conditionValue) ? ArnComponents.IsMatch(conditionValue, requestValue) : null;
}
