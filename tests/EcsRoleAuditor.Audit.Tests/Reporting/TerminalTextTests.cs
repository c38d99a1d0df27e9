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
    public void Control_and_bidi_characters_become_visible_escapes(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Escape(text));
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/web-task")]
    [InlineData("Zugriff für Ärzte — 日本語 🚀")]
    [InlineData(@"a\x1b literal backslash")]
    [InlineData("")]
    public void Ordinary_text_is_returned_unchanged(string text)
    {
        Assert.Same(text, TerminalText.Escape(text));
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
