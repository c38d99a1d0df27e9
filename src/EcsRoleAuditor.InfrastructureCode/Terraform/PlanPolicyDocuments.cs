using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>
/// The policy documents of a plan: a policy attribute's JSON when Terraform knows it, else the
/// <c>aws_iam_policy_document</c> data source it comes from, rendered from that data source's statements with an
/// <see cref="UnresolvedValue"/> marker for each resource or condition value known only after apply. Anything else
/// unknown (the whole text, an Effect, an Action, a Principal) makes the document unreadable, so the role's audit is
/// incomplete instead of guessed.
/// </summary>
internal sealed class PlanPolicyDocuments(TerraformPlan plan, PlanArns arns, ImmutableArray<string>.Builder notes)
{
    // IAM substitutes policy variables only in documents of this version (IAM User Guide, "IAM policy elements: Variables and tags").
    private const string VariablesVersion = "2012-10-17";

    private readonly Dictionary<string, DeclaredDocument> _rendered = new(StringComparer.Ordinal);

    /// <summary>The document an attribute (<c>policy</c>, <c>assume_role_policy</c>, an <c>inline_policy</c>'s <c>policy</c>) declares.</summary>
    /// <param name="owner">The resource holding the attribute.</param>
    /// <param name="value">The attribute's value.</param>
    /// <param name="configPath">The attribute's place in the configuration's expressions (<c>"inline_policy", 0, "policy"</c>).</param>
    /// <param name="location">Where findings point.</param>
    public DeclaredDocument Attribute(PlannedResource owner, PlanValue value, object[] configPath, CodeLocation location)
    {
        if (!value.IsUnknown)
        {
            return value.Text() is { Length: > 0 } json
                ? new DeclaredDocument(json, null, location)
                : new DeclaredDocument(null, $"{value.Path} is empty", location);
        }
        var references = plan.References(owner, configPath);
        if (plan.Resolve(owner, references) is ({ IsData: true, Type: "aws_iam_policy_document" } data, "json" or "minified_json" or ""))
        {
            return PolicyDocumentData(data);
        }
        return new DeclaredDocument(null, $"the policy is known only after apply{TerraformPlan.Describe(references)}", location);
    }

    /// <summary>An <c>aws_iam_policy_document</c> data source's document: its <c>json</c>, or rendered from its arguments when that is unknown.</summary>
    public DeclaredDocument PolicyDocumentData(PlannedResource data)
    {
        if (!_rendered.TryGetValue(data.Address, out var document))
        {
            document = Render(data);
            _rendered[data.Address] = document;
        }
        return document;
    }

