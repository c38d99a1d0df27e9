using System.Collections.Immutable;

namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>The value of one request context key: a single value, or a set of values for a multivalued key.</summary>
/// <param name="Values">The values; one element for a single-valued key.</param>
/// <param name="IsMultiValued">True when the key was supplied as a list (a multivalued key such as <c>aws:TagKeys</c>).</param>
public sealed record ContextValue(ImmutableArray<string> Values, bool IsMultiValued);

/// <summary>The request context keys a decision is evaluated against (condition keys and policy variables). Keys compare case-insensitively.</summary>
public sealed class RequestContext
{
    private readonly Dictionary<string, ContextValue> _keys;

    /// <summary>A context with no keys.</summary>
    public static RequestContext Empty { get; } = new(new Dictionary<string, ContextValue>(StringComparer.OrdinalIgnoreCase));

    private RequestContext(Dictionary<string, ContextValue> keys) => _keys = keys;

    /// <summary>Builds a context from single values and value lists.</summary>
    public static RequestContext Create(IEnumerable<KeyValuePair<string, ContextValue>> keys)
    {
        var map = new Dictionary<string, ContextValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in keys)
        {
            map[key] = value;
        }
        return map.Count == 0 ? Empty : new RequestContext(map);
    }

    /// <summary>Builds a context of single-valued keys.</summary>
    public static RequestContext FromSingleValues(IEnumerable<KeyValuePair<string, string>> keys) =>
        Create(keys.Select(k => KeyValuePair.Create(k.Key, new ContextValue([k.Value], IsMultiValued: false))));

    /// <summary>The keys present, with their values.</summary>
    public IReadOnlyDictionary<string, ContextValue> Keys => _keys;

    /// <summary>Looks a key up, ignoring case.</summary>
    public bool TryGetValue(string key, out ContextValue value) => _keys.TryGetValue(key, out value!);
}
