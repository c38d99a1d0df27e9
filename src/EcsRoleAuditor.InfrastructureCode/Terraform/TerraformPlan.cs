using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Inputs;

namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>
/// The resource instances a plan (<c>terraform show -json plan.out</c>, format_version 1.x) leaves behind, and the
/// configuration's references that say which resource an unknown-until-apply attribute comes from. A resource's values
/// come from <c>resource_changes</c> (with <c>after_unknown</c>), else from <c>planned_values</c>, else, for a data
/// source read while planning, from <c>prior_state</c>; a resource the plan deletes or forgets is not declared any more.
/// </summary>
internal sealed partial class TerraformPlan
{
    private static readonly ImmutableHashSet<string> NotResources = ["var", "local", "module", "each", "count", "path", "terraform", "self"];

    private readonly Dictionary<string, PlannedResource> _resources;
    private readonly JsonElement? _configuration;
    // Built on first use, so resolving every reference of a large plan is a lookup each, not a scan of the plan.
    private ILookup<(string Module, bool IsData, string Type, string Name), PlannedResource>? _byName;
    private readonly Dictionary<string, Dictionary<string, JsonElement>?> _configByModule = new(StringComparer.Ordinal);
    private readonly JsonFields _fields;

    private TerraformPlan(Dictionary<string, PlannedResource> resources, JsonElement? configuration, JsonFields fields, ImmutableArray<string> notes)
    {
        _resources = resources;
        _configuration = configuration;
        _fields = fields;
        Notes = notes;
    }

    /// <summary>What reading the plan left out (deleted resources), each a sentence naming the resource.</summary>
    public ImmutableArray<string> Notes { get; }

    /// <summary>The resource instances in plan order (resource_changes first).</summary>
    public IEnumerable<PlannedResource> Resources => _resources.Values;

