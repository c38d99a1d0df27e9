using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EcsRoleAuditor.InfrastructureCode.CloudFormation;

/// <summary>A node of a CloudFormation template as written, with its 1-based line; short-form tags already in their long form.</summary>
internal abstract record TemplateNode(int Line);

/// <summary>A scalar; <paramref name="Plain"/> when YAML wrote it unquoted or JSON as a number, boolean or null (its type is YAML's).</summary>
internal sealed record TemplateScalar(string Text, bool Plain, int Line) : TemplateNode(Line);

/// <summary>A mapping, keys in order.</summary>
internal sealed record TemplateMapping(ImmutableArray<TemplateEntry> Entries, int Line) : TemplateNode(Line)
{
    // Keys are unique (the readers refuse duplicates); a template's Resources may hold thousands, looked up by every Ref.
    private FrozenDictionary<string, TemplateNode>? _byKey;

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public TemplateNode? this[string key] => Entries.Length <= 8
        ? Entries.FirstOrDefault(e => e.Key == key)?.Value
        : (_byKey ??= Entries.ToFrozenDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)).GetValueOrDefault(key);

    /// <summary>The one function this mapping calls (<c>{"Fn::Sub": ...}</c>, <c>{"Ref": ...}</c>), or null.</summary>
    public TemplateEntry? Function => Entries.Length == 1 && (Entries[0].Key == "Ref" || Entries[0].Key == "Condition" || Entries[0].Key.StartsWith("Fn::", StringComparison.Ordinal))
        ? Entries[0] : null;
}

/// <summary>A mapping entry.</summary>
internal sealed record TemplateEntry(string Key, TemplateNode Value, int Line);

/// <summary>A sequence.</summary>
internal sealed record TemplateSequence(ImmutableArray<TemplateNode> Items, int Line) : TemplateNode(Line);

/// <summary>Reads a template file (YAML with CloudFormation's short-form tags, or JSON) into <see cref="TemplateNode"/>s.</summary>
internal static class TemplateText
{
    // CloudFormation caps a template at 1 MB (in S3); aliases could make a small YAML file expand without bound.
    private const int MaxNodes = 1_000_000;

    // Deeper than any template: JSON's reader allows the same 256 levels.
    private const int MaxDepth = 256;
    private const int MaxIndentation = 1_000;

    private static readonly Dictionary<string, string> ShortForms = new(StringComparer.Ordinal)
    {
        ["!Ref"] = "Ref", ["!Condition"] = "Condition", ["!GetAtt"] = "Fn::GetAtt", ["!Sub"] = "Fn::Sub", ["!If"] = "Fn::If",
        ["!Equals"] = "Fn::Equals", ["!Not"] = "Fn::Not", ["!And"] = "Fn::And", ["!Or"] = "Fn::Or", ["!Join"] = "Fn::Join",
        ["!Select"] = "Fn::Select", ["!Split"] = "Fn::Split", ["!FindInMap"] = "Fn::FindInMap", ["!GetAZs"] = "Fn::GetAZs",
        ["!ImportValue"] = "Fn::ImportValue", ["!Base64"] = "Fn::Base64", ["!Cidr"] = "Fn::Cidr", ["!Transform"] = "Fn::Transform",
        ["!ToJsonString"] = "Fn::ToJsonString", ["!Length"] = "Fn::Length",
    };

    /// <summary>Parses <paramref name="text"/>; throws <see cref="InputException"/> naming <paramref name="source"/> and the line.</summary>
    public static TemplateMapping Parse(string text, string source)
    {
        var root = text.AsSpan().TrimStart().StartsWith("{") ? ParseJson(text, source) : ParseYaml(text, source);
        return root as TemplateMapping ?? throw new InputException($"{source}:{root.Line}: expected a CloudFormation template (a mapping with \"Resources\")");
    }

    private static TemplateNode ParseYaml(string text, string source)
    {
        CheckNesting(text, source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InputException($"{source}:{e.Start.Line}: not YAML: {e.Message}");
        }
        if (stream.Documents.Count != 1)
        {
            throw new InputException($"{source}: expected one YAML document, found {stream.Documents.Count}");
        }
        var budget = MaxNodes;
        return FromYaml(stream.Documents[0].RootNode, source, ref budget, depth: 0);
    }

    // The YAML reader recurses once per level of nesting: a file nested deeper than any template is refused before it
    // is read, rather than overflowing the stack. Flow collections ([ {) nest without indentation; block ones need a
    // deeper indentation per level, so bounding both bounds the depth. Brackets in strings count too: balanced ones
    // (a Sub's ${...}) never add up, and 256 unbalanced ones are no template.
    private static void CheckNesting(string text, string source)
    {
        var (depth, line, indentation, lineStart) = (0, 1, 0, true);
        foreach (var c in text)
        {
            if (c == '\n')
            {
                (line, indentation, lineStart) = (line + 1, 0, true);
                continue;
            }
            if (lineStart && c == ' ' && ++indentation > MaxIndentation)
            {
                throw new InputException($"{source}:{line}: indented more than {MaxIndentation} spaces; not a template CloudFormation accepts");
            }
            lineStart &= c == ' ';
            if (c is '[' or '{' && ++depth > MaxDepth)
            {
                throw new InputException($"{source}:{line}: nested more than {MaxDepth} levels deep; not a template CloudFormation accepts");
            }
            if (c is ']' or '}')
            {
                depth = Math.Max(0, depth - 1);
            }
        }
    }

