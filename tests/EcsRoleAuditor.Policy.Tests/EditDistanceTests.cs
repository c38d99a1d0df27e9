using CsCheck;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Tests;

public sealed class EditDistanceTests
{
    [Theory]
    [InlineData("GetObjects", "GetObject", false, 1)]
    [InlineData("secretmanager", "secretsmanager", false, 1)]
    [InlineData("kitten", "sitting", false, 3)]
    [InlineData("getobject", "GetObject", true, 0)]
    [InlineData("getobject", "GetObject", false, 2)]
    [InlineData("", "abc", false, 3)]
    public void Counts_insertions_deletions_and_substitutions(string a, string b, bool ignoreCase, int expected) =>
        Assert.Equal(expected, EditDistance.Between(a, b, ignoreCase: ignoreCase));

    [Fact]
    public void Stops_at_the_limit() => Assert.Equal(2, EditDistance.Between("abcdef", "a", limit: 2));

    [Fact]
    public void Is_symmetric_and_bounded_by_the_lengths() =>
        Gen.Select(Gen.String[Gen.Char["abc"], 0, 8], Gen.String[Gen.Char["abc"], 0, 8]).Sample((a, b) =>
        {
            var distance = EditDistance.Between(a, b);
            return distance == EditDistance.Between(b, a)
                && distance >= Math.Abs(a.Length - b.Length)
                && distance <= Math.Max(a.Length, b.Length)
                && (distance == 0) == (a == b);
        });
}