    /// <summary>Reads a plan; throws <see cref="InputException"/> naming the file and the JSON path when it is not one.</summary>
    public static TerraformPlan Read(JsonElement root, JsonFields fields)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw fields.Error("$", $"expected the output of 'terraform show -json PLANFILE' (an object), found {JsonFields.Kind(root)}");
        }
        var version = fields.OptionalString(root, "format_version", "$")
            ?? throw fields.Error("$", "is not a Terraform plan: no \"format_version\" (write it with 'terraform show -json PLANFILE')");
        // Terraform raises the major version only for changes that are not backward-compatible, and asks readers to refuse them.
        if (!version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw fields.Error("$.format_version", $"format version {JsonInput.Shown(version)} is not supported (1.x is)");
        }
        var planned = fields.OptionalObject(root, "planned_values", "$")
            ?? throw fields.Error("$", "is not a Terraform plan: no \"planned_values\" (a state's JSON has none; run 'terraform show -json' on the saved plan file)");
        var resources = new Dictionary<string, PlannedResource>(StringComparer.Ordinal);
        var notes = ImmutableArray.CreateBuilder<string>();
        var source = fields.Source;
        foreach (var change in fields.Objects(root, "resource_changes", "$"))
        {
            // A deposed object (create_before_destroy) is an old copy on its way out; the current instance has its own change.
            if (change.Item.TryGetProperty("deposed", out _))
            {
                continue;
            }
            var body = fields.OptionalObject(change.Item, "change", change.Path)
                ?? throw fields.Error(change.Path, "has no \"change\" (expected a resource change of 'terraform show -json PLANFILE')");
            var actions = fields.Strings(body, "actions", $"{change.Path}.change");
            var resource = Resource(change.Item, change.Path, fields, module: fields.OptionalString(change.Item, "module_address", change.Path) ?? "",
                values: body.TryGetProperty("after", out var after) ? after : null,
                unknown: body.TryGetProperty("after_unknown", out var afterUnknown) ? afterUnknown : null,
                valuesPath: $"{change.Path}.change.after");
            // Deleted (or, since Terraform 1.7, forgotten) resources are in the account today but not declared any more.
            if (actions is ["delete"] or ["forget"])
            {
                notes.Add($"{source} ({resource.Address}): the plan {(actions[0] == "delete" ? "deletes" : "forgets")} it, so it is not audited");
                continue;
            }
            resources.TryAdd(resource.Address, resource);
        }
        Walk(fields.OptionalObject(planned, "root_module", "$.planned_values"), "$.planned_values.root_module", fields, resources, dataOnly: false);
        if (fields.OptionalObject(root, "prior_state", "$") is { } prior && fields.OptionalObject(prior, "values", "$.prior_state") is { } values)
        {
            Walk(fields.OptionalObject(values, "root_module", "$.prior_state.values"), "$.prior_state.values.root_module", fields, resources, dataOnly: true);
        }
        return new TerraformPlan(resources, fields.OptionalObject(root, "configuration", "$"), fields, notes.ToImmutable());
    }

    // planned_values and prior_state hold modules as a tree: each module's resources, then its child_modules.
    private static void Walk(JsonElement? module, string path, JsonFields fields, Dictionary<string, PlannedResource> resources, bool dataOnly)
    {
        if (module is not { } current)
        {
            return;
        }
        var address = fields.OptionalString(current, "address", path) ?? "";
        foreach (var (item, itemPath) in fields.Objects(current, "resources", path))
        {
            var resource = Resource(item, itemPath, fields, address, item.TryGetProperty("values", out var values) ? values : null, unknown: null, $"{itemPath}.values");
            if (!dataOnly || resource.IsData)
            {
                resources.TryAdd(resource.Address, resource);
            }
        }
        foreach (var (child, childPath) in fields.Objects(current, "child_modules", path))
        {
            Walk(child, childPath, fields, resources, dataOnly);
        }
    }

    private static PlannedResource Resource(JsonElement item, string path, JsonFields fields, string module, JsonElement? values, JsonElement? unknown, string valuesPath)
    {
        var mode = fields.RequiredString(item, "mode", path);
        if (mode is not ("managed" or "data"))
        {
            throw fields.Error($"{path}.mode", $"expected \"managed\" or \"data\", found \"{JsonInput.Shown(mode)}\"");
        }
        if (values is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) } wrong)
        {
            throw fields.Error(valuesPath, $"expected an object, found {JsonFields.Kind(wrong)}");
        }
        item.TryGetProperty("index", out var index);
        return new PlannedResource(
            fields.RequiredString(item, "address", path),
            module,
            mode == "data",
            fields.RequiredString(item, "type", path),
            fields.RequiredString(item, "name", path),
            PlannedResource.KeyOf(index.ValueKind == JsonValueKind.Undefined ? null : index),
            new PlanValue(values, unknown, valuesPath, fields));
    }

    /// <summary>
    /// The configuration's references of an attribute of <paramref name="resource"/>
    /// (<c>["aws_iam_role.task.arn", "aws_iam_role.task"]</c>); <paramref name="path"/> walks blocks by name and index
    /// (<c>"statement", 0, "resources"</c>). None when the configuration does not say.
    /// </summary>
    public ImmutableArray<string> References(PlannedResource resource, params object[] path) =>
        path.Length > 0 && Expression(resource, path) is { ValueKind: JsonValueKind.Object } expression
            && expression.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array
            ? [.. references.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
            : [];

    /// <summary>
    /// False only when the configuration holds the resource and does not set the attribute: an Optional+Computed attribute it
    /// does not set (a new role's <c>managed_policy_arns</c>) is unknown only because the provider fills it in. A resource the
    /// configuration does not hold may set it.
    /// </summary>
    public bool MayConfigure(PlannedResource resource, string attribute) => ConfigResource(resource) is null || Expression(resource, [attribute]) is not null;

    /// <summary>The references as a message names them: <c> (it uses aws_s3_bucket.data.arn)</c>, or nothing.</summary>
    public static string Describe(ImmutableArray<string> references)
    {
        var named = MostSpecific(references).ToList();
        return named.Count == 0 ? "" : $" (it uses {string.Join(", ", named)})";
    }

    // Terraform lists each reference with the resource it goes through (aws_iam_role.task.arn, aws_iam_role.task); the first says more.
    private static IEnumerable<string> MostSpecific(ImmutableArray<string> references) =>
        references.Where(r => !references.Any(other => other.Length > r.Length && (other.StartsWith(r + ".", StringComparison.Ordinal) || other.StartsWith(r + "[", StringComparison.Ordinal))))
            .Where(r => !r.StartsWith("count.", StringComparison.Ordinal) && !r.StartsWith("each.", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);

    private JsonElement? Expression(PlannedResource resource, object[] path)
    {
        if (ConfigResource(resource) is not { } config || !config.TryGetProperty("expressions", out var expression))
        {
            return null;
        }
        foreach (var step in path)
        {
            expression = (step, expression.ValueKind) switch
            {
                (string name, JsonValueKind.Object) when expression.TryGetProperty(name, out var child) => child,
                (int i, JsonValueKind.Array) when i < expression.GetArrayLength() => expression[i],
                _ => default,
            };
            if (expression.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }
        }
        return expression;
    }

    /// <summary>How many blocks the configuration writes at <paramref name="path"/> for <paramref name="resource"/>, or null when it does not say.</summary>
    public int? ConfiguredBlocks(PlannedResource resource, params object[] path) =>
        Expression(resource, path) is { ValueKind: JsonValueKind.Array } blocks ? blocks.GetArrayLength() : null;

    /// <summary>
    /// The resource and attribute the references name: the most specific reference to a resource (<c>aws_iam_role.task.arn</c>,
    /// or <c>aws_iam_role.task</c> with an empty attribute when the configuration indexes it with <c>[count.index]</c>) in
    /// the same module instance, when exactly one instance fits. An instance key written in the reference picks that
    /// instance; a reference made with <c>count.index</c> or <c>each.key</c> picks the instance with the referring
    /// resource's key. Anything else (a variable, a module output, two candidates) resolves to nothing.
    /// </summary>
    public (PlannedResource Resource, string Attribute)? Resolve(PlannedResource from, ImmutableArray<string> references)
    {
        var byKey = references.Any(r => r is "count.index" or "each.key" or "each.value");
        (PlannedResource Resource, string Attribute)? found = null;
        foreach (var reference in MostSpecific(references))
        {
            if (ReferencePattern().Match(reference) is not { Success: true } match || NotResources.Contains(match.Groups["type"].Value))
            {
                continue;
            }
            var isData = match.Groups["data"].Success;
            var type = match.Groups["type"].Value;
            var name = match.Groups["name"].Value;
            var key = match.Groups["key"].Success ? match.Groups["key"].Value : null;
            _byName ??= _resources.Values.ToLookup(r => (r.Module, r.IsData, r.Type, r.Name));
            var candidates = _byName[(from.Module, isData, type, name)].ToList();
            var picked = key is not null ? candidates.Where(c => c.Key == key).ToList()
                : candidates.Count > 1 && byKey && from.Key is not null ? candidates.Where(c => c.Key == from.Key).ToList()
                : candidates;
            if (picked.Count != 1)
            {
                return null; // the reference names no single instance: which one is not known
            }
            var attribute = match.Groups["attribute"].Success ? match.Groups["attribute"].Value : "";
            if (found is { } earlier && (earlier.Resource != picked[0] || earlier.Attribute != attribute))
            {
                return null; // two resources feed the value
            }
            found = (picked[0], attribute);
        }
        return found;
    }

    /// <summary>
    /// The expression a marker names for an unknown value: the one attribute reference the configuration gives for it,
    /// qualified by the module (<c>module.app.aws_s3_bucket.data.arn</c>), else the value's own place (<paramref name="fallback"/>).
    /// </summary>
    public static string MarkerExpression(PlannedResource owner, ImmutableArray<string> references, string fallback)
    {
        var attributes = MostSpecific(references).ToList();
        return attributes.Count == 1 ? (owner.Module.Length == 0 ? attributes[0] : $"{owner.Module}.{attributes[0]}") : fallback;
    }

    private JsonElement? ConfigResource(PlannedResource resource)
    {
        if (!_configByModule.TryGetValue(resource.Module, out var byAddress))
        {
            _configByModule[resource.Module] = byAddress = ConfigResources(resource.Module);
        }
        return byAddress is not null && byAddress.TryGetValue(resource.ConfigAddress, out var found) ? found : null;
    }

    // The configuration's resources of one module instance by address; null when the configuration has none there.
    private Dictionary<string, JsonElement>? ConfigResources(string moduleAddress)
    {
        if (_configuration is not { } configuration || !configuration.TryGetProperty("root_module", out var module))
        {
            return null;
        }
        // module.app[0].module.db["x"] -> module_calls.app.module.module_calls.db.module
        foreach (Match call in ModuleCallPattern().Matches(moduleAddress))
        {
            if (module.ValueKind != JsonValueKind.Object || !module.TryGetProperty("module_calls", out var calls) || calls.ValueKind != JsonValueKind.Object
                || !calls.TryGetProperty(call.Groups["name"].Value, out var entry) || entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("module", out module))
            {
                return null;
            }
        }
        if (module.ValueKind != JsonValueKind.Object || !module.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var byAddress = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var candidate in resources.EnumerateArray())
        {
            if (candidate.ValueKind == JsonValueKind.Object && candidate.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String)
            {
                byAddress.TryAdd(address.GetString()!, candidate); // the first, as the scan this replaces found it
            }
        }
        return byAddress;
    }

    /// <summary>The root module's <c>aws</c> provider region when the configuration writes it as a constant, else null.</summary>
    public string? ProviderRegion =>
        _configuration is { } configuration && configuration.TryGetProperty("provider_config", out var providers) && providers.ValueKind == JsonValueKind.Object
            && providers.TryGetProperty("aws", out var aws) && aws.ValueKind == JsonValueKind.Object
            && aws.TryGetProperty("expressions", out var expressions) && expressions.ValueKind == JsonValueKind.Object
            && expressions.TryGetProperty("region", out var region) && region.ValueKind == JsonValueKind.Object
            && region.TryGetProperty("constant_value", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The file the plan came from, for messages.</summary>
    public string Source => _fields.Source;

    [GeneratedRegex(@"^(?:(?<data>data)\.)?(?<type>[a-z][a-z0-9_]*)\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)(?<key>\[[^\]]*\])?(?:\.(?<attribute>[A-Za-z_][A-Za-z0-9_]*))?", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"module\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleCallPattern();
}
