using System.Collections.Immutable;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.State.Dynamo;

/// <summary>Expression names and values, each attribute given one <c>#name</c> and each value one <c>:value</c>.</summary>
internal sealed class TermsBuilder
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DynamoValue> _values = new(StringComparer.Ordinal);

    public TermsBuilder Name(string placeholder, string attribute)
    {
        _names[placeholder] = attribute;
        return this;
    }

    public TermsBuilder Value(string placeholder, DynamoValue value)
    {
        _values[placeholder] = value;
        return this;
    }

    public string NameOf(string attribute)
    {
        var placeholder = "#" + attribute;
        _names[placeholder] = attribute;
        return placeholder;
    }

    public string ValueOf(string key, DynamoValue value)
    {
        var placeholder = ":" + key;
        _values[placeholder] = value;
        return placeholder;
    }

    public DynamoExpressionTerms Build() => new(_names.ToImmutableDictionary(StringComparer.Ordinal), _values.ToImmutableDictionary(StringComparer.Ordinal));

    /// <summary>Every item a query answers, all pages.</summary>
    public static async Task<List<T>> QueryAllAsync<T>(IDynamoDbApi dynamo, DynamoQuery query, Func<DynamoItem, T> read, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        await foreach (var page in Pages.ReadAllAsync(AwsActions.Query, (marker, ct) => dynamo.QueryAsync(query, marker, ct), cancellationToken).ConfigureAwait(false))
        {
            items.AddRange(page.Items.Select(read));
        }
        return items;
    }
}
