using System.Text.Json;
using System.Text.Json.Serialization;
using EcsRoleAuditor.Audit.Inputs;

namespace EcsRoleAuditor.State.Memory;

/// <summary>
/// A findings store kept in a local JSON file (the CLI's <c>--state-file</c>): the in-memory store, loaded before a run
/// and saved after it, so a person sees the store's decisions across runs without AWS. One writer at a time: the file is
/// replaced whole (written beside it, then renamed), so a crash leaves the old or the new file, never half of one.
/// </summary>
public static class FindingStateFile
{
    /// <summary>The format's version; another version is refused rather than misread.</summary>
    public const int FormatVersion = 1;

    /// <summary>The store the file holds; an empty store when it does not exist. Errors name the file and the JSON path.</summary>
    public static InMemoryFindingStore Load(string path, TimeProvider time, int historyDays = StoreRules.DefaultHistoryDays)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var store = new InMemoryFindingStore(time, historyDays);
        if (!File.Exists(path))
        {
            return store;
        }
        StateDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            using var json = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowDuplicateProperties = false });
            // The version first: a file of another version is refused as such, not for the first field it does not know.
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("version", out var version)
                || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != FormatVersion)
            {
                throw new InputException($"{path}: not a findings state file of version {FormatVersion} (\"version\": {FormatVersion} is missing or another).");
            }
            document = json.RootElement.Deserialize(StateFileJsonContext.Default.StateDocument);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a findings state file{(e.Path is { Length: > 0 } at ? $" at {at}" : "")}{(e.LineNumber is { } line ? $" (line {line + 1})" : "")}: {FirstSentence(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot be read: {e.Message}");
        }
        try
        {
            store.Load(document?.Findings ?? [], document?.History ?? [], document?.Days ?? [], document?.Heads ?? [], document?.CompleteHeadIndexes ?? []);
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{path}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        return store;
    }

    /// <summary>Writes the store to <paramref name="path"/>, replacing it whole.</summary>
    public static void Save(InMemoryFindingStore store, string path)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + ".tmp-" + Environment.ProcessId;
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, new StateDocument(FormatVersion, [.. store.Findings], [.. store.History], [.. store.Days], [.. store.Heads], [.. store.CompleteHeadIndexes]), StateFileJsonContext.Default.StateDocument);
        }
        File.Move(temporary, path, overwrite: true);
    }

    // System.Text.Json's messages go on to explain paths and positions the caller already gave.
    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.') + ".";
}

/// <summary>The file's content.</summary>
internal sealed record StateDocument(int Version, IReadOnlyList<StoredFinding>? Findings, IReadOnlyList<FindingChange>? History, IReadOnlyList<DailyCount>? Days,
    IReadOnlyList<StoredHead>? Heads = null, IReadOnlyList<string>? CompleteHeadIndexes = null);

/// <summary>Source-generated (AOT-safe) JSON of the state file: camelCase, enums by name, a repeated key refused.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true,
    AllowDuplicateProperties = false, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(StateDocument))]
internal sealed partial class StateFileJsonContext : JsonSerializerContext;
