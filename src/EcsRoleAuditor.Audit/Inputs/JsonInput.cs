using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace EcsRoleAuditor.Audit.Inputs;

/// <summary>
/// Parses untrusted JSON input strictly: UTF-8 that is valid, an optional byte order mark, and no key twice in an object
/// (last-wins would let a second copy hide the first). Every failure is an <see cref="InputException"/> naming the source and
/// the place.
/// </summary>
public static class JsonInput
{
    /// <summary>What is wrong with a JSON string that holds a "\udc00"-style escape without its pair: valid JSON, but no text.</summary>
    public const string LoneSurrogate = "the string holds an escaped lone surrogate (a \\uD800-\\uDFFF escape without its pair), which is not valid text";

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The most bytes any input may hold: 256 MiB. A large account's get-account-authorization-details output is tens of
    /// megabytes; the limit keeps a wrong or hostile file from exhausting memory, and far below the 2 GiB a .NET array holds.
    /// </summary>
    public const long MaxInputBytes = 256L * 1024 * 1024;

    /// <summary>
    /// All bytes of <paramref name="stream"/>, refused (<see cref="InputException"/>) as soon as they pass
    /// <paramref name="limit"/>: a file by its length before any is read, a stream that cannot tell its length
    /// (standard input, a pipe, a device) by counting.
    /// </summary>
    public static ReadOnlyMemory<byte> ReadCapped(Stream stream, string name, string what, long limit = MaxInputBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek && stream.Length > limit)
        {
            throw TooLarge(name, what, limit);
        }
        using var content = new MemoryStream(stream.CanSeek ? (int)stream.Length : 0);
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (content.Length + read > limit)
            {
                throw TooLarge(name, what, limit);
            }
            content.Write(buffer, 0, read);
        }
        return content.GetBuffer().AsMemory(0, (int)content.Length);
    }

    private static InputException TooLarge(string name, string what, long limit) =>
        new($"{name}: {what} is larger than {(limit % (1024 * 1024) == 0 ? $"{limit / (1024 * 1024)} MiB" : $"{limit} bytes")}, the most an input may hold");

    /// <summary>Parses <paramref name="utf8"/>; the document keeps a reference to it.</summary>
    /// <param name="utf8">The input's bytes.</param>
    /// <param name="source">The file or variable, named first in every message.</param>
    /// <param name="options">Depth, comments and trailing commas; duplicate keys are rejected whatever these say.</param>
    /// <param name="what">What the input is ("the event"), or null.</param>
    /// <param name="quote">False when the input may hold secrets (an environment variable): messages then give positions only, never the input's text.</param>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string source, JsonDocumentOptions options, string? what = null, bool quote = true)
    {
        var json = WithoutByteOrderMark(utf8, source);
        var strict = options with { AllowDuplicateProperties = false };
        try
        {
            return JsonDocument.Parse(json, strict);
        }
        catch (JsonException e) when (e.LineNumber is { } line)
        {
            var where = $"{source}: {(what is null ? "not valid JSON" : $"{what} is not valid JSON")} at line {line + 1}, column {e.BytePositionInLine + 1}";
            throw new InputException(quote ? $"{where}: {e.Message.Split(" LineNumber:")[0]}" : where);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The reader accepted the text, so the parser refused a repeated key, or a key it could not compare because it
            // is not text; it says neither which nor where.
            throw new InputException($"{source}: {KeyProblem(json.Span, strict, quote)}");
        }
    }

    /// <summary>The text of <paramref name="utf8"/> (without a byte order mark) once it is known to be valid UTF-8.</summary>
    public static string Text(ReadOnlyMemory<byte> utf8, string source) => Encoding.UTF8.GetString(WithoutByteOrderMark(utf8, source).Span);

    /// <summary>The input without a leading byte order mark; throws when it is not UTF-8, naming the offset in the input.</summary>
    private static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> utf8, string source)
    {
        if (InvalidUtf8At(utf8.Span) is { } offset)
        {
            // An offset as hexdump and xxd print it, counting from 0, so the byte can be found in the file.
            throw new InputException($"{source}: invalid UTF-8 at byte {offset}");
        }
        return utf8.Span.StartsWith(ByteOrderMark) ? utf8[ByteOrderMark.Length..] : utf8;
    }

    /// <summary>Text from the input as a JSON string holds it (without the quotes), so a control character in it cannot break a message's single line.</summary>
    public static string Shown(string text) => JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null when all of it is valid.</summary>
    internal static long? InvalidUtf8At(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            return null;
        }
        var offset = 0;
        while (Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }
        return offset;
    }

    /// <summary>Finds the first key that an object repeats or that is not text, and says where: its JSON path and line, or with <paramref name="quote"/> false only the line and column.</summary>
    private static string KeyProblem(ReadOnlySpan<byte> json, JsonDocumentOptions options, bool quote)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.CommentHandling,
            MaxDepth = options.MaxDepth,
        });
        var open = new Stack<Container>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var parent = open.Peek();
                    if (KeyText(ref reader) is not { } key)
                    {
                        var at = Place(json, reader.TokenStartIndex);
                        return quote ? $"{parent.Path}: a key {at}: {LoneSurrogate}" : $"a key {at} holds an escaped lone surrogate, which is not valid text";
                    }
                    var shown = Shown(key);
                    if (!parent.Keys!.Add(key))
                    {
                        var at = Place(json, reader.TokenStartIndex);
                        return (quote ? $"{parent.Path}.{shown}: duplicate key \"{shown}\" ({at})" : $"a duplicate key {at}") + "; a key may appear once in an object";
                    }
                    parent.LastKey = shown;
                    break;
                case JsonTokenType.StartObject:
                    open.Push(new Container(ValuePath(open), new HashSet<string>(StringComparer.Ordinal)));
                    break;
                case JsonTokenType.StartArray:
                    open.Push(new Container(ValuePath(open), null));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    break;
                case JsonTokenType.Comment:
                    break;
                default:
                    if (open.TryPeek(out var array) && array.Keys is null)
                    {
                        array.Items++; // a scalar takes its place in an array
                    }
                    break;
            }
        }
        return "a key appears twice in an object";
    }

    private static string? KeyText(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The path of the value that starts now; in an array it takes the next index.</summary>
    private static string ValuePath(Stack<Container> open) =>
        open.TryPeek(out var parent)
            ? parent.Keys is null ? $"{parent.Path}[{parent.Items++}]" : $"{parent.Path}.{parent.LastKey}"
            : "$";

    /// <summary>"at line L, column C" of a byte offset, both counted from 1 as editors do; computed once, for the error.</summary>
    private static string Place(ReadOnlySpan<byte> json, long offset)
    {
        var before = json[..(int)offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return $"at line {before.Count((byte)'\n') + 1}, column {Encoding.UTF8.GetCharCount(before[lineStart..]) + 1}";
    }

    /// <summary>An object (with the keys seen so far) or an array (with the items seen so far) being read.</summary>
    private sealed class Container(string path, HashSet<string>? keys)
    {
        public string Path { get; } = path;

        public HashSet<string>? Keys { get; } = keys;

        public string LastKey { get; set; } = "";

        public int Items { get; set; }
    }
}
