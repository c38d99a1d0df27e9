using System.Collections.Immutable;
using System.Globalization;
using System.Text;
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

    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses the JSON text of a file; throws <see cref="InputException"/> naming <paramref name="source"/> and the path of what is wrong.</summary>
    public static ImmutableArray<Suppression> Parse(string json, string source) => Parse(json, source, quote: true);

    /// <summary>
    /// Parses the value of an environment variable (the Lambda's <c>SUPPRESSIONS</c>), which may hold whatever was pasted
    /// into it: errors say where (entry, key position, line and column) but never repeat any of the value.
    /// </summary>
    public static ImmutableArray<Suppression> ParseVariable(string value, string name) => Parse(value, name, quote: false);

    private static ImmutableArray<Suppression> Parse(string json, string source, bool quote)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonInput.Parse(Encoding.UTF8.GetBytes(json), source, Options, quote: quote);
        return Read(document.RootElement, new JsonFields(source), quote);
    }

    private static ImmutableArray<Suppression> Read(JsonElement root, JsonFields fields, bool quote)
    {
        var (items, path) = root.ValueKind switch
        {
            JsonValueKind.Array => (root, "$"),
            JsonValueKind.Object when root.TryGetProperty("suppressions", out var list) && root.EnumerateObject().Count() == 1
                => list.ValueKind == JsonValueKind.Array ? (list, "$.suppressions") : throw fields.Error("$.suppressions", $"expected an array, found {JsonFields.Kind(list)}"),
            _ => throw fields.Error("$", "expected an array of suppressions, or an object with only \"suppressions\""),
        };
        var result = ImmutableArray.CreateBuilder<Suppression>();
        // Rules (resolved from their IDs ignoring case), role ARNs and families are compared ignoring case here: two entries that differ only by case are one
        // entry written twice (or a typo), and which of them applies would depend on their order.
        var seen = new Dictionary<(RuleDescriptor, string?, string?), string>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            var suppression = ReadOne(item, itemPath, fields, quote);
            var scope = (suppression.Rule, suppression.RolePattern?.ToUpperInvariant(), suppression.FamilyPattern?.ToUpperInvariant());
            if (!seen.TryAdd(scope, itemPath))
            {
                throw fields.Error(itemPath, $"the same rule, role and family as {seen[scope]} (ignoring case); keep one of them");
            }
            result.Add(suppression);
        }
        return result.ToImmutable();
    }

    private static Suppression ReadOne(JsonElement item, string path, JsonFields fields, bool quote)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw fields.Error(path, $"expected an object with \"rule\" and \"reason\", found {JsonFields.Kind(item)}");
        }
        var position = 0;
        foreach (var property in item.EnumerateObject())
        {
            position++;
            if (!Keys.Contains(property.Name, StringComparer.Ordinal))
            {
                var allowed = string.Join(", ", Keys.Select(k => $"\"{k}\""));
                throw quote
                    ? fields.Error($"{path}.{JsonInput.Shown(property.Name)}", $"unknown key; a suppression has only {allowed}")
                    : fields.Error(path, $"key {position} is unknown; a suppression has only {allowed}");
            }
        }
        var rule = fields.RequiredString(item, "rule", path);
        if (RuleCatalog.Find(rule) is not { } known)
        {
            throw fields.Error($"{path}.rule", quote ? $"no rule {JsonInput.Shown(rule)}; 'ecs-role-auditor rules' lists them" : "no such rule; 'ecs-role-auditor rules' lists them");
        }
        var reason = fields.RequiredString(item, "reason", path);
        if (!HasVisibleText(reason))
        {
            throw fields.Error($"{path}.reason", "is blank; say why the finding is accepted");
        }
        return new Suppression(known.Descriptor, Narrowing(fields, item, "role", path), Narrowing(fields, item, "family", path), reason);
    }

    // Absent means any; null and "" look like "no narrowing" but say nothing on purpose, so they are refused, not widened.
    private static string? Narrowing(JsonFields fields, JsonElement item, string name, string path)
    {
        if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null)
        {
            throw fields.Error($"{path}.{name}", "is null; leave the key out to cover any");
        }
        return fields.OptionalString(item, name, path) switch
        {
            null => null,
            { Length: 0 } => throw fields.Error($"{path}.{name}", "is empty; leave the key out to cover any"),
            var text => text,
        };
    }

    // A reason of zero-width spaces, byte order marks, control or bidi characters looks given but says nothing.
    private static bool HasVisibleText(string text) =>
        text.EnumerateRunes().Any(r => !Rune.IsWhiteSpace(r) && !Rune.IsControl(r) && Rune.GetUnicodeCategory(r) != UnicodeCategory.Format);
}
