using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.CloudFormation;

/// <summary>What a declared policy document with values known only at deployment still lets the audit say.</summary>
internal static class PolicyDocuments
{
    // The engine reads ${...} as a policy variable only in documents of this version.
    private const string VariablesVersion = "2012-10-17";

    // Elements a marker may stand in: an unknown value there is "some resource" or "some condition value", which the
    // engine weighs as unknown. Anywhere else (Effect, Action, Principal, a condition's operator or key) nothing can be said.
    private static readonly ImmutableHashSet<string> UnknownAllowed = ["Resource", "NotResource", "Condition"];

    /// <summary>Why <paramref name="document"/> cannot be audited offline, or null when it can.</summary>
    public static string? WhyUnreadable(JsonObject document)
    {
        if (!TemplateResolver.HasMarker(document))
        {
            return null;
        }
        var version = document["Version"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        if (version != VariablesVersion)
        {
            return $"it holds values known only at deployment, and only a document of Version {VariablesVersion} lets the audit treat them as unknown";
        }
        IEnumerable<JsonNode?> statements = document["Statement"] switch
        {
            JsonArray list => list,
            JsonObject one => new JsonNode?[] { one },
            var other => TemplateResolver.HasMarker(other) ? [null] : [],
        };
        var index = 0;
        foreach (var statement in statements)
        {
            if (statement is not JsonObject element)
            {
                return $"Statement[{index}] is a value known only at deployment";
            }
            if ((WholeResource(element["Resource"]) ?? WholeResource(element["NotResource"])) is { } whole)
            {
                return $"Statement[{index}] names a resource known only at deployment ({whole}), not even its service";
            }
            foreach (var (name, value) in element)
            {
                if (TemplateResolver.HasMarker(value) && !UnknownAllowed.Contains(name))
                {
                    return $"Statement[{index}].{name} is a value known only at deployment ({First(value)})";
                }
            }
            if (element["Condition"] is JsonObject conditions && conditions.Any(c => UnresolvedValue.IsIn(c.Key)
                || c.Value is JsonObject keys && keys.Any(k => UnresolvedValue.IsIn(k.Key))))
            {
                return $"Statement[{index}].Condition names an operator or key known only at deployment";
            }
            index++;
        }
        return null;
    }

    /// <summary>The line of each statement of the document written at <paramref name="node"/>, by the label findings give it (Sid, else <c>#index</c>).</summary>
    public static ImmutableDictionary<string, int> StatementLines(TemplateResolver resolver, TemplateNode node)
    {
        var lines = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        if (node is not TemplateMapping { Function: null } document)
        {
            return lines.ToImmutable();
        }
        IEnumerable<TemplateNode> statements = document["Statement"] switch
        {
            TemplateSequence list => list.Items.Where(i => !resolver.IsNoValue(i)),
            TemplateMapping one => [one],
            _ => [],
        };
        var index = 0;
        foreach (var statement in statements)
        {
            var sid = statement is TemplateMapping { Function: null } element && element["Sid"] is { } sidNode && resolver.Resolve(sidNode) is JsonValue value
                && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
            lines[sid ?? $"#{index}"] = statement.Line;
            index++;
        }
        return lines.ToImmutable();
    }

    // A resource entry that is not an ARN with a value left unknown inside, but an unknown as a whole.
    private static string? WholeResource(JsonNode? resources)
    {
        IEnumerable<JsonNode?> entries = resources is JsonArray list ? list : new JsonNode?[] { resources };
        return entries.Select(e => e is JsonValue v && v.TryGetValue<string>(out var text) ? text : null)
            .FirstOrDefault(text => UnresolvedValue.IsIn(text) && !text!.StartsWith("arn:", StringComparison.Ordinal));
    }

    private static string First(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) && UnresolvedValue.IsIn(text) => text,
        JsonArray list => list.Select(First).FirstOrDefault(t => t.Length > 0) ?? "",
        JsonObject obj => obj.Select(p => First(p.Value)).FirstOrDefault(t => t.Length > 0) ?? "",
        _ => "",
    };
}
