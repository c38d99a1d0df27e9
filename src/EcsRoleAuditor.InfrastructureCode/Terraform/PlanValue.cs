using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;

namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>
/// A value of a planned resource with what Terraform knows of it: the value from <c>change.after</c> (or
/// <c>planned_values</c>) and the matching part of <c>change.after_unknown</c>, which mirrors the value's shape with
/// <c>true</c> where the value is known only after apply (Terraform writes such a value as null or leaves it out).
/// </summary>
internal readonly record struct PlanValue(JsonElement? Value, JsonElement? Unknown, string Path, JsonFields Fields)
{
    /// <summary>True when Terraform knows this value only after apply.</summary>
    public bool IsUnknown => Unknown is { ValueKind: JsonValueKind.True };

    /// <summary>True when the value is known to be absent (null or not written).</summary>
    public bool IsNull => !IsUnknown && Value is not { ValueKind: not JsonValueKind.Null };

    /// <summary>True when some part of the value is known only after apply.</summary>
    public bool HasUnknown => Unknown is { } unknown && ContainsTrue(unknown);

    /// <summary>The attribute <paramref name="name"/> of this object value.</summary>
    public PlanValue this[string name] => new(
        Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var child) ? child : null,
        Unknown is { ValueKind: JsonValueKind.Object } unknown && unknown.TryGetProperty(name, out var childUnknown) ? childUnknown
            : IsUnknown ? Unknown : null, // a part of a value known only after apply is known only after apply
        $"{Path}.{name}",
        Fields);

    /// <summary>The text of a known string value, or null when it is absent; the caller checks <see cref="IsUnknown"/> first.</summary>
    public string? Text() => IsNull || IsUnknown ? null : Fields.Text(Value!.Value, Path);

    /// <summary>The elements of a known list, set or list of blocks (none when absent); each carries its own unknown part.</summary>
    public IEnumerable<(PlanValue Item, int Index)> Items()
    {
        if (IsNull || IsUnknown)
        {
            return [];
        }
        var value = Value!.Value;
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Fields.Error(Path, $"expected a list, found {JsonFields.Kind(value)}");
        }
        var unknown = Unknown is { ValueKind: JsonValueKind.Array } array ? array : (JsonElement?)null;
        var (path, fields) = (Path, Fields);
        return value.EnumerateArray().Select((item, i) => (new PlanValue(
            item, unknown is { } u && i < u.GetArrayLength() ? u[i] : null, $"{path}[{i}]", fields), i));
    }

    /// <summary>The entries of a known map of strings (<c>tags</c>); none when absent.</summary>
    public ImmutableDictionary<string, string> StringMap()
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (IsNull || IsUnknown)
        {
            return map.ToImmutable();
        }
        var value = Value!.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fields.Error(Path, $"expected a map, found {JsonFields.Kind(value)}");
        }
        foreach (var entry in value.EnumerateObject())
        {
            var item = this[entry.Name];
            if (item.Text() is { } text)
            {
                map[entry.Name] = text;
            }
        }
        return map.ToImmutable();
    }

    private static bool ContainsTrue(JsonElement unknown) => unknown.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Object => unknown.EnumerateObject().Any(p => ContainsTrue(p.Value)),
        JsonValueKind.Array => unknown.EnumerateArray().Any(ContainsTrue),
        _ => false,
    };
}
