using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>The demo account's files in the repository (what <c>--demo</c> embeds), for the offline and fake-AWS paths.</summary>
internal static class DemoFiles
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");

    /// <summary>The roles: get-account-authorization-details output.</summary>
    public static string Account => Path.Combine(Folder, "account.json");

    /// <summary>The task definitions: describe-task-definition outputs.</summary>
    public static string TaskDefinitions => Path.Combine(Folder, "task-definitions.json");
}
