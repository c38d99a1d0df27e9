using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Tests;

public class WildcardTests
{
    [Theory]
    [InlineData("s3:Get*", "s3:GetObject", true, true)]
    [InlineData("s3:Get*", "S3:getobject", true, true)]
    [InlineData("s3:Get*", "S3:getobject", false, false)]
    [InlineData("*", "", true, true)]
    [InlineData("iam:*Role*", "iam:PassRole", true, true)]
    [InlineData("iam:*Role*", "iam:ListRoles", true, true)]
    [InlineData("iam:*Role*", "iam:GetUser", true, false)]
    [InlineData("ec2:?escribe*", "ec2:DescribeInstances", true, true)]
    [InlineData("a?c", "ac", false, false)]
    [InlineData("a*b*c", "aXbYbZc", false, true)]
    [InlineData("a*b*c", "aXbYbZ", false, false)]
    [InlineData("arn:aws:s3:::bucket/K", "arn:aws:s3:::bucket/k", false, false)]
    public void Matches_like_IAM_globs(string pattern, string text, bool ignoreCase, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(pattern, text, ignoreCase));

    [Fact]
    public void Escaped_star_matches_only_a_literal_star()
    {
        var pattern = "a" + Wildcard.LiteralStar + "b";
        Assert.True(Wildcard.IsMatch(pattern, "a*b", ignoreCase: false));
        Assert.False(Wildcard.IsMatch(pattern, "axb", ignoreCase: false));
    }
}
