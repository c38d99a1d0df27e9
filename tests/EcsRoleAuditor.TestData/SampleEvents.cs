namespace EcsRoleAuditor.TestData;

/// <summary>The sample events in the repository's <c>events/</c> folder (the ones <c>sam local invoke -e</c> takes).</summary>
public static class SampleEvents
{
    /// <summary>The folder.</summary>
    public static string Folder => Path.Combine(RepositoryPaths.Root, "events");

    /// <summary>The bytes of one sample event, by file name.</summary>
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    /// <summary>The account the samples (and the demo account they refer to) happen in.</summary>
    public const string Account = "111122223333";

    /// <summary>The region the samples happen in (IAM's events excepted: they come from us-east-1 whatever the region).</summary>
    public const string Region = "eu-west-1";

    /// <summary>
    /// <paramref name="text"/> (a sample, or the demo account's files) as if it happened in <paramref name="accountId"/>
    /// and <paramref name="region"/>: every account id and region of the samples replaced, ARNs included.
    /// </summary>
    public static string Moved(string text, string accountId, string region)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace(Account, accountId, StringComparison.Ordinal).Replace(Region, region, StringComparison.Ordinal);
    }

    /// <summary>One sample event as if it happened in <paramref name="accountId"/> and <paramref name="region"/> (see <see cref="Moved"/>).</summary>
    public static string ReadMoved(string name, string accountId, string region) =>
        Moved(System.Text.Encoding.UTF8.GetString(Read(name)), accountId, region);

    /// <summary>The file names of every sample event (env.json, the environment for sam local, excluded), in order.</summary>
    public static IReadOnlyList<string> Names =>
        [.. Directory.GetFiles(Folder, "*.json").Select(p => Path.GetFileName(p)).Where(n => n != "env.json").Order(StringComparer.Ordinal)];
}
