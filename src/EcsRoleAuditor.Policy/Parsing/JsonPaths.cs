using System.Globalization;
using System.Text;

namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>Builds JSON paths such as <c>$.Statement[0].Condition.StringEquals['aws:SourceAccount']</c>.</summary>
internal static class JsonPaths
{
    /// <summary>The path of the document itself.</summary>
    public const string Root = "$";

    /// <summary>The path of a property: dot notation for identifier-like names, bracket notation for anything else.</summary>
    public static string Property(string parent, string name) =>
        IsIdentifier(name) ? string.Concat(parent, ".", name) : string.Concat(parent, "['", Escape(name), "']");

    /// <summary>The path of an array item.</summary>
    public static string Index(string parent, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    // Quotes and backslashes are escaped so the bracket can be read back; control characters so the path stays on one line.
    private static string Escape(string name)
    {
        if (!name.AsSpan().ContainsAny("'\\") && !name.Any(char.IsControl))
        {
            return name;
        }
        var text = new StringBuilder(name.Length + 8);
        JsonText.AppendEscaped(text, name, '\'');
        return text.ToString();
    }
}
