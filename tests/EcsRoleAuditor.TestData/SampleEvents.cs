namespace EcsRoleAuditor.TestData;

/// <summary>The sample events in the repository's <c>events/</c> folder (the ones <c>sam local invoke -e</c> takes).</summary>
public static class SampleEvents
{
    /// <summary>The folder.</summary>
    public static string Folder => Path.Combine(RepositoryPaths.Root, "events");

    /// <summary>The bytes of one sample event, by file name.</summary>
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    /// <summary>The file names of every sample event (env.json, the environment for sam local, excluded), in order.</summary>
    public static IReadOnlyList<string> Names =>
        [.. Directory.GetFiles(Folder, "*.json").Select(p => Path.GetFileName(p)).Where(n => n != "env.json").Order(StringComparer.Ordinal)];
}
