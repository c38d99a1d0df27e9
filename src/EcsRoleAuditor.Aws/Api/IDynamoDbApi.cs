using System.Collections.Immutable;

namespace EcsRoleAuditor.Aws.Api;

/// <summary>
/// The DynamoDB operations the findings store calls, and only those: the function's role is granted exactly these
/// (template.yaml), so add one here only with a caller. Each method is one request. A write whose condition does not
/// hold is not an error: it answers <see cref="DynamoWriteResult.Applied"/> false (DynamoDB's
/// <c>ConditionalCheckFailedException</c>), because losing a conditional write is how the store decides who alerts.
/// Other errors as for <see cref="IIamApi"/>.
/// </summary>
public interface IDynamoDbApi
{
    /// <summary>PutItem, optionally conditional.</summary>
    Task<DynamoWriteResult> PutItemAsync(DynamoPut request, CancellationToken cancellationToken);

    /// <summary>UpdateItem, optionally conditional.</summary>
    Task<DynamoWriteResult> UpdateItemAsync(DynamoUpdate request, CancellationToken cancellationToken);

    /// <summary>Query: one page of items; the page's marker is the opaque form of <c>LastEvaluatedKey</c>.</summary>
    Task<Page<DynamoItem>> QueryAsync(DynamoQuery query, string? nextMarker, CancellationToken cancellationToken);
}

/// <summary>A DynamoDB item or key: attribute names to values.</summary>
/// <param name="Attributes">The attributes (ordinal names).</param>
public sealed record DynamoItem(ImmutableDictionary<string, DynamoValue> Attributes)
{
    /// <summary>An item of these attributes.</summary>
    public static DynamoItem Of(params (string Name, DynamoValue Value)[] attributes) =>
        new(attributes.ToImmutableDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal));

    /// <summary>The attribute, or null.</summary>
    public DynamoValue? this[string name] => Attributes.GetValueOrDefault(name);

    /// <summary>The string attribute, or null when absent or of another type.</summary>
    public string? Text(string name) => this[name] is DynamoValue.S s ? s.Value : null;

    /// <summary>The number attribute as a long, or null when absent, of another type or not an integer in range.</summary>
    public long? Number(string name) =>
        this[name] is DynamoValue.N n && long.TryParse(n.Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>A DynamoDB attribute value (the types the store writes: S, N, BOOL, NULL, L, M).</summary>
public abstract record DynamoValue
{
    private DynamoValue()
    {
    }

    /// <summary>A string (<c>S</c>).</summary>
    public sealed record S(string Value) : DynamoValue;

    /// <summary>A number (<c>N</c>), in DynamoDB's decimal text form.</summary>
    public sealed record N(string Value) : DynamoValue
    {
        /// <summary>The number of an integer.</summary>
        public static N Of(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A boolean (<c>BOOL</c>).</summary>
    public sealed record Bool(bool Value) : DynamoValue;

    /// <summary>Null (<c>NULL</c>).</summary>
    public sealed record Null : DynamoValue;

    /// <summary>A list (<c>L</c>).</summary>
    public sealed record L(ImmutableArray<DynamoValue> Items) : DynamoValue;

    /// <summary>A map (<c>M</c>).</summary>
    public sealed record M(DynamoItem Map) : DynamoValue;
}

/// <summary>What a write answers with <see cref="DynamoUpdate.ReturnValues"/>.</summary>
public enum DynamoReturnValues
{
    /// <summary><c>NONE</c>.</summary>
    None,
    /// <summary><c>ALL_OLD</c>: the item as it was before the write (null when there was none).</summary>
    AllOld,
    /// <summary><c>ALL_NEW</c>: the item as the write left it (UpdateItem only).</summary>
    AllNew,
}

/// <summary>The names (<c>#name</c>) and values (<c>:value</c>) an expression refers to.</summary>
/// <param name="Names">ExpressionAttributeNames.</param>
/// <param name="Values">ExpressionAttributeValues.</param>
public sealed record DynamoExpressionTerms(ImmutableDictionary<string, string> Names, ImmutableDictionary<string, DynamoValue> Values)
{
    /// <summary>No names, no values.</summary>
    public static DynamoExpressionTerms None { get; } = new(ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, DynamoValue>.Empty);
}

/// <summary>A PutItem request.</summary>
public sealed record DynamoPut(string TableName, DynamoItem Item, string? ConditionExpression, DynamoExpressionTerms Terms, DynamoReturnValues ReturnValues = DynamoReturnValues.None);

/// <summary>An UpdateItem request.</summary>
public sealed record DynamoUpdate(string TableName, DynamoItem Key, string UpdateExpression, string? ConditionExpression, DynamoExpressionTerms Terms, DynamoReturnValues ReturnValues = DynamoReturnValues.None);

/// <summary>A Query request.</summary>
/// <param name="TableName">The table.</param>
/// <param name="IndexName">A secondary index, or null for the table.</param>
/// <param name="KeyConditionExpression">e.g. <c>#pk = :pk AND begins_with(#sk, :prefix)</c>.</param>
/// <param name="Terms">Names and values of the expressions.</param>
/// <param name="ScanIndexForward">Ascending sort key order (false: descending).</param>
/// <param name="Limit">Items evaluated per page, or null for DynamoDB's 1 MB pages.</param>
/// <param name="ConsistentRead">Strongly consistent (tables only; an index answers eventually consistent).</param>
public sealed record DynamoQuery(string TableName, string? IndexName, string KeyConditionExpression, DynamoExpressionTerms Terms, bool ScanIndexForward = true, int? Limit = null, bool ConsistentRead = false);

/// <summary>A write's answer.</summary>
/// <param name="Applied">False when the condition did not hold (nothing was written).</param>
/// <param name="Attributes">The item asked for by <see cref="DynamoReturnValues"/> (null when none was asked, there was none, or the write was not applied).</param>
public sealed record DynamoWriteResult(bool Applied, DynamoItem? Attributes);
