using System.Buffers;
using System.Globalization;
using System.Text;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>
/// The one home for keeping text from input (names, Sids, reasons, file names) from acting on a terminal or a page:
/// control characters and bidirectional formatting characters are written as visible escapes.
/// </summary>
/// <remarks>
/// The escapes look like C/JSON escapes (<c>\x1b</c>, <c>\n</c>, <c>\u202e</c>) rather than a bare <c>?</c>: for a
/// security tool the reader should see that something was there and what it was. Backslashes in the text are left as
/// they are, so ordinary names read unchanged; the escapes are for reading, not for decoding back.
/// </remarks>
public static class TerminalText
{
    // The bidi embeddings, overrides, isolates and marks reorder what is shown (a name can display as something it is
    // not); the Unicode line and paragraph separators break lines where the reader sees none. JSON encoders leave the
    // bidi characters raw.
    private const string BidiAndSeparators = "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";

    private static readonly SearchValues<char> Bidi = SearchValues.Create(BidiAndSeparators);

    // And the control characters (C0 with ESC, BEL, NUL, CR and LF; DEL; C1), which move the cursor or recolour the terminal.
    private static readonly SearchValues<char> Hidden = SearchValues.Create(ControlCharacters() + BidiAndSeparators);

    /// <summary>
    /// The text with every control character written as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\xHH</c> and every
    /// bidirectional formatting character or line separator as <c>\uHHHH</c>. Text without them is returned as it is.
    /// </summary>
    public static string Escape(string text) => EscapeEach(text, Hidden);

    /// <summary>
    /// Serialized JSON with the bidirectional formatting characters and line separators that JSON encoders leave raw
    /// written as <c>\uHHHH</c> escapes: the same JSON value, but one that cannot reorder a terminal's line when printed.
    /// Outside strings JSON is ASCII, so every such character is inside a string, where the escape means the same.
    /// </summary>
    public static string EscapeJson(string json) => EscapeEach(json, Bidi);

    // U+0000-U+001F, U+007F and U+0080-U+009F, which char.IsControl names; a loop, not LINQ, as the Lambda's alerts use
    // this under Native AOT.
    private static string ControlCharacters()
    {
        var controls = new StringBuilder(65);
        for (var c = '\u0000'; c < '\u00a0'; c++)
        {
            if (char.IsControl(c))
            {
                controls.Append(c);
            }
        }
        return controls.ToString();
    }

    private static string EscapeEach(string text, SearchValues<char> escaped)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(escaped);
        if (first < 0)
        {
            return text;
        }
        var result = new StringBuilder(text.Length + 16);
        result.Append(text.AsSpan(0, first));
        foreach (var c in text.AsSpan(first))
        {
            _ = c switch
            {
                _ when !escaped.Contains(c) => result.Append(c),
                '\n' => result.Append("\\n"),
                '\r' => result.Append("\\r"),
                '\t' => result.Append("\\t"),
                < '\u0100' => result.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            };
        }
        return result.ToString();
    }
}
