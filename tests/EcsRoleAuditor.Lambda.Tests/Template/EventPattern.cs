using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.Lambda.Tests.Template;

/// <summary>
/// EventBridge event pattern matching, per the EventBridge User Guide ("Event patterns", "Content filtering"): every
/// field of the pattern must match; a leaf is an array of alternatives, each an exact value (string, number, boolean,
/// null) or a filter object (<c>prefix</c>, <c>suffix</c>, <c>anything-but</c>, <c>exists</c>, <c>equals-ignore-case</c>);
/// an array field in the event matches when any of its elements matches; <c>$or</c> matches when any of its patterns does.
/// </summary>
internal static class EventPattern
{
    public static bool Matches(JsonObject pattern, JsonNode? eventNode) => MatchesObject(pattern, eventNode as JsonObject);

    private static bool MatchesObject(JsonObject pattern, JsonObject? subject)
    {
        foreach (var (name, expected) in pattern)
        {
            if (name == "$or")
            {
                if (!expected!.AsArray().Any(alternative => MatchesObject(alternative!.AsObject(), subject)))
                {
                    return false;
                }
                continue;
            }
            JsonNode? actual = null;
            var present = subject is not null && subject.TryGetPropertyValue(name, out actual);
            var matched = expected switch
            {
                JsonObject nested => present && actual is JsonObject && MatchesObject(nested, actual.AsObject()),
                JsonArray alternatives => MatchesLeaf(alternatives, present, actual),
                _ => throw new InvalidOperationException($"Pattern field {name}: a leaf must be an array of values or filters."),
            };
            if (!matched)
            {
                return false;
            }
        }
        return true;
    }

    private static bool MatchesLeaf(JsonArray alternatives, bool present, JsonNode? actual)
    {
        // "exists": false is the one filter that matches a missing field; filters apply to leaves only, never to objects.
        if (!present)
        {
            return alternatives.Any(a => a is JsonObject filter && filter.TryGetPropertyValue("exists", out var exists) && !exists!.GetValue<bool>());
        }
        if (actual is JsonObject)
        {
            return false;
        }
        var values = actual is JsonArray array ? array.ToList() : [actual];
        return values.Any(value => alternatives.Any(alternative => MatchesValue(alternative, value)));
    }

    private static bool MatchesValue(JsonNode? alternative, JsonNode? value)
    {
        if (alternative is not JsonObject filter)
        {
            return JsonNode.DeepEquals(alternative, value);
        }
        var (kind, argument) = filter.Single();
        var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        return kind switch
        {
            "exists" => argument!.GetValue<bool>(),
            "prefix" => text is not null && text.StartsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
            "suffix" => text is not null && text.EndsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
            "equals-ignore-case" => text is not null && string.Equals(text, argument!.GetValue<string>(), StringComparison.OrdinalIgnoreCase),
            "anything-but" => argument switch
            {
                JsonArray excluded => !excluded.Any(e => MatchesValue(e, value)),
                JsonObject inner => !MatchesValue(inner, value),
                _ => !JsonNode.DeepEquals(argument, value),
            },
            _ => throw new NotSupportedException($"The pattern operator {kind} is not implemented here; implement it before using it in template.yaml."),
        };
    }
}
