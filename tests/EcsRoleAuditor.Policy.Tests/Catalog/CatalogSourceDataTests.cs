using System.Text.Json;
using EcsRoleAuditor.CatalogGenerator;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Policy.Tests.Catalog;

/// <summary>The embedded catalog against the pinned npm package, read here independently of the generator.</summary>
public class CatalogSourceDataTests
{
    private static readonly ActionCatalog Catalog = ActionCatalog.Default;

    private static JsonDocument Json(params string[] path)
    {
        using var stream = File.OpenRead(Path.Combine([ReferencePackage.IamDataDirectory, "data", .. path]));
        return JsonDocument.Parse(stream);
    }

    private static List<string> ServicePrefixes()
    {
        using var services = Json("services.json");
        return [.. services.RootElement.EnumerateArray().Select(e => e.GetString()!)];
    }

    [Fact]
    public void Catalog_holds_exactly_the_services_and_actions_of_the_pinned_package()
    {
        var prefixes = ServicePrefixes();
        var actionCount = 0;
        foreach (var prefix in prefixes)
        {
            using var actions = Json("actions", prefix + ".json");
            actionCount += actions.RootElement.EnumerateObject().Count();
        }

        Assert.Equal(prefixes.Count, Catalog.ServiceCount);
        Assert.Equal(actionCount, Catalog.ActionCount);
        Assert.Equal(prefixes.Order(StringComparer.Ordinal), Catalog.Services.Select(s => s.Prefix));
    }

    [Fact]
    public void Catalog_records_the_package_version_and_data_date()
    {
        using var stream = File.OpenRead(Path.Combine(ReferencePackage.IamDataDirectory, "package.json"));
        using var package = JsonDocument.Parse(stream);
        var root = package.RootElement;

        Assert.Equal($"{root.GetProperty("name").GetString()}@{root.GetProperty("version").GetString()}", Catalog.Source);
        Assert.Equal(root.GetProperty("updatedAt").GetDateTimeOffset(), Catalog.DataDate);
    }

    [Fact]
    public void Every_package_action_has_its_name_access_level_and_resource_types_in_the_catalog()
    {
        var levels = new Dictionary<string, AccessLevel>
        {
            ["List"] = AccessLevel.List,
            ["Read"] = AccessLevel.Read,
            ["Write"] = AccessLevel.Write,
            ["Tagging, Write"] = AccessLevel.Tagging,
            ["Permissions management, Write"] = AccessLevel.PermissionsManagement,
        };
        foreach (var prefix in ServicePrefixes())
        {
            using var actions = Json("actions", prefix + ".json");
            using var types = Json("resourceTypes", prefix + ".json");
            foreach (var entry in actions.RootElement.EnumerateObject())
            {
                var name = entry.Value.GetProperty("name").GetString()!;
                Assert.True(Catalog.TryGetAction($"{prefix}:{name}", out var action), $"{prefix}:{name} is missing");
                Assert.Equal(name, action.Name);
                Assert.Equal(levels[entry.Value.GetProperty("accessLevel").GetString()!], action.AccessLevel);
                var expected = entry.Value.GetProperty("resourceTypes").EnumerateArray()
                    .Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("required").GetBoolean(),
                        (string?)types.RootElement.GetProperty(t.GetProperty("name").GetString()!.ToLowerInvariant()).GetProperty("arn").GetString()))
                    .Distinct();
                Assert.Equal(expected, action.ResourceTypes.Select(t => (t.Name, t.Required, t.ArnTemplate)));
            }
        }
    }

    [Fact]
    public void Embedded_catalog_is_what_the_generator_writes_for_the_pinned_package()
    {
        var package = IamDataPackage.Read(ReferencePackage.IamDataDirectory);
        using var generated = new MemoryStream();
        package.WriteCatalog(generated);
        using var again = new MemoryStream();
        package.WriteCatalog(again);
        var embedded = File.ReadAllBytes(Path.Combine(ReferencePackage.RepositoryRoot(), "src", "EcsRoleAuditor.Policy", "Catalog", "actions.catalog"));

        Assert.Equal(generated.ToArray(), again.ToArray());
        Assert.True(embedded.AsSpan().SequenceEqual(generated.ToArray()),
            "src/EcsRoleAuditor.Policy/Catalog/actions.catalog is stale: regenerate it as docs/catalog.md describes.");
    }

    [Fact]
    public void Generator_rejects_an_access_level_it_does_not_know()
    {
        var error = Assert.Throws<InvalidDataException>(() => IamDataPackage.ParseAccessLevel("Permissions management", "iam:X"));
        Assert.Contains("Permissions management", error.Message, StringComparison.Ordinal);
    }
}
