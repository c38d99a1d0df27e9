using CsCheck;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Tests.Matching;

/// <summary>
/// The set questions over Resource patterns must agree with the matcher the evaluator uses (IAM User Guide, "IAM JSON
/// policy elements: Resource": wildcards within an ARN component, the resource part keeping its colons).
/// </summary>
public class ResourcePatternsTests
{
    // Small alphabets, so that generated patterns and ARNs collide often.
    private static readonly Gen<string> PatternComponent = Gen.OneOf(Gen.Const("*"), Gen.Const("?"), Gen.Const("a*"), Gen.Const("*b"), Gen.Const("a"), Gen.Const("ab"), Gen.Const(""), Gen.Const("a?"));
    private static readonly Gen<string> PatternResource = Gen.OneOf(
        Gen.Const("*"), Gen.Const("a/*"), Gen.Const("a/b*"), Gen.Const("*/b"), Gen.Const("a:*"), Gen.Const("*:b"), Gen.Const("a/b"), Gen.Const("?/b"), Gen.Const("a*b"), Gen.Const(""));
    private static readonly Gen<string> ValueComponent = Gen.OneOf(Gen.Const("a"), Gen.Const("ab"), Gen.Const("b"), Gen.Const(""), Gen.Const("aab"));
    private static readonly Gen<string> ValueResource = Gen.OneOf(
        Gen.Const("a/b"), Gen.Const("a/bb"), Gen.Const("a:b"), Gen.Const("b"), Gen.Const("a/b/c"), Gen.Const("a:b:c"), Gen.Const("ab"), Gen.Const(""), Gen.Const("x/b"));

    private static readonly Gen<string> Pattern = Gen.Frequency(
        (6, Gen.Select(PatternComponent, PatternComponent, PatternComponent, PatternComponent, PatternResource).Select((p, s, r, a, res) => $"arn:{p}:{s}:{r}:{a}:{res}")),
        (2, Gen.Select(PatternComponent, PatternComponent).Select((p, s) => $"arn:{p}:{s}*")),
        (1, Gen.Const("*")),
        (1, Gen.Select(PatternComponent, PatternComponent).Select((p, s) => $"arn:{p}:{s}:*:*")));

    private static readonly Gen<string> Resource =
        Gen.Select(ValueComponent, ValueComponent, ValueComponent, ValueComponent, ValueResource).Select((p, s, r, a, res) => $"arn:{p}:{s}:{r}:{a}:{res}");

    [Fact]
    public void A_pattern_overlaps_a_resource_exactly_when_the_matcher_matches_it()
    {
        Gen.Select(Pattern, Resource).Sample((pattern, resource) =>
            Assert.Equal(ResourceMatcher.IsMatch(pattern, resource), ResourcePatterns.Overlap(pattern, ResourcePatterns.Literal(resource))),
            iter: 5000);
    }

    [Fact]
    public void Cover_is_sound_every_resource_the_inner_pattern_matches_the_outer_one_matches()
    {
        Gen.Select(Pattern, Pattern, Resource.Array[40]).Sample((outer, inner, resources) =>
        {
            if (!ResourcePatterns.Covers(outer, inner))
            {
                return;
            }
            foreach (var resource in resources.Where(r => ResourceMatcher.IsMatch(inner, r)))
            {
                Assert.True(ResourceMatcher.IsMatch(outer, resource), $"{outer} covers {inner} but not {resource}");
            }
        }, iter: 5000);
    }

    [Fact]
    public void Patterns_found_disjoint_share_no_resource()
    {
        Gen.Select(Pattern, Pattern, Resource.Array[40]).Sample((first, second, resources) =>
        {
            if (ResourcePatterns.Overlap(first, second))
            {
                return;
            }
            Assert.DoesNotContain(resources, r => ResourceMatcher.IsMatch(first, r) && ResourceMatcher.IsMatch(second, r));
        }, iter: 5000);
    }

    [Theory]
    [InlineData("*", "arn:aws:s3:::b/k", true)]
    [InlineData("arn:aws:s3:::uploads/*", "arn:aws:s3:::uploads/public/*", true)]
    [InlineData("arn:aws:s3:::uploads/public/*", "arn:aws:s3:::uploads/*", false)]
    [InlineData("arn:aws:s3:::*", "arn:aws:s3:::uploads/*", true)] // the resource part's wildcard crosses '/'
    [InlineData("arn:aws:secretsmanager:*:*:secret:prod/*", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-??????", true)]
    [InlineData("arn:aws:secretsmanager:*:*:secret:prod/db-??????", "arn:aws:secretsmanager:*:*:secret:prod/*", false)]
    [InlineData("arn:aws:ecs:*:111122223333:*", "arn:aws:ecs:eu-west-1:111122223333:task/web/*", true)]
    [InlineData("arn:aws:s3:::b/?", "arn:aws:s3:::b/*", false)] // one character does not cover any number of them
    [InlineData("arn:aws:*:us-*:111122223333:*", "arn:aws:sqs:us-east-1:111122223333:jobs", true)]
    public void Cover_decides_what_real_policies_write(string outer, string inner, bool covers) =>
        Assert.Equal(covers, ResourcePatterns.Covers(outer, inner));

    [Theory]
    [InlineData("arn:aws:s3:::uploads/*", "arn:aws:s3:::logs/*", false)]
    [InlineData("arn:aws:s3:::a*", "arn:aws:s3:::*b", true)]
    [InlineData("arn:aws:iam::*:role/*", "arn:aws:s3:::*/*", false)] // another service
    [InlineData("arn:aws:ecs:*:1:*", "arn:aws-cn:ecs:*:1:*", false)] // another partition
    [InlineData("arn:*:ecs:*:1:*", "arn:aws:ecs:eu-west-1:1:task/x", true)]
    [InlineData("arn:a*:s3:::x", "arn:aws:s3:::x", true)]
    [InlineData("arn:aws:s*:::x", "arn:aws:s3:us:1:x", false)] // a component's wildcard does not take the colons of the next
    public void Overlap_decides_what_real_policies_write(string first, string second, bool overlap) =>
        Assert.Equal(overlap, ResourcePatterns.Overlap(first, second));

    [Fact]
    public void An_unknown_variable_value_may_match_anything_but_covers_nothing()
    {
        var withUnknown = $"arn:aws:s3:::home/{Wildcard.UnknownValue}/*";
        Assert.True(ResourcePatterns.Overlap(withUnknown, "arn:aws:s3:::home/alice/notes.txt"));
        Assert.False(ResourcePatterns.Covers(withUnknown, "arn:aws:s3:::home/alice/notes.txt"));
        Assert.True(ResourcePatterns.Covers("arn:aws:s3:::home/*", withUnknown));
    }

    [Fact]
    public void Only_stars_match_the_resource_of_a_wildcard_only_request()
    {
        Assert.True(ResourcePatterns.MatchesAnyResourceRequest("*"));
        Assert.False(ResourcePatterns.MatchesAnyResourceRequest("arn:aws:s3:::*"));
        Assert.False(ResourcePatterns.MatchesAnyResourceRequest("arn:*"));
    }
}
