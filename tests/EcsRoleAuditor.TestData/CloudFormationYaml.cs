using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EcsRoleAuditor.TestData;

/// <summary>
/// Reads a CloudFormation YAML template into JSON nodes, the way CloudFormation does: the short-form tags become their
/// long forms (<c>!Ref X</c> → <c>{"Ref":"X"}</c>, <c>!GetAtt A.B</c> → <c>{"Fn::GetAtt":["A","B"]}</c>, <c>!Sub</c>,
/// <c>!If</c>, ... → <c>{"Fn::Sub": ...}</c>), plain scalars get their YAML 1.1 types, quoted scalars stay strings.
/// </summary>
public static class CloudFormationYaml
{
    // The short-form tags CloudFormation defines; any other tag is an error, as it is for CloudFormation.
    private static readonly Dictionary<string, string> ShortForms = new(StringComparer.Ordinal)
    {
        ["!Ref"] = "Ref", ["!Condition"] = "Condition", ["!GetAtt"] = "Fn::GetAtt", ["!Sub"] = "Fn::Sub", ["!If"] = "Fn::If",
        ["!Equals"] = "Fn::Equals", ["!Not"] = "Fn::Not", ["!And"] = "Fn::And", ["!Or"] = "Fn::Or", ["!Join"] = "Fn::Join",
        ["!Select"] = "Fn::Select", ["!Split"] = "Fn::Split", ["!FindInMap"] = "Fn::FindInMap", ["!GetAZs"] = "Fn::GetAZs",
        ["!ImportValue"] = "Fn::ImportValue", ["!Base64"] = "Fn::Base64", ["!Cidr"] = "Fn::Cidr",
    };

    /// <summary>The template at <paramref name="path"/>, as JSON with the long forms of intrinsic functions.</summary>
    public static JsonObject Read(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }
        return (JsonObject)Convert(stream.Documents.Single().RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new InvalidOperationException($"Unsupported YAML node at {node.Start}."),
        };
        if (node.Tag.IsEmpty || node.Tag.Value is "tag:yaml.org,2002:str" or "?" or "!")
        {
            return value;
        }
        var tag = node.Tag.Value;
        if (!ShortForms.TryGetValue(tag, out var function))
        {
            throw new YamlException(node.Start, node.End, $"Unknown tag {tag}.");
        }
        // !GetAtt Resource.Attribute is the one short form whose scalar splits into a list.
        if (function == "Fn::GetAtt" && value is JsonValue text)
        {
            var parts = text.GetValue<string>().Split('.', 2);
            value = new JsonArray(parts[0], parts[1]);
        }
        return new JsonObject { [function] = value };
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        return text switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
