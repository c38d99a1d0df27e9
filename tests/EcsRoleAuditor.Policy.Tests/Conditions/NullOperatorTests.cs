using static EcsRoleAuditor.Policy.Tests.Conditions.Conditions;

namespace EcsRoleAuditor.Policy.Tests.Conditions;

public class NullOperatorTests
{
    [Theory]
    [InlineData("true", false, true)]
    [InlineData("true", true, false)]
    [InlineData("false", true, true)]
    [InlineData("false", false, false)]
    [InlineData("TRUE", false, true)]
    [InlineData("False", true, true)]
    public void Null_true_holds_when_the_key_is_absent_and_false_when_it_is_present(string conditionValue, bool keyPresent, bool expected) =>
        Assert.Equal(expected, Holds("Null", conditionValue, keyPresent ? "anything" : null, key: "aws:TokenIssueTime"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Null_with_a_value_other_than_true_or_false_never_holds(bool keyPresent) =>
        Assert.False(Holds("Null", "yes", keyPresent ? "x" : null));

    [Fact]
    public void Null_treats_a_key_with_an_empty_value_list_as_absent()
    {
        Assert.True(Holds(Clause("Null", "aws:TagKeys", "true"), MultiValued("aws:TagKeys")));
        Assert.False(Holds(Clause("Null", "aws:TagKeys", "false"), MultiValued("aws:TagKeys")));
    }

    [Fact]
    public void Null_looks_at_presence_only_so_a_multivalued_key_is_simply_present()
    {
        Assert.True(Holds(Clause("Null", "aws:TagKeys", "false"), MultiValued("aws:TagKeys", "a", "b")));
        Assert.False(Holds(Clause("Null", "aws:TagKeys", "true"), MultiValued("aws:TagKeys", "a", "b")));
    }

    [Fact]
    public void Null_with_both_values_holds_either_way()
    {
        var clause = Clause("Null", "k", "true", "false");
        Assert.True(Holds(clause, Context(("k", "x"))));
        Assert.True(Holds(clause, Context()));
    }
}
