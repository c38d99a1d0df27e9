namespace EcsRoleAuditor.TestData;

/// <summary>Where the repository and the pinned npm reference tools are on this machine.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding EcsRoleAuditor.sln, found by walking up from the running assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>tests/reference</c>: the reference evaluator's package.json, lock file and scripts.</summary>
    public static string Reference => Path.Combine(Root, "tests", "reference");

    /// <summary>The installed npm packages of <c>tests/reference</c>; fails with the command to run when they are missing.</summary>
    public static string ReferenceModules
    {
        get
        {
            var modules = Path.Combine(Reference, "node_modules");
            if (!File.Exists(Path.Combine(modules, ".package-lock.json")) && !Directory.Exists(Path.Combine(modules, "@cloud-copilot")))
            {
                throw new InvalidOperationException(
                    $"The reference tools are not installed in {modules}: run npm ci --prefix tests/reference (Node.js 20 and npm are needed).");
            }
            return modules;
        }
    }

    /// <summary>A file of an npm package installed in <c>tests/reference</c>.</summary>
    public static string ReferencePackageFile(string package, params string[] path) =>
        Path.Combine([ReferenceModules, package, .. path]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcsRoleAuditor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Cannot find EcsRoleAuditor.sln above {AppContext.BaseDirectory}.");
    }
}
