using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>Renders JSON values for error messages.</summary>
internal static class JsonText
{
    private const int MaxQuotedLength = 80;

    /// <summary>The value in double quotes, JSON-escaped so it stays on one line, shortened when long.</summary>
    public static string Quote(string value)
    {
        var shown = value.Length > MaxQuotedLength ? value[..MaxQuotedLength] : value;
        var text = new StringBuilder(shown.Length + 2).Append('"');
        AppendEscaped(text, shown, '"');
        text.Append('"');
        if (shown.Length < value.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"... ({value.Length} characters)");
        }
        return text.ToString();
    }

    /// <summary>
    /// Appends text with the quote character and backslashes escaped and control characters written as escapes, so it
    /// can be read back and stays on one line.
    /// </summary>
    public static void AppendEscaped(StringBuilder text, string value, char quote)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case var q when q == quote:
                    text.Append('\\').Append(c);
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case var control when char.IsControl(control):
                    text.Append(CultureInfo.InvariantCulture, $"\\u{(int)control:x4}");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    /// <summary>What a JSON value is, with an article: "a string", "an array", "null".</summary>
    public static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
