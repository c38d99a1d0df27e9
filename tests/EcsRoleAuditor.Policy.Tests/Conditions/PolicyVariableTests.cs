using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Matching;
using static EcsRoleAuditor.Policy.Tests.Conditions.Conditions;

namespace EcsRoleAuditor.Policy.Tests.Conditions;

public class PolicyVariableTests
{
    private static readonly RequestContext Alice = RequestContext.Create(
    [
        KeyValuePair.Create("aws:username", new ContextValue(["alice"], false)),
        KeyValuePair.Create("aws:PrincipalTag/team", new ContextValue(["red"], false)),
        KeyValuePair.Create("aws:SourceAccount", new ContextValue(["111122223333"], false)),
        KeyValuePair.Create("aws:TagKeys", new ContextValue(["a"], true)),
        KeyValuePair.Create("weird", new ContextValue(["a*b?"], false)),
    ]);

    private static string Substitute(string text, bool asWildcardPattern = false)
    {
        Assert.True(PolicyVariables.TrySubstitute(text, Alice, asWildcardPattern, out var result));
        return result;
    }

    [Theory]
    [InlineData("home/${aws:username}/", "home/alice/")]
    [InlineData("${AWS:UserName}", "alice")]
    [InlineData("${aws:PrincipalTag/team}-${aws:SourceAccount}", "red-111122223333")]
    [InlineData("${aws:PrincipalTag/dept, 'none'}", "none")]
    [InlineData("${aws:PrincipalTag/team, 'none'}", "red")]
    [InlineData("${aws:PrincipalTag/dept,'none'}", "none")]
    [InlineData("${aws:PrincipalTag/dept, ''}", "")]
    [InlineData("${aws:PrincipalTag/dept, 'a}b'}", "a}b")]
    [InlineData("price${$}", "price$")]
    [InlineData("a${*}b${?}", "a*b?")]
    [InlineData("no variables", "no variables")]
    [InlineData("open ${aws:username", "open ${aws:username")]
    [InlineData("empty ${}", "empty ${}")]
    [InlineData("$${aws:username}", "$alice")]
    public void Variables_are_substituted_from_the_context_with_defaults_and_escapes(string text, string expected) =>
        Assert.Equal(expected, Substitute(text));

    [Fact]
    public void Escapes_and_substituted_values_stay_literal_in_wildcard_patterns()
    {
        Assert.Equal($"a{Wildcard.LiteralStar}b{Wildcard.LiteralQuestionMark}*", Substitute("a${*}b${?}*", asWildcardPattern: true));
        Assert.Equal($"a{Wildcard.LiteralStar}b{Wildcard.LiteralQuestionMark}", Substitute("${weird}", asWildcardPattern: true));
        Assert.Equal("a*b?", Substitute("${weird}"));
    }

    [Theory]
    [InlineData("${aws:PrincipalTag/dept}")]
    [InlineData("x-${aws:username}-${aws:userid}")]
    [InlineData("${aws:TagKeys}")]
    public void A_variable_with_no_single_value_and_no_default_fails(string text) =>
        Assert.False(PolicyVariables.TrySubstitute(text, Alice, asWildcardPattern: false, out _));

    [Fact]
    public void A_multivalued_key_used_as_a_variable_falls_back_to_its_default() =>
        Assert.Equal("d", Substitute("${aws:TagKeys, 'd'}"));

    [Theory]
    [InlineData("StringEquals", "${aws:username}", "alice", true)]
    [InlineData("StringEqualsIgnoreCase", "${aws:username}", "ALICE", true)]
    [InlineData("StringLike", "home/${aws:username}/*", "home/alice/docs", true)]
    [InlineData("StringLike", "home/${aws:username}/*", "home/bob/docs", false)]
    [InlineData("StringNotEquals", "${aws:username}", "alice", false)]
    [InlineData("StringEquals", "${aws:PrincipalTag/dept, 'none'}", "none", true)]
    [InlineData("StringEquals", "a${*}b", "a*b", true)]
    [InlineData("StringLike", "a${*}b", "a*b", true)]
    [InlineData("StringLike", "a${*}b", "axb", false)]
    [InlineData("StringLike", "${weird}", "a*b?", true)]
    [InlineData("StringLike", "${weird}", "axbb", false)]
    [InlineData("StringEquals", "a${?}${$}", "a?$", true)]
    [InlineData("ArnLike", "arn:aws:iam::${aws:SourceAccount}:role/*", "arn:aws:iam::111122223333:role/x", true)]
    [InlineData("ArnEquals", "arn:aws:iam::111122223333:user/${aws:username}", "arn:aws:iam::111122223333:user/alice", true)]
    [InlineData("ArnEquals", "arn:aws:iam::111122223333:user/${aws:username}", "arn:aws:iam::111122223333:user/bob", false)]
    public void Variables_are_substituted_in_String_and_Arn_condition_values(string op, string conditionValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds(Clause(op, "k", conditionValue), With("k", requestValue)));

