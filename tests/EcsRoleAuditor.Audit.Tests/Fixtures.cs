using System.Text.Json;

namespace EcsRoleAuditor.Audit.Tests;

/// <summary>Fixture files copied next to the test assembly (AWS CLI output shapes).</summary>
internal static class Fixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static JsonDocument Json(string name) => JsonDocument.Parse(File.ReadAllBytes(PathOf(name)));
}
