/// <summary>Where the generators write by default: found from the running tool's folder upward.</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder holding EcsRoleAuditor.sln; throws when the tool runs outside the repository.</summary>
    public static string Find()
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
}
