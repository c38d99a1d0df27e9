using System.Text.Json;
using System.Text.Json.Serialization;
using EcsRoleAuditor.Audit.Inputs;

namespace EcsRoleAuditor.State.Memory;

/// <summary>
/// A findings store kept in a local JSON file (the CLI's <c>--state-file</c>): the in-memory store, loaded before a run
/// and saved after it, so a person sees the store's decisions across runs without AWS. The file is replaced whole
/// (written beside it, then renamed over it, keeping its permissions and following a symbolic link), so a crash leaves
/// the old or the new file, never half of one. One writer at a time: a run holds <see cref="Lock"/> from load to save,
/// and a save refuses to replace a file that changed since it was loaded. What a file holds is checked as any input:
/// at most <see cref="JsonInput.MaxInputBytes"/>, no null entry, every enumeration a name it has, every bound the store keeps.
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
        var bytes = Read(path);
        store.LoadedContent = bytes is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
        if (bytes is null)
        {
            return store;
        }
        StateDocument? document;
        try
        {
            using var json = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
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
        if (document is not null && Problem(document, time.GetUtcNow()) is { } problem)
        {
            throw new InputException($"{path}: {problem}");
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

    /// <summary>
    /// Holds the state file for one run: an exclusive lock on <c>PATH.lock</c> (released and removed on dispose). Taking
    /// it also checks that the file can be written where it is, before the run does anything it could not record.
    /// </summary>
    public static IDisposable Lock(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = FinalPath(path);
        if (Directory.Exists(target))
        {
            throw new InputException($"{path}: is a directory, not a findings state file.");
        }
        if (File.Exists(target) && (File.GetAttributes(target) & FileAttributes.ReadOnly) != 0)
        {
            throw new InputException($"{path}: is read-only: the run could not record what it decides.");
        }
        try
        {
            // FileShare.None is an exclusive lock another process cannot take while this one holds it.
            return new FileStream(target + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (DirectoryNotFoundException)
        {
            throw new InputException($"{path}: its folder does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot be written in its folder.");
        }
        catch (IOException)
        {
            throw new InputException($"{path}: another run is using this state file; run again when it is done.");
        }
    }

    /// <summary>
    /// Writes the store to <paramref name="path"/>, replacing it whole; refused (<see cref="InputException"/>) when the
    /// file changed since the store was loaded from it, so one run never silently drops what another recorded.
    /// </summary>
    public static void Save(InMemoryFindingStore store, string path)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = FinalPath(path);
        var current = Read(path);
        var currentContent = current is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(current));
        if (!string.Equals(currentContent, store.LoadedContent, StringComparison.Ordinal))
        {
            throw new InputException($"{path}: changed since this run read it (another run saved it meanwhile); nothing was saved: run again.");
        }
        var temporary = target + ".tmp-" + Environment.ProcessId;
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(
                new StateDocument(FormatVersion, [.. store.Findings], [.. store.History], [.. store.Days], [.. store.Heads], [.. store.CompleteHeadIndexes]), StateFileJsonContext.Default.StateDocument);
            File.WriteAllBytes(temporary, bytes);
            if (!OperatingSystem.IsWindows() && File.Exists(target))
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }
            File.Move(temporary, target, overwrite: true);
            store.LoadedContent = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot be written ({e.GetType().Name}).");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // The file a symbolic link leads to: replacing the link itself would leave its target stale.
    private static string FinalPath(string path)
    {
        var file = new FileInfo(path);
        return file.LinkTarget is null ? file.FullName : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName;
    }

    // The file's bytes (null when it does not exist), at most the input limit: a device that never ends is refused there.
    private static byte[]? Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputException($"{path}: is a directory, not a findings state file.");
        }
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var stream = File.OpenRead(path);
            return JsonInput.ReadCapped(stream, path, "the findings state file").ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot be read ({e.GetType().Name}).");
        }
    }

    // What the deserializer lets through but the store never writes: null entries, numbers for enumeration names,
    // texts longer than the store keeps, negative counts, heads recorded in the future.
    private static string? Problem(StateDocument document, DateTimeOffset now)
    {
        for (var i = 0; i < (document.Findings?.Count ?? 0); i++)
        {
            var f = document.Findings![i];
            var at = $"$.findings[{i}]";
            if (f is null)
            {
                return $"{at} is null.";
            }
            if (!Enum.IsDefined(f.Severity) || !Enum.IsDefined(f.Status) || !Enum.IsDefined(f.Slot) || (f.AlertedSeverity is { } alerted && !Enum.IsDefined(alerted)))
            {
                return $"{at} has a severity, status or slot that is not one of its names.";
            }
            if (f.Message.Length > StoreRules.MaxExcerptLength || f.Source.Length > StoreRules.MaxExcerptLength)
            {
                return $"{at} has a message or source longer than the {StoreRules.MaxExcerptLength} characters the store keeps.";
            }
        }
        for (var i = 0; i < (document.History?.Count ?? 0); i++)
        {
            if (document.History![i] is not { } change)
            {
                return $"$.history[{i}] is null.";
            }
            if (!Enum.IsDefined(change.Status) || !Enum.IsDefined(change.Severity))
            {
                return $"$.history[{i}] has a severity or status that is not one of its names.";
            }
        }
        for (var i = 0; i < (document.Days?.Count ?? 0); i++)
        {
            if (document.Days![i] is not { } day)
            {
                return $"$.days[{i}] is null.";
            }
            if (day.Opened < 0 || day.Resolved < 0)
            {
                return $"$.days[{i}] has a negative count.";
            }
        }
        for (var i = 0; i < (document.Heads?.Count ?? 0); i++)
        {
            if (document.Heads![i] is not { } head)
            {
                return $"$.heads[{i}] is null.";
            }
            // A head recorded in the future would never give way to an older revision when its own is deregistered;
            // the margin allows for the clocks of the machines that share the file.
            if (head.RecordedAt > now + StoreRules.ListingMargin)
            {
                return $"$.heads[{i}] has a recordedAt later than now.";
            }
        }
        for (var i = 0; i < (document.CompleteHeadIndexes?.Count ?? 0); i++)
        {
            if (document.CompleteHeadIndexes![i] is null)
            {
                return $"$.completeHeadIndexes[{i}] is null.";
            }
        }
        return null;
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