    private static TemplateNode FromYaml(YamlNode node, string source, ref int budget, int depth)
    {
        if (--budget < 0)
        {
            throw new InputException($"{source}:{node.Start.Line}: more than {MaxNodes:N0} values (YAML aliases expand); not a template CloudFormation accepts");
        }
        // An alias may name its own ancestor (&a [*a]): nothing but depth ends that.
        if (depth > MaxDepth + MaxIndentation)
        {
            throw new InputException($"{source}:{node.Start.Line}: nested more than {MaxDepth + MaxIndentation} levels deep (a YAML alias inside its own anchor?); not a template CloudFormation accepts");
        }
        var line = (int)node.Start.Line;
        TemplateNode value;
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = ImmutableArray.CreateBuilder<TemplateEntry>();
                var seen = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var (key, item) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new InputException($"{source}:{key.Start.Line}: a mapping key must be text");
                    }
                    if (!seen.TryAdd(name, key.Start.Line))
                    {
                        throw new InputException($"{source}:{key.Start.Line}: the key '{name}' is also at line {seen[name]}; one of them would be lost");
                    }
                    entries.Add(new TemplateEntry(name, FromYaml(item, source, ref budget, depth + 1), (int)key.Start.Line));
                }
                value = new TemplateMapping(entries.ToImmutable(), line);
                break;
            case YamlSequenceNode sequence:
                var items = ImmutableArray.CreateBuilder<TemplateNode>(sequence.Children.Count);
                foreach (var item in sequence.Children)
                {
                    items.Add(FromYaml(item, source, ref budget, depth + 1));
                }
                value = new TemplateSequence(items.MoveToImmutable(), line);
                break;
            case YamlScalarNode scalar:
                value = new TemplateScalar(scalar.Value ?? "", scalar.Style == ScalarStyle.Plain, line);
                break;
            default:
                throw new InputException($"{source}:{line}: unsupported YAML node");
        }
        if (node.Tag.IsEmpty || node.Tag.Value is "!" or "?" or "tag:yaml.org,2002:str")
        {
            return value;
        }
        var tag = node.Tag.Value;
        if (!ShortForms.TryGetValue(tag, out var function))
        {
            throw new InputException($"{source}:{line}: unknown tag {tag} (CloudFormation's short forms are !Ref, !GetAtt, !Sub, !Join, !If, ...)");
        }
        // !GetAtt Resource.Attribute is the one short form whose scalar splits into a list (at the first dot).
        if (function == "Fn::GetAtt" && value is TemplateScalar text)
        {
            var dot = text.Text.IndexOf('.', StringComparison.Ordinal);
            value = dot < 0 ? value : new TemplateSequence([text with { Text = text.Text[..dot], Plain = false }, text with { Text = text.Text[(dot + 1)..], Plain = false }], line);
        }
        return new TemplateMapping([new TemplateEntry(function, value, line)], line);
    }

    private static TemplateNode ParseJson(string text, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            reader.Read();
            var root = FromJson(ref reader, source, lineStarts);
            if (reader.Read())
            {
                throw new InputException($"{source}:{LineOf(lineStarts, reader.TokenStartIndex)}: text after the template");
            }
            return root;
        }
        catch (JsonException e)
        {
            throw new InputException($"{source}:{(e.LineNumber ?? 0) + 1}: not JSON: {e.Message.Split('.')[0]}");
        }
    }

    private static int LineOf(List<int> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch((int)offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private static TemplateNode FromJson(ref Utf8JsonReader reader, string source, List<int> lineStarts)
    {
        var line = LineOf(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = ImmutableArray.CreateBuilder<TemplateEntry>();
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var keyLine = LineOf(lineStarts, reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    if (!seen.TryAdd(name, keyLine))
                    {
                        throw new InputException($"{source}:{keyLine}: the key '{name}' is also at line {seen[name]}; one of them would be lost");
                    }
                    reader.Read();
                    entries.Add(new TemplateEntry(name, FromJson(ref reader, source, lineStarts), keyLine));
                }
                return new TemplateMapping(entries.ToImmutable(), line);
            case JsonTokenType.StartArray:
                var items = ImmutableArray.CreateBuilder<TemplateNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(FromJson(ref reader, source, lineStarts));
                }
                return new TemplateSequence(items.ToImmutable(), line);
            case JsonTokenType.String:
                return new TemplateScalar(reader.GetString()!, Plain: false, line);
            case JsonTokenType.Number:
                return new TemplateScalar(Encoding.UTF8.GetString(reader.ValueSpan), Plain: true, line);
            case JsonTokenType.True:
                return new TemplateScalar("true", Plain: true, line);
            case JsonTokenType.False:
                return new TemplateScalar("false", Plain: true, line);
            default:
                return new TemplateScalar("null", Plain: true, line);
        }
    }
}
