using System.Reflection;
using System.Text.Json;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>Opening the JSON files and embedded resources commands read, with errors that name the file and the place.</summary>
internal static class InputFiles
{
    /// <summary>Parses a JSON file ('-' is standard input); any failure is a <see cref="UsageException"/> naming the file.</summary>
    /// <param name="file">The file.</param>
    /// <param name="what">What the file is, for the message: "the cases file", "the IAM file".</param>
    public static JsonDocument OpenJson(FileInfo file, string what)
    {
        var name = file.Name == "-" ? "standard input" : file.FullName;
        try
        {
            using var stream = file.Name == "-" ? Console.OpenStandardInput() : file.OpenRead();
            return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new UsageException($"{name}: {what} is not valid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: {e.Message.Split(" LineNumber:")[0]}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{name}: cannot read {what}: {e.Message}");
        }
    }

    /// <summary>Reads a text file; a failure is a <see cref="UsageException"/> naming the file.</summary>
    public static string ReadText(FileInfo file, string what)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{file.FullName}: cannot read {what}: {e.Message}");
        }
    }

    /// <summary>Parses a JSON file embedded in this assembly under <paramref name="logicalName"/>.</summary>
    public static JsonDocument OpenResource(string logicalName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"The embedded file {logicalName} is missing from the assembly.");
        return JsonDocument.Parse(stream);
    }
}
