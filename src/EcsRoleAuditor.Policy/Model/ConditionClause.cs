using System.Collections.Immutable;

namespace EcsRoleAuditor.Policy.Model;

/// <summary>The base condition operators of the IAM policy language (the part after any set qualifier and before <c>IfExists</c>).</summary>
public enum ConditionOperator
{
    /// <summary>Case-sensitive string equality.</summary>
    StringEquals,
    /// <summary>Negated case-sensitive string equality.</summary>
    StringNotEquals,
    /// <summary>Case-insensitive string equality.</summary>
    StringEqualsIgnoreCase,
    /// <summary>Negated case-insensitive string equality.</summary>
    StringNotEqualsIgnoreCase,
    /// <summary>Case-sensitive match with <c>*</c> and <c>?</c> wildcards.</summary>
    StringLike,
    /// <summary>Negated <see cref="StringLike"/>.</summary>
    StringNotLike,
    /// <summary>Numeric equality.</summary>
    NumericEquals,
    /// <summary>Negated numeric equality.</summary>
    NumericNotEquals,
    /// <summary>Numeric less than.</summary>
    NumericLessThan,
    /// <summary>Numeric less than or equal.</summary>
    NumericLessThanEquals,
    /// <summary>Numeric greater than.</summary>
    NumericGreaterThan,
    /// <summary>Numeric greater than or equal.</summary>
    NumericGreaterThanEquals,
    /// <summary>Date equality (ISO 8601 or epoch seconds).</summary>
    DateEquals,
    /// <summary>Negated date equality.</summary>
    DateNotEquals,
    /// <summary>Date before.</summary>
    DateLessThan,
    /// <summary>Date before or equal.</summary>
    DateLessThanEquals,
    /// <summary>Date after.</summary>
    DateGreaterThan,
    /// <summary>Date after or equal.</summary>
    DateGreaterThanEquals,
    /// <summary>Boolean equality (<c>true</c>/<c>false</c>).</summary>
    Bool,
    /// <summary>Equality of base64-encoded binary values.</summary>
    BinaryEquals,
    /// <summary>The key is an IP address inside one of the CIDR ranges.</summary>
    IpAddress,
    /// <summary>The key is an IP address outside all of the CIDR ranges.</summary>
    NotIpAddress,
    /// <summary>ARN equality, component by component (wildcards allowed, as for <see cref="ArnLike"/>).</summary>
    ArnEquals,
    /// <summary>ARN match with wildcards, component by component.</summary>
    ArnLike,
    /// <summary>Negated <see cref="ArnEquals"/>.</summary>
    ArnNotEquals,
    /// <summary>Negated <see cref="ArnLike"/>.</summary>
    ArnNotLike,
    /// <summary><c>"true"</c>: the key is absent; <c>"false"</c>: the key is present.</summary>
    Null,
}

/// <summary>The set qualifier of a condition operator, for multivalued keys.</summary>
public enum SetQualifier
{
    /// <summary>No qualifier: a single-valued comparison.</summary>
    None,
    /// <summary><c>ForAnyValue:</c> at least one request value matches one condition value; false when the key is absent or empty.</summary>
    ForAnyValue,
    /// <summary><c>ForAllValues:</c> every request value matches some condition value; true when the key is absent or empty.</summary>
    ForAllValues,
}

/// <summary>One key of one operator of a statement's <c>Condition</c> block, e.g. <c>"StringEquals": {"aws:SourceAccount": ["111122223333"]}</c>.</summary>
/// <param name="OperatorText">The operator exactly as written, e.g. <c>ForAnyValue:StringLikeIfExists</c>.</param>
/// <param name="Operator">The base operator.</param>
/// <param name="Qualifier">The set qualifier.</param>
/// <param name="IfExists">True for an <c>...IfExists</c> operator: the clause holds when the key is absent.</param>
/// <param name="Key">The condition key as written (keys compare case-insensitively).</param>
/// <param name="Values">The condition values as text (JSON booleans and numbers as their literal text); OR'd.</param>
public sealed record ConditionClause(
    string OperatorText,
    ConditionOperator Operator,
    SetQualifier Qualifier,
    bool IfExists,
    string Key,
    ImmutableArray<string> Values)
{
    /// <summary>The JSON path of this clause, e.g. <c>$.Statement[0].Condition.StringEquals['aws:SourceAccount']</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary>True for the negated operators, which hold when the key is absent from the request.</summary>
    public bool IsNegated => Operator is ConditionOperator.StringNotEquals or ConditionOperator.StringNotEqualsIgnoreCase
        or ConditionOperator.StringNotLike or ConditionOperator.NumericNotEquals or ConditionOperator.DateNotEquals
        or ConditionOperator.NotIpAddress or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike;
}
