using System.Globalization;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// The bound on each string of a log line or error report. Event names, families and messages that quote them come
/// from the invocation, which can hold megabytes; a log line stays short and says how much was left out.
/// </summary>
internal static class LoggedText
{
    /// <summary>The most characters of one value that are written, before the truncation marker.</summary>
    public const int MaxLength = 400;

    /// <summary>
    /// <paramref name="text"/> when it is at most <see cref="MaxLength"/> characters; otherwise its start and
    /// <c>…[truncated N characters]</c>. Redact before bounding, so that no cut can leave half a secret.
    /// </summary>
    public static string Bounded(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= MaxLength)
        {
            return text;
        }
        // Never keep half a surrogate pair.
        var kept = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, kept)}…[truncated {text.Length - kept} characters]");
    }
}
