using System.Collections.Immutable;
using System.Text.Json;

namespace EcsRoleAuditor.Audit.Inputs;

/// <summary>Reads fields of AWS API output (JsonElement) with errors that name the file and JSON path.</summary>
internal readonly struct JsonFields(string source)
{
    public string Source { get; } = source;

    public InputException Error(string path, string message) => new($"{Source}: {path}: {message}");

    public string? OptionalString(JsonElement parent, string name, string path)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return Text(value, $"{path}.{name}");
    }

    /// <summary>The text of a JSON value that must be a string; <paramref name="path"/> is the value's own path.</summary>
    public string Text(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(path, $"expected a string, found {Kind(value)}");
        }
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // JSON accepts "\udc4c" escapes that are not valid text; reading such a string throws.
            throw Error(path, JsonInput.LoneSurrogate);
        }
    }

    /// <summary>The items of an optional array of strings (empty when absent or null).</summary>
    public ImmutableArray<string> Strings(JsonElement parent, string name, string path)
    {
        var fields = this; // a lambda cannot capture a struct's this
        return [.. Items(parent, name, path).Select(item => fields.Text(item.Item, item.Path))];
    }

    /// <summary>The items of an optional array of objects (empty when absent or null); an item of another kind is an error at its path.</summary>
    public IEnumerable<(JsonElement Item, string Path)> Objects(JsonElement parent, string name, string path)
    {
        var fields = this; // a lambda cannot capture a struct's this
        return Items(parent, name, path).Select(item => item.Item.ValueKind == JsonValueKind.Object
            ? item
            : throw fields.Error(item.Path, $"expected an object, found {Kind(item.Item)}"));
    }

    public string RequiredString(JsonElement parent, string name, string path) =>
        OptionalString(parent, name, path) is { Length: > 0 } text ? text : throw Error($"{path}.{name}", "is missing or empty");

    public int? OptionalInt(JsonElement parent, string name, string path)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Error($"{path}.{name}", $"expected a whole number, found {Kind(value)}");
    }

    /// <summary>The items of an optional array (empty when absent or null), of any kind.</summary>
    private IEnumerable<(JsonElement Item, string Path)> Items(JsonElement parent, string name, string path)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error($"{path}.{name}", $"expected an array, found {Kind(value)}");
        }
        return value.EnumerateArray().Select((item, i) => (item, $"{path}.{name}[{i}]"));
    }

    public JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object ? value : throw Error($"{path}.{name}", $"expected an object, found {Kind(value)}");
    }

    /// <summary>AWS tag lists: <c>[{"key":"k","value":"v"}]</c> (ECS) or <c>[{"Key":"k","Value":"v"}]</c> (IAM).</summary>
    public ImmutableDictionary<string, string> Tags(JsonElement parent, string name, string path, string keyName, string valueName)
    {
        var tags = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (item, itemPath) in Objects(parent, name, path))
        {
            tags[RequiredString(item, keyName, itemPath)] = OptionalString(item, valueName, itemPath) ?? "";
        }
        return tags.ToImmutable();
    }

    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
