using System.Text;
using System.Text.Json;

namespace EcsRoleAuditor.TestData.Fuzzing;

/// <summary>
/// One change to a valid input file, the way a careless user or an attacker would make it. Structural changes address a
/// JSON value by its number in document order (0 is the root), so a change is small to print and replays exactly.
/// </summary>
public abstract record InputMutation
{
    /// <summary>The file's bytes after the change.</summary>
    public abstract byte[] Apply(byte[] original);
}

/// <summary>The value number <paramref name="Node"/> becomes another JSON text (wrong type, null, hostile string, deep nesting).</summary>
public sealed record ReplaceValue(int Node, string Replacement, string Label) : InputMutation
{
    public override byte[] Apply(byte[] original) => JsonRewriter.Rewrite(original, Node, (writer, element, name) =>
    {
        if (name is not null)
        {
            writer.WritePropertyName(name);
        }
        writer.WriteRawValue(Replacement, skipInputValidation: true);
    });

    public override string ToString() => $"value #{Node} := {Label}";
}

/// <summary>The property holding value number <paramref name="Node"/> is left out (a missing required key), or the array element is.</summary>
public sealed record RemoveValue(int Node) : InputMutation
{
    public override byte[] Apply(byte[] original) => JsonRewriter.Rewrite(original, Node, (_, _, _) => { });

    public override string ToString() => $"value #{Node} removed";
}

/// <summary>The property or array element holding value number <paramref name="Node"/> appears <paramref name="Copies"/> times: duplicate keys, duplicate roles, size growth.</summary>
public sealed record RepeatValue(int Node, int Copies, string? SecondCopy) : InputMutation
{
    public override byte[] Apply(byte[] original) => JsonRewriter.Rewrite(original, Node, (writer, element, name) =>
    {
        for (var i = 0; i < Copies; i++)
        {
            if (name is not null)
            {
                writer.WritePropertyName(name);
            }
            if (i > 0 && SecondCopy is not null)
            {
                writer.WriteRawValue(SecondCopy, skipInputValidation: true);
            }
            else
            {
                element.WriteTo(writer);
            }
        }
    });

    public override string ToString() => $"value #{Node} × {Copies}" + (SecondCopy is null ? "" : $" (later copies {Shorten(SecondCopy)})");

    private static string Shorten(string text) => text.Length <= 40 ? text : $"{text[..40]}… ({text.Length} chars)";
}

/// <summary>The property holding value number <paramref name="Node"/> gets another name: a misspelt or unknown key, a hostile one.</summary>
public sealed record RenameKey(int Node, string NewName) : InputMutation
{
    public override byte[] Apply(byte[] original) => JsonRewriter.Rewrite(original, Node, (writer, element, name) =>
    {
        writer.WritePropertyName(name is null ? NewName : name + NewName);
        element.WriteTo(writer);
    });

    public override string ToString() => $"key of value #{Node} += {JsonSerializer.Serialize(NewName)}";
}

/// <summary>Bytes inserted at a fraction of the file: invalid UTF-8, control characters, a byte order mark.</summary>
public sealed record InsertBytes(double At, byte[] Bytes, string Label) : InputMutation
{
    public override byte[] Apply(byte[] original)
    {
        var offset = (int)(original.Length * At);
        return [.. original.AsSpan(0, offset), .. Bytes, .. original.AsSpan(offset)];
    }

    public override string ToString() => $"{Label} inserted at {At:P0}";
}

/// <summary>The file cut short: an interrupted download or copy.</summary>
public sealed record Truncate(double At) : InputMutation
{
    public override byte[] Apply(byte[] original) => original.AsSpan(0, (int)(original.Length * At)).ToArray();

    public override string ToString() => $"truncated at {At:P0}";
}

/// <summary>The whole file replaced: empty, not JSON, the wrong top-level kind.</summary>
public sealed record ReplaceFile(string Content, string Label) : InputMutation
{
    public override byte[] Apply(byte[] original) => Encoding.UTF8.GetBytes(Content);

    public override string ToString() => $"file := {Label}";
}

/// <summary>Rewrites JSON value by value, handing one value (by number, in document order) to a callback.</summary>
public static class JsonRewriter
{
    /// <summary>Writes the target value; gets the writer, the value and its property name (null in an array or at the root).</summary>
    public delegate void TargetWriter(Utf8JsonWriter writer, JsonElement element, string? propertyName);

    /// <summary>The number of values in the document (objects, arrays and scalars, the root included).</summary>
    public static int CountValues(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return Count(document.RootElement);
    }

    public static byte[] Rewrite(byte[] json, int target, TargetWriter writeTarget)
    {
        using var document = JsonDocument.Parse(json);
        var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, SkipValidation = true }))
        {
            var next = 0;
            Write(writer, document.RootElement, null, target, ref next, writeTarget);
        }
        return output.ToArray();
    }

    private static int Count(JsonElement element) => 1 + element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Sum(p => Count(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Sum(Count),
        _ => 0,
    };

    private static void Write(Utf8JsonWriter writer, JsonElement element, string? name, int target, ref int next, TargetWriter writeTarget)
    {
        if (next++ == target)
        {
            writeTarget(writer, element, name);
            next += Count(element) - 1;
            return;
        }
        if (name is not null)
        {
            writer.WritePropertyName(name);
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    Write(writer, property.Value, property.Name, target, ref next, writeTarget);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, null, target, ref next, writeTarget);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
