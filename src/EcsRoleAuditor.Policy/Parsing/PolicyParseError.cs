using System.Globalization;
using System.Text;

namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>What went wrong and where.</summary>
/// <param name="Message">A sentence a person understands, e.g. <c>Effect must be "Allow" or "Deny" (case-sensitive), not "allow "</c>.</param>
/// <param name="JsonPath">The JSON path of the offending element (<c>$.Statement[1].Effect</c>), for structural errors.</param>
/// <param name="Line">1-based line, for JSON syntax errors.</param>
/// <param name="Column">1-based column (in characters), for JSON syntax errors.</param>
public sealed record PolicyParseError(string Message, string? JsonPath, long? Line, long? Column)
{
    /// <summary>The name of the document, as given to the parser (a policy ARN, "inline:NAME", a file name).</summary>
    public string PolicyName { get; init; } = "";

    /// <summary>The place of the error: the JSON path, else <c>line:column</c>, else null when the error has no place (e.g. null text).</summary>
    public string? Location => JsonPath ?? (Line is { } line
        ? string.Create(CultureInfo.InvariantCulture, $"{line}:{Column ?? 1}")
        : null);

    /// <summary>One line: <c>&lt;name&gt;: &lt;path or line:column&gt;: &lt;message&gt;</c>; parts that are empty are left out.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (PolicyName.Length > 0)
        {
            text.Append(PolicyName).Append(": ");
        }
        if (Location is { } location)
        {
            text.Append(location).Append(": ");
        }
        text.Append(Message);
        // Names come from callers and may hold line breaks; the error must stay one line for logs and terminals.
        return text.Replace('\r', ' ').Replace('\n', ' ').ToString();
    }
}
