using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.Lambda.Tests.Template;

/// <summary>
/// EventBridge event pattern matching, per the EventBridge User Guide ("Event patterns", "Content filtering"): every
/// field of the pattern must match; a leaf is an array of alternatives, each an exact value (string, number, boolean,
/// null) or a filter object (<c>prefix</c>, <c>suffix</c>, <c>anything-but</c>, <c>exists</c>, <c>equals-ignore-case</c>,
/// <c>wildcard</c>); an array field in the event matches when any of its elements matches; <c>$or</c> matches when any
/// of its patterns does. A nested pattern under an array of objects matches when one of the objects matches it: "the
/// array structure is 'crushed out' of the rule pattern", and fields from different elements never combine (Event
/// Ruler README, "JSON Array Matching", https://github.com/aws/event-ruler; Event Ruler is "a key technology that powers
/// EventBridge", AWS Open Source Blog, "Open Sourcing Event Ruler", https://aws.amazon.com/blogs/opensource/open-sourcing-event-ruler/).
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
                JsonObject nested => present && Objects(actual).Any(candidate => MatchesObject(nested, candidate)),
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

    // An object, or the objects of an array, at any depth of nesting.
    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonObject single => [single],
        JsonArray array => array.SelectMany(Objects),
        _ => [],
    };

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
            "wildcard" => text is not null && MatchesWildcard(argument!.GetValue<string>(), text),
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

    // "*" matches any run of characters, "\*" an asterisk, "\\" a backslash; "consecutive wildcard characters are not
    // allowed" and neither is any other escape (Event Ruler README, "Wildcard matching"): such a pattern throws, as
    // EventBridge would refuse the rule.
    private static bool MatchesWildcard(string pattern, string text)
    {
        var parts = new List<string>();
        var part = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\' when i + 1 < pattern.Length && pattern[i + 1] is '*' or '\\':
                    part.Append(pattern[++i]);
                    break;
                case '\\':
                    throw new InvalidOperationException($"Wildcard {pattern}: a backslash escapes only * or \\.");
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    throw new InvalidOperationException($"Wildcard {pattern}: consecutive wildcard characters.");
                case '*':
                    parts.Add(part.ToString());
                    part.Clear();
                    break;
                default:
                    part.Append(pattern[i]);
                    break;
            }
        }
        parts.Add(part.ToString());
        if (parts.Count == 1)
        {
            return text == parts[0];
        }
        // First part anchored at the start, last at the end, the others leftmost in between: exact for "*" alone.
        if (!text.StartsWith(parts[0], StringComparison.Ordinal) || !text.EndsWith(parts[^1], StringComparison.Ordinal)
            || parts[0].Length + parts[^1].Length > text.Length)
        {
            return false;
        }
        var at = parts[0].Length;
        var end = text.Length - parts[^1].Length;
        foreach (var middle in parts.Skip(1).Take(parts.Count - 2))
        {
            var found = text.IndexOf(middle, at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            at = found + middle.Length;
        }
        return true;
    }
}