    [Theory]
    [InlineData("NumericEquals", "${n}", "5")]
    [InlineData("DateEquals", "${d}", "2024-01-01T00:00:00Z")]
    [InlineData("Bool", "${b}", "true")]
    [InlineData("IpAddress", "${ip}", "10.0.0.1")]
    [InlineData("BinaryEquals", "${bin}", "QmluYXJ5")]
    public void Variables_are_not_substituted_in_Numeric_Date_Bool_IP_or_Binary_values(string op, string conditionValue, string requestValue)
    {
        var context = RequestContext.FromSingleValues(
        [
            KeyValuePair.Create("k", requestValue),
            KeyValuePair.Create(conditionValue[2..^1], requestValue),
        ]);
        Assert.False(ConditionEvaluator.Holds(Clause(op, "k", conditionValue), context, policyVariablesEnabled: true));
    }

    [Fact]
    public void A_condition_value_with_an_unresolved_variable_matches_nothing()
    {
        Assert.False(Holds(Clause("StringEquals", "k", "${aws:PrincipalTag/dept}"), With("k", "${aws:PrincipalTag/dept}")));
        Assert.False(Holds(Clause("StringLike", "k", "*${aws:PrincipalTag/dept}*"), With("k", "anything")));
        Assert.True(Holds(Clause("StringLike", "k", "${aws:PrincipalTag/dept}", "any*"), With("k", "anything")));
    }

    [Fact]
    public void Negated_operators_hold_against_an_unresolved_variable_as_AWS_documents()
    {
        // IAM User Guide, "Policy variables with no value": StringNotEquals/StringNotLike match against the null value.
        Assert.True(Holds(Clause("StringNotEquals", "s3:ExistingObjectTag/Team", "${aws:PrincipalTag/Team}"), With("s3:ExistingObjectTag/Team", "blue")));
        Assert.False(Holds(Clause("StringNotLike", "k", "${aws:PrincipalTag/Team}", "bob"), With("k", "bob")));
        Assert.True(Holds(Clause("ArnNotLike", "k", "arn:aws:iam::1:user/${aws:PrincipalTag/Team}"), With("k", "arn:aws:iam::1:user/x")));
    }

    [Fact]
    public void Without_policy_variables_the_dollar_brace_text_is_literal()
    {
        var clause = Clause("StringEquals", "k", "${aws:username}");
        Assert.True(ConditionEvaluator.Holds(clause, With("k", "${aws:username}"), policyVariablesEnabled: false));
        Assert.False(ConditionEvaluator.Holds(clause, With("k", "alice"), policyVariablesEnabled: false));
        Assert.False(ConditionEvaluator.Holds(Clause("StringEquals", "k", "a${*}b"), With("k", "a*b"), policyVariablesEnabled: false));
        Assert.True(ConditionEvaluator.Holds(Clause("StringNotEquals", "k", "${aws:PrincipalTag/none}"), With("k", "x"), policyVariablesEnabled: false));
    }

    [Fact]
    public void The_same_clause_gives_each_request_its_own_substitution()
    {
        var clause = Clause("StringEquals", "k", "${aws:username}");
        Assert.True(Holds(clause, With("k", "alice")));
        var bob = RequestContext.FromSingleValues([KeyValuePair.Create("aws:username", "bob"), KeyValuePair.Create("k", "bob")]);
        Assert.True(Holds(clause, bob));
        Assert.False(Holds(clause, With("k", "bob")));
    }

    private static RequestContext With(string key, string value) =>
        RequestContext.Create(Alice.Keys.Append(KeyValuePair.Create(key, new ContextValue([value], false))));
}
