using static EcsRoleAuditor.Policy.Tests.Conditions.Conditions;

namespace EcsRoleAuditor.Policy.Tests.Conditions;

/// <summary>ForAnyValue / ForAllValues, including the cases tabulated in the IAM User Guide's multivalued-key examples.</summary>
public class SetQualifierTests
{
    private const string TagKeys = "aws:TagKeys";

    [Theory]
    [InlineData(new[] { "environment" }, true)]
    [InlineData(new[] { "environment", "cost-center" }, true)]
    [InlineData(new[] { "environment", "dept" }, false)]
    public void ForAllValues_StringEquals_holds_when_every_request_value_is_listed(string[] requestValues, bool expected) =>
        Assert.Equal(expected, Holds(Clause("ForAllValues:StringEquals", TagKeys, "environment", "cost-center"), MultiValued(TagKeys, requestValues)));

    [Theory]
    [InlineData(new[] { "environment" }, true)]
    [InlineData(new[] { "environment", "dept" }, true)]
    [InlineData(new[] { "dept" }, false)]
    public void ForAnyValue_StringEquals_holds_when_some_request_value_is_listed(string[] requestValues, bool expected) =>
        Assert.Equal(expected, Holds(Clause("ForAnyValue:StringEquals", TagKeys, "environment", "cost-center"), MultiValued(TagKeys, requestValues)));

    [Fact]
    public void ForAllValues_holds_and_ForAnyValue_does_not_for_an_absent_key()
    {
        Assert.True(Holds(Clause("ForAllValues:StringEquals", TagKeys, "a"), Context()));
        Assert.False(Holds(Clause("ForAnyValue:StringEquals", TagKeys, "a"), Context()));
    }

    [Fact]
    public void ForAllValues_holds_and_ForAnyValue_does_not_for_an_empty_key()
    {
        Assert.True(Holds(Clause("ForAllValues:StringEquals", TagKeys, "a"), MultiValued(TagKeys)));
        Assert.False(Holds(Clause("ForAnyValue:StringEquals", TagKeys, "a"), MultiValued(TagKeys)));
    }

    [Fact]
    public void ForAnyValue_with_IfExists_holds_for_an_absent_key()
    {
        Assert.True(Holds(Clause("ForAnyValue:StringEqualsIfExists", TagKeys, "a"), Context()));
        Assert.False(Holds(Clause("ForAnyValue:StringEqualsIfExists", TagKeys, "a"), MultiValued(TagKeys, "b")));
    }

    // IAM User Guide, "Multivalued context key examples": Deny with ForAllValues:StringNotLike ["key1*", "key2*"].
    [Theory]
    [InlineData(new[] { "key1:legal" }, false)]
    [InlineData(new[] { "key1:hr", "key1:personnel" }, false)]
    [InlineData(new[] { "key1:hr", "key2:audit" }, false)]
    [InlineData(new[] { "key3:legal" }, true)]
    [InlineData(new[] { "key3:legal", "key1:hr" }, false)]
    public void ForAllValues_with_a_negated_operator_holds_when_no_request_value_matches_any_condition_value(string[] requestValues, bool expected) =>
        Assert.Equal(expected, Holds(Clause("ForAllValues:StringNotLike", TagKeys, "key1*", "key2*"), MultiValued(TagKeys, requestValues)));

    [Fact]
    public void ForAllValues_with_a_negated_operator_holds_for_an_absent_key() =>
        Assert.True(Holds(Clause("ForAllValues:StringNotLike", TagKeys, "key1*"), Context()));

    [Theory]
    [InlineData(new[] { "Team", "Project" }, false)]
    [InlineData(new[] { "Team", "Owner" }, true)]
    [InlineData(new[] { "Owner" }, true)]
    public void ForAnyValue_with_a_negated_operator_holds_when_some_request_value_matches_no_condition_value(string[] requestValues, bool expected) =>
        Assert.Equal(expected, Holds(Clause("ForAnyValue:StringNotEquals", TagKeys, "Team", "Project"), MultiValued(TagKeys, requestValues)));

    [Fact]
    public void ForAnyValue_with_a_negated_operator_does_not_hold_for_an_absent_or_empty_key()
    {
        Assert.False(Holds(Clause("ForAnyValue:StringNotEquals", TagKeys, "Team"), Context()));
        Assert.False(Holds(Clause("ForAnyValue:StringNotEquals", TagKeys, "Team"), MultiValued(TagKeys)));
    }

    [Fact]
    public void Set_qualifiers_treat_a_single_valued_key_as_a_set_of_one()
    {
        Assert.True(Holds(Clause("ForAnyValue:StringEquals", "aws:username", "alice"), Context(("aws:username", "alice"))));
        Assert.False(Holds(Clause("ForAllValues:StringEquals", "aws:username", "bob"), Context(("aws:username", "alice"))));
    }

    [Fact]
    public void Set_qualifiers_work_with_other_operator_families()
    {
        Assert.True(Holds(Clause("ForAllValues:ArnLike", "k", "arn:aws:iam::*:role/*"), MultiValued("k", "arn:aws:iam::1:role/a", "arn:aws:iam::2:role/b")));
        Assert.False(Holds(Clause("ForAllValues:ArnLike", "k", "arn:aws:iam::*:role/*"), MultiValued("k", "arn:aws:iam::1:role/a", "arn:aws:iam::2:user/b")));
        Assert.True(Holds(Clause("ForAnyValue:NumericGreaterThan", "k", "10"), MultiValued("k", "1", "11")));
        Assert.False(Holds(Clause("ForAllValues:IpAddress", "k", "10.0.0.0/8"), MultiValued("k", "10.0.0.1", "bad")));
    }

    [Theory]
    [InlineData("StringEquals")]
    [InlineData("StringNotEquals")]
    [InlineData("StringEqualsIfExists")]
    [InlineData("StringNotLikeIfExists")]
    public void An_operator_without_a_set_qualifier_never_holds_for_a_multivalued_key(string op)
    {
        Assert.False(Holds(Clause(op, TagKeys, "a"), MultiValued(TagKeys, "a")));
        Assert.False(Holds(Clause(op, TagKeys, "z"), MultiValued(TagKeys, "a", "b")));
    }
}
