using System.Text;
using System.Text.Json;

namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>Turns document text into parsed JSON: strips a BOM, URL-decodes IAM API output, parses strictly and locates syntax errors.</summary>
internal static class PolicyText
{
    /// <summary>The deepest nesting accepted. A policy needs 6 levels (document, Statement array, statement, Condition, operator, value array); anything deeper is not a policy, and a limit keeps hostile input from exhausting the stack.</summary>
    public const int MaxDepth = 16;

    // AWS accepts neither comments nor trailing commas in policies, so neither do we.
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    private const char ByteOrderMark = '\uFEFF';

    /// <summary>The JSON text of a document given as JSON or URL-encoded JSON.</summary>
    /// <param name="text">The text as given.</param>
    /// <param name="urlDecoded">True when the text was URL-encoded (as IAM's GetPolicyVersion and GetRolePolicy return documents).</param>
    public static string Decode(string text, out bool urlDecoded)
    {
        var json = WithoutByteOrderMark(text);
        var first = json.AsSpan().TrimStart();
        // JSON starts with '{' (or, for a JSON string holding the document, '"'); IAM's encoding starts with "%7B".
        urlDecoded = first.Length > 0 && first[0] is not ('{' or '"' or '[') && first.Contains('%');
        // UnescapeDataString, not form decoding: IAM encodes with %XX only, and '+' is a literal plus (e.g. in "a+b@example.com").
        return urlDecoded ? WithoutByteOrderMark(Uri.UnescapeDataString(json.Trim())) : json;
    }

    /// <summary>Parses JSON text strictly; a syntax error becomes a <see cref="PolicyParseError"/> with a 1-based line and character column.</summary>
    public static JsonDocument Parse(string json, Func<PolicyParseError, Exception> fail, string? context)
    {
        // Our own transcoding replaces lone surrogates with U+FFFD; JsonDocument.Parse(string) would throw ArgumentException for them.
        var utf8 = Encoding.UTF8.GetBytes(json);
        try
        {
            var document = JsonDocument.Parse(utf8, Options);
            if (FindInvalidEscape(utf8) is { } invalid)
            {
                document.Dispose();
                var (line, column, _) = Position(utf8, invalid.Line, invalid.BytePositionInLine);
                var message = "invalid JSON: a string holds an escaped lone surrogate (a \\uD800-\\uDFFF escape without its pair), which is not valid text";
                throw fail(new PolicyParseError(context is null ? message : $"{message} ({context})", null, line, column));
            }
            return document;
        }
        catch (JsonException e)
        {
            var (line, column, offset) = Position(utf8, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            var message = IsCommentAt(utf8, offset) ? "invalid JSON: comments are not allowed in a policy document" : SyntaxMessage(e.Message);
            throw fail(new PolicyParseError(context is null ? message : $"{message} ({context})", null, line, column));
        }
    }

    // JsonDocument accepts "\udc4c" in a string and throws InvalidOperationException only when the string is read, deep in
    // the grammar checks. Strings are checked here instead, once, so the error has a line and column. The scan runs only
    // when the text contains a "\u" escape of a surrogate, so ordinary documents pay one vectorised search.
    private static (long Line, long BytePositionInLine)? FindInvalidEscape(byte[] utf8)
    {
        if (!MayHoldSurrogateEscape(utf8))
        {
            return null;
        }
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = Options.AllowTrailingCommas, CommentHandling = Options.CommentHandling, MaxDepth = Options.MaxDepth });
        var lineStart = 0L;
        var line = 0L;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    for (var i = lineStart; i < reader.TokenStartIndex; i++)
                    {
                        if (utf8[i] == (byte)'\n')
                        {
                            line++;
                            lineStart = i + 1;
                        }
                    }
                    return (line, reader.TokenStartIndex - lineStart);
                }
            }
        }
        return null;
    }

    private static bool MayHoldSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        for (var at = utf8.IndexOf("\\u"u8); at >= 0 && at + 3 < utf8.Length; at = NextEscape(utf8, at))
        {
            if (utf8[at + 2] is (byte)'d' or (byte)'D' && utf8[at + 3] is >= (byte)'8' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F')
            {
                return true;
            }
        }
        return false;
    }

    private static int NextEscape(ReadOnlySpan<byte> utf8, int at)
    {
        var next = utf8[(at + 2)..].IndexOf("\\u"u8);
        return next < 0 ? -1 : at + 2 + next;
    }

    private static string WithoutByteOrderMark(string text) =>
        text.Length > 0 && text[0] == ByteOrderMark ? text[1..] : text;

    // System.Text.Json reports a 0-based line and a 0-based byte offset in that line; people count characters from 1.
    private static (long Line, long Column, int Offset) Position(byte[] utf8, long line, long bytePosition)
    {
        var lineStart = 0;
        for (var skipped = 0L; skipped < line; skipped++)
        {
            var newline = utf8.AsSpan(lineStart).IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }
            lineStart += newline + 1;
        }
        var length = (int)Math.Clamp(bytePosition, 0, utf8.Length - lineStart);
        return (line + 1, Encoding.UTF8.GetCharCount(utf8, lineStart, length) + 1, lineStart + length);
    }

    // With comments disallowed System.Text.Json reports "'/' is invalid after a value"; say what the author did instead.
    private static bool IsCommentAt(byte[] utf8, int offset) =>
        utf8.AsSpan(offset) is [(byte)'/', (byte)'/' or (byte)'*', ..];

    // System.Text.Json appends its own location ("Path: $ | LineNumber: 0 | ...") and advice about reader options that
    // means nothing to someone fixing a policy; keep the description and say it in the policy's terms.
    private static string SyntaxMessage(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }
        var description = (cut < 0 ? message : message[..cut]).Trim();
        if (description.Contains("trailing comma", StringComparison.OrdinalIgnoreCase))
        {
            return "invalid JSON: a trailing comma before a closing bracket or brace is not allowed";
        }
        if (description.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            return $"invalid JSON for a policy: nested deeper than {MaxDepth} levels";
        }
        return "invalid JSON: " + description.Replace(" Change the reader options.", "", StringComparison.Ordinal);
    }
}
