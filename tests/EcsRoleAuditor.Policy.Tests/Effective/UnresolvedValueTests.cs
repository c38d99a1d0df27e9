using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Model;
using static EcsRoleAuditor.Policy.Tests.TestPolicies;

namespace EcsRoleAuditor.Policy.Tests.Effective;

/// <summary>
/// Values infrastructure code leaves to deployment (<see cref="UnresolvedValue"/>), on the request side as on the
/// policy side. The policy side is IAM's policy variable semantics (IAM User Guide, "IAM policy elements: Variables and
/// tags": a variable the audit cannot know stands for some value); the request side is the same unknown value.
/// </summary>
public class UnresolvedValueTests
{
    private const string Secret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:${unresolved.DbSecret}";

    private static RequestVerdict Verdict(string policyResource, string requested) =>
        EffectivePermissions.Compute([Statements($"{{'Effect':'Allow','Action':'secretsmanager:GetSecretValue','Resource':'{policyResource}'}}")], null)
            .Check("secretsmanager:GetSecretValue", requested).Verdict;

    [Fact]
    public void The_same_unresolved_value_on_both_sides_is_the_same_resource()
    {
        Assert.Equal(RequestVerdict.Allowed, Verdict(Secret, Secret));
    }

    [Fact]
    public void A_wildcard_that_covers_every_value_allows_an_unresolved_resource()
    {
        Assert.Equal(RequestVerdict.Allowed, Verdict("arn:aws:secretsmanager:eu-west-1:111122223333:secret:*", Secret));
    }

    [Fact]
    public void A_pattern_that_some_values_match_leaves_the_request_undecided()
    {
        Assert.Equal(RequestVerdict.Undecided, Verdict("arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*", Secret));
        Assert.Equal(RequestVerdict.Undecided, Verdict("arn:aws:secretsmanager:eu-west-1:111122223333:secret:${unresolved.Other}", Secret));
    }

    [Fact]
    public void A_pattern_no_value_could_match_does_not_allow()
    {
        // Another account: whatever the secret's name, the statement does not reach it.
        Assert.Equal(RequestVerdict.NotAllowed, Verdict("arn:aws:secretsmanager:eu-west-1:444455556666:secret:*", Secret));
    }

    [Fact]
    public void Markers_are_sanitised_so_an_arn_still_splits_into_its_parts()
    {
        Assert.Equal("${unresolved.ImportValue-shared-role_x}", UnresolvedValue.For("ImportValue::shared:role}x"));
        Assert.True(UnresolvedValue.IsWhole("${unresolved.A.Arn}"));
        Assert.False(UnresolvedValue.IsWhole("arn:aws:s3:::${unresolved.A}"));
        Assert.Equal(["${unresolved.A}", "${unresolved.B}"], UnresolvedValue.In("${unresolved.A}/${unresolved.B}/${unresolved.A}"));
    }
}
