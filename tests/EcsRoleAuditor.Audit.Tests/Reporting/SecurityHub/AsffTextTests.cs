using EcsRoleAuditor.Audit.Reporting.SecurityHub;

namespace EcsRoleAuditor.Audit.Tests.Reporting.SecurityHub;

public sealed class AsffTextTests
{
    [Theory]
    [InlineData("abc", 3, "abc")]
    [InlineData("abcd", 3, "ab\u2026")]
    [InlineData("", 3, "")]
    public void Text_over_the_limit_ends_in_an_ellipsis_within_it(string text, int limit, string expected) =>
        Assert.Equal(expected, AsffText.Bounded(text, limit));

    [Fact]
    public void A_surrogate_pair_at_the_cut_is_left_out_whole()
    {
        // "ab" + U+1F510 (two UTF-16 units) + "c": a cut after 3 units would split the pair.
        var cut = AsffText.Bounded("ab\U0001F510c", 4);

        Assert.Equal("ab\u2026", cut);
        Assert.Equal("ab\U0001F510\u2026", AsffText.Bounded("ab\U0001F510cd", 5));
    }

    [Fact]
    public void A_list_fills_the_limit_with_whole_items_and_the_count()
    {
        string[] items = ["a:A", "b:B", "c:C", "d:D"];

        Assert.Equal("a:A, b:B, c:C, d:D", AsffText.BoundedList(items, 18));
        Assert.Equal("a:A (+3 more)", AsffText.BoundedList(items, 17));
        Assert.Equal("a:A, b:B (+3 more)", AsffText.BoundedList([.. items, "e:E"], 19));
        Assert.Equal("a:A (+3 more)", AsffText.BoundedList(items, 13));
        Assert.Equal("a\u2026 (+3 more)", AsffText.BoundedList(items, 12));
        Assert.Equal("abcdefgh\u2026", AsffText.BoundedList(["abcdefghijk"], 9));
    }
}
