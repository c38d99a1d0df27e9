using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Suppressions;

/// <summary>
/// Reads configured suppressions, the same JSON for the CLI's <c>--suppressions FILE</c> and the Lambda's
/// <c>SUPPRESSIONS</c> variable:
/// <code>
/// [{"rule": "ERA012", "role": "arn:aws:iam::*:role/legacy-*", "family": "legacy-*", "reason": "migrating in Q1"}]
/// </code>
/// (or the same array under <c>{"suppressions": [...]}</c>). <c>rule</c> and <c>reason</c> are required; <c>role</c> and
/// <c>family</c> narrow it (<c>*</c> and <c>?</c> wildcards; absent means any). The rule must exist and no other key is
/// accepted: a misspelt <c>"famly"</c> would otherwise silently widen a suppression to every family.
/// </summary>
public static class SuppressionConfig
{
    private static readonly string[] Keys = ["rule", "role", "family", "reason"];

    /// <summary>Parses the JSON text; throws <see cref="InputException"/> naming <paramref name="source"/> and the path of what is wrong.</summary>
    public static ImmutableArray<Suppression> Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
            return Read(document.RootElement, new JsonFields(source));
        }
        catch (JsonException e)
        {
            throw new InputException($"{source}: not valid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}");
        }
    }

    private static ImmutableArray<Suppression> Read(JsonElement root, JsonFields fields)
    {
        var (items, path) = root.ValueKind switch
        {
            JsonValueKind.Array => (root, "$"),
            JsonValueKind.Object when root.TryGetProperty("suppressions", out var list) && root.EnumerateObject().Count() == 1
                => list.ValueKind == JsonValueKind.Array ? (list, "$.suppressions") : throw fields.Error("$.suppressions", $"expected an array, found {JsonFields.Kind(list)}"),
            _ => throw fields.Error("$", "expected an array of suppressions, or an object with only \"suppressions\""),
        };
        var result = ImmutableArray.CreateBuilder<Suppression>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            result.Add(ReadOne(item, $"{path}[{index++}]", fields));
        }
        return result.ToImmutable();
    }

    private static Suppression ReadOne(JsonElement item, string path, JsonFields fields)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw fields.Error(path, $"expected an object with \"rule\" and \"reason\", found {JsonFields.Kind(item)}");
        }
        foreach (var property in item.EnumerateObject())
        {
            if (!Keys.Contains(property.Name, StringComparer.Ordinal))
            {
                throw fields.Error($"{path}.{property.Name}", $"unknown key; a suppression has only {string.Join(", ", Keys.Select(k => $"\"{k}\""))}");
            }
        }
        var rule = fields.RequiredString(item, "rule", path);
        if (RuleCatalog.Find(rule) is null)
        {
            throw fields.Error($"{path}.rule", $"no rule {rule}; 'ecs-role-auditor rules' lists them");
        }
        return new Suppression(
            RuleCatalog.Descriptor(rule).Id,
            NonEmpty(fields, item, "role", path),
            NonEmpty(fields, item, "family", path),
            fields.RequiredString(item, "reason", path));
    }

    private static string? NonEmpty(JsonFields fields, JsonElement item, string name, string path) =>
        fields.OptionalString(item, name, path) switch
        {
            null => null,
            { Length: 0 } => throw fields.Error($"{path}.{name}", "is empty; leave the key out to cover any"),
            var text => text,
        };
}
