using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Policy.Tests.Parsing;

/// <summary>Writes a model back to policy JSON (for the round-trip property), varying the optional shapes deterministically.</summary>
internal static class PolicyJsonWriter
{
    public static string Write(PolicyDocument document)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = document.Statements.Length % 2 == 0 }))
        {
            json.WriteStartObject();
            if (document.Version is { } version)
            {
                json.WriteString("Version", version);
            }
            if (document.Id is { } id)
            {
                json.WriteString("Id", id);
            }
            json.WritePropertyName("Statement");
            // A single statement is written as a bare object half of the time, as AWS allows.
            var bare = document.Statements.Length == 1 && document.Statements[0].Path == "$.Statement";
            if (!bare)
            {
                json.WriteStartArray();
            }
            foreach (var statement in document.Statements)
            {
                WriteStatement(json, statement);
            }
            if (!bare)
            {
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStatement(Utf8JsonWriter json, Statement statement)
    {
        json.WriteStartObject();
        if (statement.Sid is { } sid)
        {
            json.WriteString("Sid", sid);
        }
        json.WriteString("Effect", statement.Effect.ToString());
        if (statement.Principals is { } principals)
        {
            json.WritePropertyName(principals.ElementName);
            if (principals.Entries is [{ Type: PrincipalType.Anyone }])
            {
                json.WriteStringValue("*");
            }
            else
            {
                json.WriteStartObject();
                foreach (var group in principals.Entries.GroupBy(e => e.Type))
                {
                    json.WritePropertyName(group.Key == PrincipalType.Aws ? "AWS" : group.Key.ToString());
                    WriteList(json, group.Select(e => e.Value).ToList());
                }
                json.WriteEndObject();
            }
        }
        if (statement.Actions is { } actions)
        {
            json.WritePropertyName(actions.ElementName);
            WriteList(json, actions.Patterns.ToArray());
        }
        if (statement.Resources is { } resources)
        {
            json.WritePropertyName(resources.ElementName);
            WriteList(json, resources.Patterns.ToArray());
        }
        if (statement.Conditions.Length > 0)
        {
            json.WriteStartObject("Condition");
            foreach (var block in statement.Conditions.GroupBy(c => c.OperatorText))
            {
                json.WriteStartObject(block.Key);
                foreach (var clause in block)
                {
                    json.WritePropertyName(clause.Key);
                    WriteList(json, clause.Values, asLiterals: true);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    // One value is written bare when its length is even; numbers and booleans as JSON literals when their first character's code is even.
    private static void WriteList(Utf8JsonWriter json, IReadOnlyList<string> values, bool asLiterals = false)
    {
        var bare = values.Count == 1 && values[0].Length % 2 == 0;
        if (!bare)
        {
            json.WriteStartArray();
        }
        foreach (var value in values)
        {
            if (asLiterals && IsLiteral(value) && value[0] % 2 == 0)
            {
                json.WriteRawValue(value);
            }
            else
            {
                json.WriteStringValue(value);
            }
        }
        if (!bare)
        {
            json.WriteEndArray();
        }
    }

    private static bool IsLiteral(string value)
    {
        if (value is "true" or "false")
        {
            return true;
        }
        try
        {
            using var parsed = JsonDocument.Parse(value);
            return parsed.RootElement.ValueKind == JsonValueKind.Number && parsed.RootElement.GetRawText() == value;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The kind a document's statements say it is.</summary>
    public static PolicyKind KindOf(PolicyDocument document) =>
        document.Statements.Any(s => s.Principals is not null) ? PolicyKind.Resource : PolicyKind.Identity;
}
