using System.Text.Encodings.Web;
using System.Text.Json;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>How the command line writes JSON: readable text (quotes and apostrophes as themselves, not \u0022), for terminals, files and pipes, never HTML.</summary>
internal static class JsonOutput
{
    public static JsonWriterOptions Options(bool indented = false) => new()
    {
        Indented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
