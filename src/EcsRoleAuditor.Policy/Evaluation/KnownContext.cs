using System.Collections.Immutable;

namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>A three-valued answer: a condition the audit can decide is true or false; one it cannot is unknown.</summary>
public enum Truth
{
    /// <summary>Certainly false.</summary>
    False,
    /// <summary>Certainly true.</summary>
    True,
    /// <summary>Depends on what the audit does not know of the request.</summary>
    Unknown,
}

/// <summary>Kleene's three-valued connectives.</summary>
public static class TruthLogic
{
    /// <summary>AND: false wins, then unknown.</summary>
    public static Truth And(this Truth a, Truth b) =>
        a == Truth.False || b == Truth.False ? Truth.False : a == Truth.Unknown || b == Truth.Unknown ? Truth.Unknown : Truth.True;

    /// <summary>OR: true wins, then unknown.</summary>
    public static Truth Or(this Truth a, Truth b) =>
        a == Truth.True || b == Truth.True ? Truth.True : a == Truth.Unknown || b == Truth.Unknown ? Truth.Unknown : Truth.False;

    /// <summary>NOT: unknown stays unknown.</summary>
    public static Truth Not(this Truth a) => a switch { Truth.True => Truth.False, Truth.False => Truth.True, _ => Truth.Unknown };

    /// <summary>True or false from a boolean.</summary>
    public static Truth Of(bool value) => value ? Truth.True : Truth.False;
}

/// <summary>
/// What the audit knows of the requests a role's credentials will make, without knowing the requests themselves: keys
/// with known values (the principal, the region of a regional resource), keys known to be absent (no VPC endpoint on a
/// call Fargate makes from its own network), and keys known only by the shape of their value (ECS's source ARN is some
/// ARN of the task's partition, region and account). Every other key is unknown, so conditions on it stay undecided
/// rather than being read as absent.
/// </summary>
public sealed class KnownContext
{
    private KnownContext(RequestContext values, ImmutableHashSet<string> absent, ImmutableDictionary<string, string> shapes, ImmutableArray<string> completePrefixes)
    {
        Values = values;
        Absent = absent;
        Shapes = shapes;
        CompletePrefixes = completePrefixes;
    }

    /// <summary>Nothing is known.</summary>
    public static KnownContext None { get; } = new(RequestContext.Empty, ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase),
        ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase), []);

    /// <summary>Key prefixes whose keys are all known: one of them not in <see cref="Values"/> is absent (<c>aws:PrincipalTag/</c> when the role's tags are known).</summary>
    public ImmutableArray<string> CompletePrefixes { get; }

    /// <summary>True when the key is known to be absent from the request.</summary>
    public bool IsAbsent(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Absent.Contains(key)
            || (!Values.TryGetValue(key, out _) && !Shapes.ContainsKey(key) && CompletePrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Keys whose values are known.</summary>
    public RequestContext Values { get; }

    /// <summary>Keys known to be absent from the request.</summary>
    public ImmutableHashSet<string> Absent { get; }

    /// <summary>Keys whose value is known to match a pattern (<c>*</c> and <c>?</c> wildcards; a value itself never holds them).</summary>
    public ImmutableDictionary<string, string> Shapes { get; }

    /// <summary>True when something is known about the key.</summary>
    public bool Knows(string key) => Values.TryGetValue(key, out _) || IsAbsent(key) || Shapes.ContainsKey(key);

    /// <summary>This context with a single-valued key known.</summary>
    public KnownContext With(string key, string value) => With(key, new ContextValue([value], IsMultiValued: false));

    /// <summary>This context with a key known (single- or multivalued).</summary>
    public KnownContext With(string key, ContextValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var values = Values.Keys.ToDictionary(k => k.Key, k => k.Value, StringComparer.OrdinalIgnoreCase);
        values[key] = value;
        return new KnownContext(RequestContext.Create(values), Absent.Remove(key), Shapes.Remove(key), CompletePrefixes);
    }

    /// <summary>This context with a key known to be absent.</summary>
    public KnownContext WithAbsent(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KnownContext(Without(key), Absent.Add(key), Shapes.Remove(key), CompletePrefixes);
    }

    /// <summary>This context with a key whose value is known to match <paramref name="pattern"/>.</summary>
    public KnownContext WithShape(string key, string pattern)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(pattern);
        return new KnownContext(Without(key), Absent.Remove(key), Shapes.SetItem(key, pattern), CompletePrefixes);
    }

    /// <summary>This context with every key under <paramref name="prefix"/> known: those without a value are absent.</summary>
    public KnownContext WithCompletePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new KnownContext(Values, Absent, Shapes, CompletePrefixes.Add(prefix));
    }

    /// <summary>This context with every key of <paramref name="other"/> as <paramref name="other"/> knows it.</summary>
    public KnownContext Merge(KnownContext other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var merged = this;
        foreach (var (key, value) in other.Values.Keys)
        {
            merged = merged.With(key, value);
        }
        foreach (var key in other.Absent)
        {
            merged = merged.WithAbsent(key);
        }
        foreach (var (key, pattern) in other.Shapes)
        {
            merged = merged.WithShape(key, pattern);
        }
        foreach (var prefix in other.CompletePrefixes)
        {
            merged = merged.WithCompletePrefix(prefix);
        }
        return merged;
    }

    private RequestContext Without(string key) =>
        Values.TryGetValue(key, out _) ? RequestContext.Create(Values.Keys.Where(k => !k.Key.Equals(key, StringComparison.OrdinalIgnoreCase))) : Values;
}