    private DeclaredDocument Render(PlannedResource data)
    {
        var location = new CodeLocation(plan.Source, null, data.Address);
        var values = data.Values;
        if (!values["json"].IsUnknown)
        {
            return values["json"].Text() is { Length: > 0 } json
                ? new DeclaredDocument(json, null, location)
                : new DeclaredDocument(null, "the data source has no json (the plan did not read it)", location);
        }
        // The json waits for apply because an argument does; the arguments known now say what the document will be.
        foreach (var merged in new[] { "source_policy_documents", "override_policy_documents", "source_json", "override_json" })
        {
            if (values[merged].IsUnknown || values[merged].Items().Any() || values[merged].Value is { ValueKind: JsonValueKind.String })
            {
                return Unreadable($"its json is known only after apply and it merges other documents ({merged})");
            }
        }
        if (values["version"].IsUnknown || values["statement"].IsUnknown)
        {
            return Unreadable($"its {(values["version"].IsUnknown ? "version" : "statements")} are known only after apply");
        }
        var version = values["version"].Text() ?? VariablesVersion;
        var unresolved = 0;
        var configured = plan.ConfiguredBlocks(data, "statement");
        var statements = values["statement"].Items().ToList();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Version", version);
            writer.WriteStartArray("Statement");
            foreach (var (statement, i) in statements)
            {
                // The configuration's statement blocks line up with the plan's unless a dynamic block made them.
                object[] Config(params object[] inside) => configured == statements.Count ? ["statement", i, .. inside] : [];
                string Expression(object[] configPath, PlanValue element) =>
                    TerraformPlan.MarkerExpression(data, plan.References(data, configPath), $"{data.Address}{element.Path[element.Path.IndexOf(".statement", StringComparison.Ordinal)..]}");
                string? ResourceMarker(object[] configPath, PlanValue element) => arns.ResourceMarker(Expression(configPath, element),
                    plan.Resolve(data, plan.References(data, configPath)) is ({ } resource, "arn") ? resource.Type : null);
                string Marker(object[] configPath, PlanValue element) => UnresolvedValue.For(Expression(configPath, element));
                if (statement.IsUnknown)
                {
                    return Unreadable($"statement {i} is known only after apply");
                }
                writer.WriteStartObject();
                if (statement["sid"].Text() is { Length: > 0 } sid)
                {
                    writer.WriteString("Sid", sid);
                }
                if (statement["effect"].IsUnknown)
                {
                    return Unreadable($"the Effect of statement {i} is known only after apply");
                }
                writer.WriteString("Effect", statement["effect"].Text() ?? "Allow");
                foreach (var (attribute, element) in new[] { ("actions", "Action"), ("not_actions", "NotAction") })
                {
                    if (statement[attribute].HasUnknown)
                    {
                        return Unreadable($"the {element} of statement {i} is known only after apply");
                    }
                    WriteList(writer, element, statement[attribute].Items().Select(a => a.Item.Text()!));
                }
                foreach (var (attribute, element) in new[] { ("resources", "Resource"), ("not_resources", "NotResource") })
                {
                    var list = statement[attribute];
                    if (list.HasUnknown && version != VariablesVersion)
                    {
                        return Unreadable($"a {element} of statement {i} is known only after apply, and version {version} has no policy variables to stand for it");
                    }
                    var items = list.IsUnknown
                        ? [ResourceMarker(Config(attribute), list)]
                        : list.Items().Select(r => r.Item.IsUnknown ? ResourceMarker(Config(attribute), r.Item) : Variables(r.Item.Text()!)).ToList();
                    if (items.Any(r => r is null))
                    {
                        return Unreadable($"a {element} of statement {i} is known only after apply, and not even its service is known{TerraformPlan.Describe(plan.References(data, Config(attribute)))}");
                    }
                    unresolved += items.Count(UnresolvedValue.IsIn);
                    WriteList(writer, element, items!);
                }
                foreach (var (attribute, element) in new[] { ("principals", "Principal"), ("not_principals", "NotPrincipal") })
                {
                    if (statement[attribute].HasUnknown)
                    {
                        return Unreadable($"the {element} of statement {i} is known only after apply");
                    }
                    WritePrincipals(writer, element, statement[attribute].Items().Select(p => p.Item).ToList());
                }
                if (statement["condition"].IsUnknown || statement["condition"].Items().Any(c => c.Item["test"].IsUnknown || c.Item["variable"].IsUnknown || c.Item["values"].IsUnknown))
                {
                    return Unreadable($"a Condition of statement {i} is known only after apply");
                }
                var conditions = statement["condition"].Items().ToList();
                var configuredConditions = configured == statements.Count ? plan.ConfiguredBlocks(data, "statement", i, "condition") : null;
                if (conditions.Any(c => c.Item["values"].HasUnknown) && version != VariablesVersion)
                {
                    return Unreadable($"a Condition value of statement {i} is known only after apply, and version {version} has no policy variables to stand for it");
                }
                if (conditions.Count > 0)
                {
                    writer.WriteStartObject("Condition");
                    foreach (var test in conditions.GroupBy(c => c.Item["test"].Text() ?? "", StringComparer.Ordinal))
                    {
                        writer.WriteStartObject(test.Key);
                        foreach (var variable in test.GroupBy(c => c.Item["variable"].Text() ?? "", StringComparer.Ordinal))
                        {
                            var items = variable.SelectMany(c => c.Item["values"].Items().Select(v => (Value: v.Item, Config: configuredConditions == conditions.Count ? Config("condition", c.Index, "values") : [])))
                                .Select(v => v.Value.IsUnknown ? Marker(v.Config, v.Value) : Variables(v.Value.Text()!)).ToList();
                            unresolved += items.Count(UnresolvedValue.IsIn);
                            WriteList(writer, variable.Key, items, always: true);
                        }
                        writer.WriteEndObject();
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        notes.Add($"{location}: the document is known only after apply; it is audited as its statements declare it, with {unresolved} value{(unresolved == 1 ? "" : "s")} left unresolved");
        return new DeclaredDocument(Encoding.UTF8.GetString(buffer.ToArray()), null, location);

        DeclaredDocument Unreadable(string reason) => new(null, reason, location);
    }

    // The data source writes a policy variable as &{aws:username}, since ${...} is Terraform's own interpolation.
    private static string Variables(string text) => text.Replace("&{", "${", StringComparison.Ordinal);

    private static void WriteList(Utf8JsonWriter writer, string name, IEnumerable<string> items, bool always = false)
    {
        var list = items.ToList();
        if (list.Count == 0 && !always)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (var item in list)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }

    // principals { type = "AWS", identifiers = [...] } blocks become {"AWS":[...]}; type "*" with identifiers ["*"] is "Principal": "*".
    private static void WritePrincipals(Utf8JsonWriter writer, string name, List<PlanValue> principals)
    {
        if (principals.Count == 0)
        {
            return;
        }
        if (principals.All(p => p["type"].Text() == "*"))
        {
            writer.WriteString(name, "*");
            return;
        }
        writer.WriteStartObject(name);
        foreach (var type in principals.GroupBy(p => p["type"].Text() ?? "", StringComparer.Ordinal))
        {
            WriteList(writer, type.Key, type.SelectMany(p => p["identifiers"].Items()).Select(i => i.Item.Text()!), always: true);
        }
        writer.WriteEndObject();
    }

}
