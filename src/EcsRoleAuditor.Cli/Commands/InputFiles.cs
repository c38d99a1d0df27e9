using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Suppressions;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>Opening the files (and standard input) and embedded resources commands read, with errors that name the file and the place.</summary>
internal static class InputFiles
{
    /// <summary>The most bytes any input may hold (<see cref="JsonInput.MaxInputBytes"/>).</summary>
    public const long MaxBytes = JsonInput.MaxInputBytes;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    /// <summary>Parses a JSON file ('-' is standard input); any failure is a <see cref="UsageException"/> naming the file.</summary>
    /// <param name="file">The file.</param>
    /// <param name="what">What the file is, for the message: "the cases file", "the IAM file".</param>
    public static JsonDocument OpenJson(FileInfo file, string what)
    {
        var (name, bytes) = Read(file, what);
        return Checked(() => JsonInput.Parse(bytes, name, Options, what));
    }

    /// <summary>Reads a UTF-8 text file ('-' is standard input); a failure is a <see cref="UsageException"/> naming the file.</summary>
    public static string ReadText(FileInfo file, string what)
    {
        var (name, bytes) = Read(file, what);
        return Checked(() => JsonInput.Text(bytes, name));
    }

    /// <summary>Reads and checks a suppressions file, with errors that name it; the text too, for <c>event</c>, which hands it to the handler as <c>SUPPRESSIONS</c>.</summary>
    public static (string Text, ImmutableArray<Suppression> Suppressions) ReadSuppressions(FileInfo file)
    {
        var text = ReadText(file, "the suppressions file");
        return (text, Checked(() => SuppressionConfig.Parse(text, file.ToString())));
    }

    /// <summary>Parses a JSON file embedded in this assembly under <paramref name="logicalName"/>.</summary>
    public static JsonDocument OpenResource(string logicalName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"The embedded file {logicalName} is missing from the assembly.");
        return JsonDocument.Parse(stream);
    }

    private static (string Name, ReadOnlyMemory<byte> Bytes) Read(FileInfo file, string what)
    {
        var standardInput = file.Name == "-";
        var name = standardInput ? "standard input" : file.FullName;
        try
        {
            using var stream = standardInput ? Console.OpenStandardInput() : file.OpenRead();
            return (name, ReadCapped(stream, name, what, MaxBytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{name}: cannot read {what}: {e.Message}");
        }
    }

    /// <summary><see cref="JsonInput.ReadCapped"/>, its refusal a usage error.</summary>
    internal static ReadOnlyMemory<byte> ReadCapped(Stream stream, string name, string what, long limit) =>
        Checked(() => JsonInput.ReadCapped(stream, name, what, limit));

    /// <summary>Runs a reader whose <see cref="InputException"/> (which names the file and place) becomes a usage error.</summary>
    public static T Checked<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InputException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
