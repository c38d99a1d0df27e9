using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>One request to decide, read from a cases file.</summary>
internal sealed record EvaluationCase(
    string Id,
    IReadOnlyList<PolicyDocument> IdentityPolicies,
    IReadOnlyList<PolicyDocument>? PermissionBoundaries,
    string Action,
    string Resource,
    RequestContext Context);

/// <summary>A case that could not be read, with the reason; the run reports it and goes on.</summary>
internal sealed record BrokenCase(string Id, string Error);

/// <summary>
/// Reads the cases file of <c>evaluate --cases</c>:
/// <c>{"cases":[{"id","identityPolicies":[doc,...],"permissionBoundaries":[doc,...]|null,"action","resource","context":{"key":"v"|["v",...]}}]}</c>.
/// A document may be a JSON object or a string holding JSON or URL-encoded JSON.
/// </summary>
internal static class EvaluationCases
{
    /// <summary>Reads every case; a malformed case becomes a <see cref="BrokenCase"/>. Throws <see cref="UsageException"/> when the file as a whole is unusable.</summary>
    public static IEnumerable<object> Read(JsonDocument file, string source)
    {
        if (file.RootElement.ValueKind != JsonValueKind.Object
            || !file.RootElement.TryGetProperty("cases", out var cases)
            || cases.ValueKind != JsonValueKind.Array)
        {
            throw new UsageException($"{source}: expected a JSON object with a \"cases\" array");
        }
        var index = 0;
        foreach (var element in cases.EnumerateArray())
        {
            yield return ReadCase(element, index++);
        }
    }

    private static readonly string[] Keys = ["id", "identityPolicies", "permissionBoundaries", "action", "resource", "context"];

    private static object ReadCase(JsonElement element, int index)
    {
        var id = $"#{index}";
        try
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new CaseException($"$.cases[{index}] must be an object");
            }
            if (element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
            {
                id = Text(idElement, $"$.cases[{index}].id");
            }
            CheckKeys(element, index);
            var identity = ReadDocuments(element, "identityPolicies", required: true, index)!;
            var boundaries = ReadDocuments(element, "permissionBoundaries", required: false, index);
            var action = RequiredString(element, "action", index);
            var resource = RequiredString(element, "resource", index);
            var context = ReadContext(element, index);
            return new EvaluationCase(id, identity, boundaries, action, resource, context);
        }
        catch (CaseException e)
        {
            return new BrokenCase(id, e.Message);
        }
        catch (PolicyParseException e)
        {
            return new BrokenCase(id, e.Error.ToString());
        }
    }

    // A misspelt key ("permissionBoundary") would otherwise be ignored, and the case decided without what it meant to say.
    private static void CheckKeys(JsonElement element, int index)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!Keys.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new CaseException($"$.cases[{index}].{property.Name}: unknown key; a case has only {string.Join(", ", Keys)}");
            }
        }
    }

    private static string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new CaseException($"{path}: {JsonInput.LoneSurrogate}");
        }
    }

    private static List<PolicyDocument>? ReadDocuments(JsonElement element, string property, bool required, int index)
    {
        if (!element.TryGetProperty(property, out var documents) || documents.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new CaseException($"$.cases[{index}].{property} is missing") : null;
        }
        if (documents.ValueKind != JsonValueKind.Array)
        {
            throw new CaseException($"$.cases[{index}].{property} must be an array of policy documents");
        }
        var result = new List<PolicyDocument>();
        var position = 0;
        foreach (var document in documents.EnumerateArray())
        {
            result.Add(PolicyParser.Parse(document, $"{property}[{position++}]", PolicyKind.Identity));
        }
        return result;
    }

    private static string RequiredString(JsonElement element, string property, int index) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && Text(value, $"$.cases[{index}].{property}") is { Length: > 0 } text
            ? text
            : throw new CaseException($"$.cases[{index}].{property} must be a non-empty string");

    private static RequestContext ReadContext(JsonElement element, int index)
    {
        if (!element.TryGetProperty("context", out var context) || context.ValueKind == JsonValueKind.Null)
        {
            return RequestContext.Empty;
        }
        if (context.ValueKind != JsonValueKind.Object)
        {
            throw new CaseException($"$.cases[{index}].context must be an object of condition keys");
        }
        var keys = new List<KeyValuePair<string, ContextValue>>();
        // IAM compares condition key names ignoring case: "aws:SecureTransport" and "AWS:securetransport" are one key.
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in context.EnumerateObject())
        {
            var path = $"$.cases[{index}].context['{key.Name}']";
            if (!names.TryAdd(key.Name, key.Name))
            {
                throw new CaseException($"{path} is the key '{names[key.Name]}' again (condition key names ignore case); give each key once");
            }
            var value = key.Value.ValueKind == JsonValueKind.Array
                ? new ContextValue([.. key.Value.EnumerateArray().Select(v => Scalar(v, path))], IsMultiValued: true)
                : new ContextValue([Scalar(key.Value, path)], IsMultiValued: false);
            keys.Add(KeyValuePair.Create(key.Name, value));
        }
        return RequestContext.Create(keys);
    }

    private static string Scalar(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => Text(value, path),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new CaseException($"{path} must be a string, number, boolean or an array of them"),
    };

    private sealed class CaseException(string message) : Exception(message);
}
