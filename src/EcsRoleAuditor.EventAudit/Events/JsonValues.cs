using System.Text.Json;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>Lenient reads of event JSON: a missing or mistyped value is null, never an exception.</summary>
internal static class JsonValues
{
    /// <summary>The non-empty string at the path of property names, or null.</summary>
    public static string? Text(JsonElement element, params string[] path)
    {
        if (Walk(element, path) is not { ValueKind: JsonValueKind.String } value)
        {
            return null;
        }
        try
        {
            return value.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but no text: mistyped, like a number here.
            return null;
        }
    }

    /// <summary>The object at the path of property names, or null.</summary>
    public static JsonElement? Object(JsonElement element, params string[] path) =>
        Walk(element, path) is { ValueKind: JsonValueKind.Object } value ? value : null;

    /// <summary>True when the value at the path is JSON <c>true</c>.</summary>
    public static bool IsTrue(JsonElement element, params string[] path) =>
        Walk(element, path) is { ValueKind: JsonValueKind.True };

    private static JsonElement? Walk(JsonElement element, string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current;
    }
}
