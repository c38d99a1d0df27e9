using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Parsing;

// The Condition block: { operator: { key: value | [values] } }, one ConditionClause per key.
internal sealed partial class PolicyDocumentReader
{
    /// <summary>Beyond this many keys a scratch set is dropped rather than cleared, so clearing never costs more than a small constant.</summary>
    private const int ReusableSetSize = 64;

    private HashSet<string> _operators = new(StringComparer.Ordinal);
    private HashSet<string> _keys = new(StringComparer.Ordinal);

    private ImmutableArray<ConditionClause> ReadConditions(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, $"Condition must be an object mapping condition operators to {{key: values}} objects, found {JsonText.KindOf(value)}");
        }
        var clauses = ImmutableArray.CreateBuilder<ConditionClause>();
        Reset(ref _operators);
        foreach (var block in value.EnumerateObject())
        {
            var operatorText = block.Name;
            var operatorPath = JsonPaths.Property(path, operatorText);
            if (!_operators.Add(operatorText))
            {
                throw Fail(operatorPath, $"duplicate condition operator {JsonText.Quote(operatorText)} (JSON objects in a policy may not repeat a key)");
            }
            if (ConditionOperatorNames.Read(operatorText, out var @operator, out var qualifier, out var ifExists) is { } problem)
            {
                throw Fail(operatorPath, problem);
            }
            if (block.Value.ValueKind != JsonValueKind.Object)
            {
                throw Fail(operatorPath, $"the {operatorText} block must be an object mapping condition keys to values, found {JsonText.KindOf(block.Value)}");
            }
            Reset(ref _keys);
            foreach (var entry in block.Value.EnumerateObject())
            {
                var key = entry.Name;
                var keyPath = JsonPaths.Property(operatorPath, key);
                if (!_keys.Add(key))
                {
                    throw Fail(keyPath, $"duplicate condition key {JsonText.Quote(key)} (JSON objects in a policy may not repeat a key)");
                }
                if (key.Length == 0)
                {
                    throw Fail(keyPath, "a condition key must not be empty");
                }
                var values = ReadConditionValues(entry.Value, keyPath);
                clauses.Add(new ConditionClause(operatorText, @operator, qualifier, ifExists, key, values) { Path = keyPath });
            }
        }
        return clauses.DrainToImmutable();
    }

    private ImmutableArray<string> ReadConditionValues(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return ScalarText(value) is { } single
                ? [single]
                : throw Fail(path, $"a condition value must be a string, number, boolean or an array of those, found {JsonText.KindOf(value)}");
        }
        var count = value.GetArrayLength();
        if (count == 0)
        {
            throw Fail(path, "a condition key needs at least one value, found an empty array");
        }
        var values = ImmutableArray.CreateBuilder<string>(count);
        foreach (var item in value.EnumerateArray())
        {
            values.Add(ScalarText(item)
                ?? throw Fail(JsonPaths.Index(path, values.Count), $"each condition value must be a string, number or boolean, found {JsonText.KindOf(item)}"));
        }
        return values.MoveToImmutable();
    }

    /// <summary>The text of a string, number or boolean; numbers and booleans keep their literal JSON text (e.g. <c>10</c>, <c>1.50</c>, <c>true</c>).</summary>
    private static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static void Reset(ref HashSet<string> set)
    {
        if (set.Count > ReusableSetSize)
        {
            set = new HashSet<string>(StringComparer.Ordinal);
        }
        else
        {
            set.Clear();
        }
    }
}
