using System.Text;
using System.Text.Json;
using CsCheck;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Policy.Tests.Parsing;

public class PolicyParserPropertyTests
{
    private const long Iterations = 3_000;

    /// <summary>Parses text every way the parser takes it; only a model or a <see cref="PolicyParseException"/> may come out.</summary>
    private static void ParsesOrFailsCleanly(string text)
    {
        foreach (var kind in (PolicyKind[])[PolicyKind.Identity, PolicyKind.Resource])
        {
            try
            {
                PolicyParser.Parse(text, "fuzz", kind);
            }
            catch (PolicyParseException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Error.Message));
                Assert.DoesNotContain('\n', e.Error.ToString());
                Assert.True(e.Error.JsonPath is not null || e.Error.Line is not null, $"error without a place: {e.Error}");
            }
            PolicyParser.TryParse(text, "fuzz", kind, out _, out _);
        }
    }

    private static void ElementParsesOrFailsCleanly(string text)
    {
        JsonDocument document;
        try
        {
            // Bytes, not the string: JsonDocument.Parse(string) rejects lone surrogates before any JSON is read.
            document = JsonDocument.Parse(Encoding.UTF8.GetBytes(text));
        }
        catch (JsonException)
        {
            return;
        }
        using (document)
        {
            try
            {
                PolicyParser.Parse(document.RootElement, "fuzz", PolicyKind.Resource);
            }
            catch (PolicyParseException)
            {
            }
        }
    }

    // Characters that make JSON and policies: enough structure that random text reaches past the first token.
    private static readonly Gen<char> JsonishChar = Gen.Frequency(
        (6, Gen.Char["{}[]\":,\\ %7B22*"]),
        (4, Gen.Char['a', 'z']),
        (2, Gen.Char[' ', '~']),
        (1, Gen.Char),
        (1, Gen.Char['\ud800', '\udfff']));

    private static readonly Gen<string> Noise = Gen.OneOf(
        Gen.String,
        JsonishChar.Array[0, 60].Select(chars => new string(chars)),
        Gen.Byte.Array[0, 80].Select(bytes => Encoding.UTF8.GetString(bytes)),
        Gen.Byte.Array[0, 80].Select(bytes => Encoding.Latin1.GetString(bytes)));

    [Fact]
    public void Arbitrary_text_parses_or_fails_with_a_policy_parse_error()
    {
        Noise.Sample(text =>
        {
            ParsesOrFailsCleanly(text);
            ParsesOrFailsCleanly("%" + text);
            ElementParsesOrFailsCleanly(text);
        }, iter: Iterations);
    }

    private enum Edit
    {
        Delete,
        Insert,
        Replace,
    }

    private static readonly Gen<(PolicyKind Kind, PolicyDocument Document)> AnyDocument =
        Gen.OneOf(PolicyKind.Identity, PolicyKind.Resource).SelectMany(kind => PolicyDocumentGen.Document(kind).Select(d => (kind, d)));

    [Fact]
    public void Mutated_valid_documents_parse_or_fail_with_a_policy_parse_error()
    {
        var mutations = Gen.Select(Gen.Enum<Edit>(), Gen.Double[0, 1], JsonishChar).Array[1, 6];
        Gen.Select(AnyDocument, mutations, Gen.Bool).Sample((document, edits, urlEncode) =>
        {
            var text = new StringBuilder(PolicyJsonWriter.Write(document.Document));
            foreach (var (edit, where, c) in edits)
            {
                var at = (int)(where * text.Length);
                switch (edit)
                {
                    case Edit.Delete when text.Length > 0:
                        text.Remove(Math.Min(at, text.Length - 1), 1);
                        break;
                    case Edit.Replace when text.Length > 0:
                        text[Math.Min(at, text.Length - 1)] = c;
                        break;
                    default:
                        text.Insert(at, c);
                        break;
                }
            }
            var mutated = text.ToString();
            ParsesOrFailsCleanly(urlEncode ? Uri.EscapeDataString(mutated) : mutated);
            ElementParsesOrFailsCleanly(mutated);
        }, iter: Iterations);
    }

    [Fact]
    public void A_valid_document_parses_to_the_same_model_as_json_url_encoded_json_and_JsonElement()
    {
        AnyDocument.Sample((kind, expected) =>
        {
            var json = PolicyJsonWriter.Write(expected);
            var fromText = PolicyParser.Parse(json, "generated", kind);
            var fromUrlEncoded = PolicyParser.Parse(Uri.EscapeDataString(json), "generated", kind);
            using var parsed = JsonDocument.Parse(json);
            var fromElement = PolicyParser.Parse(parsed.RootElement, "generated", kind);
            using var quoted = JsonDocument.Parse(JsonSerializer.Serialize(json));
            var fromElementString = PolicyParser.Parse(quoted.RootElement, "generated", kind);

            var description = PolicyModelText.Describe(fromText);
            // The generator does not compute clause paths; the parsed forms are compared with them.
            Assert.Equal(PolicyModelText.Describe(expected, withPaths: false), PolicyModelText.Describe(fromText, withPaths: false));
            Assert.Equal(description, PolicyModelText.Describe(fromUrlEncoded));
            Assert.Equal(description, PolicyModelText.Describe(fromElement));
            Assert.Equal(description, PolicyModelText.Describe(fromElementString));
        }, iter: Iterations);
    }
}
