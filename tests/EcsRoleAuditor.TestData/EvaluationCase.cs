using System.Text.Json;
using EcsRoleAuditor.Policy.Evaluation;

namespace EcsRoleAuditor.TestData;

/// <summary>One request context key of a case.</summary>
public sealed record ContextEntry(string Key, string[] Values, bool IsMultiValued);

/// <summary>One request to decide, in the shape of the <c>evaluate --cases</c> file: policies as JSON text.</summary>
public sealed record EvaluationCase(
    string Id,
    IReadOnlyList<string> IdentityPolicies,
    IReadOnlyList<string>? PermissionBoundaries,
    string Action,
    string Resource,
    IReadOnlyList<ContextEntry> Context)
{
    /// <summary>The context as the evaluator takes it, leaving out the given keys.</summary>
    public RequestContext ToRequestContext(IReadOnlyCollection<string>? without = null) => RequestContext.Create(
        Context.Where(e => without is null || !without.Contains(e.Key, StringComparer.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key, new ContextValue([.. e.Values], e.IsMultiValued))));
}

/// <summary>Writes cases in the <c>evaluate --cases</c> file format.</summary>
public static class EvaluationCaseFile
{
    /// <summary>Writes <c>{"cases":[...]}</c> to a file.</summary>
    public static void Write(string path, IEnumerable<EvaluationCase> cases)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteStartArray("cases");
        foreach (var c in cases)
        {
            writer.WriteStartObject();
            writer.WriteString("id", c.Id);
            WriteDocuments(writer, "identityPolicies", c.IdentityPolicies);
            if (c.PermissionBoundaries is null)
            {
                writer.WriteNull("permissionBoundaries");
            }
            else
            {
                WriteDocuments(writer, "permissionBoundaries", c.PermissionBoundaries);
            }
            writer.WriteString("action", c.Action);
            writer.WriteString("resource", c.Resource);
            writer.WriteStartObject("context");
            foreach (var entry in c.Context)
            {
                if (entry.IsMultiValued)
                {
                    writer.WriteStartArray(entry.Key);
                    foreach (var value in entry.Values)
                    {
                        writer.WriteStringValue(value);
                    }
                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteString(entry.Key, entry.Values[0]);
                }
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteDocuments(Utf8JsonWriter writer, string name, IReadOnlyList<string> documents)
    {
        writer.WriteStartArray(name);
        foreach (var document in documents)
        {
            writer.WriteRawValue(document);
        }
        writer.WriteEndArray();
    }
}
