using System.Globalization;
using System.Text;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>
/// The one home for keeping text from input (names, Sids, reasons, file names) from acting on a terminal or a page:
/// control characters and invisible formatting characters are written as visible escapes.
/// </summary>
/// <remarks>
/// The escapes look like C/JSON escapes (<c>\x1b</c>, <c>\n</c>, <c>\u202e</c>) rather than a bare <c>?</c>: for a
/// security tool the reader should see that something was there and what it was. Backslashes in the text are left as
/// they are, so ordinary names read unchanged; the escapes are for reading, not for decoding back.
/// </remarks>
public static class TerminalText
{
    /// <summary>
    /// The text with every control character written as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\xHH</c> and every
    /// invisible formatting character (bidirectional controls, zero-width characters, Unicode tag characters) or line
    /// separator as <c>\uHHHH</c> (<c>\UHHHHHHHH</c> beyond the Basic Multilingual Plane). Text without them is returned as it is.
    /// </summary>
    public static string Escape(string text) => EscapeEach(text, json: false);

    /// <summary>
    /// Serialized JSON with the invisible formatting characters and line separators that JSON encoders leave raw written
    /// as <c>\uHHHH</c> escapes: the same JSON value, but one that cannot reorder or hide part of a terminal's line.
    /// Outside strings JSON is ASCII, so every such character is inside a string, where the escape means the same.
    /// </summary>
    public static string EscapeJson(string json) => EscapeEach(json, json: true);

    // Format characters (Unicode category Cf) change how text is shown without being seen: the bidi embeddings,
    // overrides, isolates and marks reorder a line (a name can display as something it is not), zero-width characters
    // make two names look the same, and the tag characters U+E0000-U+E007F carry a hidden copy of ASCII text. The line
    // and paragraph separators break lines where the reader sees none. Control characters (C0, DEL, C1) move the cursor
    // or recolour the terminal; a JSON encoder escapes those already.
    private static bool IsHidden(UnicodeCategory category, bool json) =>
        category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || (!json && category == UnicodeCategory.Control);

    private static string EscapeEach(string text, bool json)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Printable ASCII is the common case and needs no look at categories.
        var first = text.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        if (first < 0)
        {
            return text;
        }
        StringBuilder? result = null;
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var hidden = pair
                ? IsHidden(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1])), json)
                : (!json && char.IsSurrogate(c)) || IsHidden(CharUnicodeInfo.GetUnicodeCategory(c), json);
            if (!hidden)
            {
                result?.Append(c);
                if (pair)
                {
                    i++;
                    result?.Append(text[i]);
                }
                continue;
            }
            result ??= new StringBuilder(text.Length + 16).Append(text.AsSpan(0, i));
            _ = c switch
            {
                _ when pair && json => result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}\\u{(int)text[i + 1]:x4}"),
                _ when pair => result.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, text[i + 1]):x8}"),
                '\n' => result.Append("\\n"),
                '\r' => result.Append("\\r"),
                '\t' => result.Append("\\t"),
                < '\u0100' => result.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            };
            if (pair)
            {
                i++;
            }
        }
        return result?.ToString() ?? text;
    }
}
