using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;

namespace EcsRoleAuditor.Audit.Tests.Inputs;

public class JsonInputTests
{
    private static string ErrorOf(byte[] utf8, bool quote = true) =>
        Assert.Throws<InputException>(() => JsonInput.Parse(utf8, "in.json", default, quote: quote)).Message;

    private static string ErrorOf(string json, bool quote = true) => ErrorOf(Encoding.UTF8.GetBytes(json), quote);

    [Theory]
    [InlineData(new byte[] { (byte)'"', 0xC3, 0xA9, 0xFF, (byte)'"' }, 3)] // é, then a byte no UTF-8 sequence starts with
    [InlineData(new byte[] { (byte)'"', 0xE2, 0x82, (byte)'"' }, 1)] // a sequence cut short
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' }, 4)] // an encoded surrogate, after a BOM
    public void Invalid_UTF8_is_named_by_its_offset_in_the_input(byte[] utf8, int offset)
    {
        Assert.Equal($"in.json: invalid UTF-8 at byte {offset}", ErrorOf(utf8));
    }

    [Fact]
    public void An_escaped_lone_surrogate_in_a_value_is_valid_JSON_left_to_the_reader_that_needs_the_text()
    {
        using var document = JsonInput.Parse(Encoding.UTF8.GetBytes("""{"a":"\udc00"}"""), "in.json", default);

        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("a").ValueKind);
    }

    [Theory]
    [InlineData("{\"a\":[{\"b\":1},\n {\"b\":1,\"b\":2}]}", "in.json: $.a[1].b: duplicate key \"b\" (at line 2, column 9); a key may appear once in an object")]
    [InlineData("{\"a\\nb\":{\"c\":1,\"c\":2}}", "in.json: $.a\\nb.c: duplicate key \"c\" (at line 1, column 16)")]
    [InlineData("{\"a\":{\"\\ud800\":1}}", "in.json: $.a: a key at line 1, column 7: the string holds an escaped lone surrogate")]
    public void A_key_that_repeats_or_is_not_text_is_named_with_its_place(string json, string expected)
    {
        Assert.StartsWith(expected, ErrorOf(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_quoting_only_positions_are_given()
    {
        Assert.Equal("in.json: a duplicate key at line 1, column 13; a key may appear once in an object", ErrorOf("""{"secret":1,"secret":2}""", quote: false));
        Assert.Equal("in.json: not valid JSON at line 1, column 2", ErrorOf("[secret]", quote: false));
    }
}
