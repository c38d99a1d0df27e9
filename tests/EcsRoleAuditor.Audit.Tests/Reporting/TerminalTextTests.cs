using System.Text.Json;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

public class TerminalTextTests
{
    [Theory]
    [InlineData("red\u001b[31m", @"red\x1b[31m")]
    [InlineData("bell\u0007 nul\u0000 del\u007f", @"bell\x07 nul\x00 del\x7f")]
    [InlineData("csi\u009b2J next\u0085line", @"csi\x9b2J next\x85line")]
    [InlineData("one\r\ntwo\tthree", @"one\r\ntwo\tthree")]
    [InlineData("admin\u202egnp.exe", @"admin\u202egnp.exe")]
    [InlineData("\u2066iso\u2069 \u200emark\u200f \u061c \u2028", @"\u2066iso\u2069 \u200emark\u200f \u061c \u2028")]
    [InlineData("ad\u200bmin \u200d\u2060\ufeff", @"ad\u200bmin \u200d\u2060\ufeff")]
    [InlineData("role\U000E0041\U000E0042", @"role\U000e0041\U000e0042")]
    public void Control_and_bidi_characters_become_visible_escapes(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Escape(text));
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/web-task")]
    [InlineData("Zugriff für Ärzte — 日本語 🚀 👍🏽")]
    [InlineData(@"a\x1b literal backslash")]
    [InlineData("")]
    public void Ordinary_text_is_returned_unchanged(string text)
    {
        Assert.Same(text, TerminalText.Escape(text));
    }

    [Fact]
    public void A_lone_surrogate_is_written_as_an_escape()
    {
        // Built at run time: a test attribute cannot hold half a surrogate pair.
        var text = "lone" + (char)0xDC00 + " half";

        Assert.Equal(@"lone\udc00 half", TerminalText.Escape(text));
    }

    [Fact]
    public void Tag_characters_that_carry_hidden_text_stay_visible_in_json()
    {
        // Unicode tag characters (U+E0020-U+E007F) mirror ASCII but show nothing: "web" followed by a hidden "admin".
        var value = "web" + string.Concat("admin".Select(c => char.ConvertFromUtf32(0xE0000 + c)));
        var raw = $"{{\"name\": \"{value}\"}}";

        var json = TerminalText.EscapeJson(raw);

        Assert.Contains(@"web\udb40\udc61", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(value, document.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void Json_keeps_its_value_with_bidi_characters_escaped()
    {
        const string value = "a\u202eb\u2066c\u2069d\u200ee\u200ff\u061cg";
        var raw = $"{{\"name\": \"{value}\"}}";

        var json = TerminalText.EscapeJson(raw);

        Assert.DoesNotContain(json, c => c is '\u202e' or '\u2066' or '\u2069' or '\u200e' or '\u200f' or '\u061c');
        Assert.Contains(@"\u202e", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(value, document.RootElement.GetProperty("name").GetString());
    }
}
