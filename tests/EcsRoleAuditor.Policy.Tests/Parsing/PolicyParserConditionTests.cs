using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Policy.Tests.Parsing;

public class PolicyParserConditionTests
{
    private static ConditionClause[] Clauses(string condition) =>
        [.. PolicyParser.Parse($"{{\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{condition.Replace('\'', '"')}}}]}}", "p")
            .Statements[0].Conditions];

    public static TheoryData<ConditionOperator> Operators => [.. Enum.GetValues<ConditionOperator>()];

    [Theory]
    [MemberData(nameof(Operators))]
    public void Every_base_operator_is_read_by_its_exact_name(ConditionOperator @operator)
    {
        var clause = Assert.Single(Clauses($"{{'{@operator}':{{'aws:SourceAccount':'111122223333'}}}}"));

        Assert.Equal(@operator, clause.Operator);
        Assert.Equal(@operator.ToString(), clause.OperatorText);
        Assert.Equal(SetQualifier.None, clause.Qualifier);
        Assert.False(clause.IfExists);
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void Every_operator_but_Null_takes_IfExists_and_both_set_qualifiers(ConditionOperator @operator)
    {
        if (@operator == ConditionOperator.Null)
        {
            return;
        }
        var clauses = Clauses($"{{'{@operator}IfExists':{{'k:a':'v'}},'ForAnyValue:{@operator}':{{'k:b':'v'}},'ForAllValues:{@operator}IfExists':{{'k:c':'v'}}}}");

        Assert.Equal(
            [($"{@operator}IfExists", @operator, SetQualifier.None, true),
             ($"ForAnyValue:{@operator}", @operator, SetQualifier.ForAnyValue, false),
             ($"ForAllValues:{@operator}IfExists", @operator, SetQualifier.ForAllValues, true)],
            clauses.Select(c => (c.OperatorText, c.Operator, c.Qualifier, c.IfExists)));
    }

    [Fact]
    public void Null_checks_take_true_or_false_as_string_or_boolean()
    {
        var clauses = Clauses("{'Null':{'aws:TokenIssueTime':'true','aws:MultiFactorAuthAge':false}}");

        Assert.Equal([["true"], ["false"]], clauses.Select(c => c.Values.ToArray()));
        Assert.All(clauses, c => Assert.Equal(ConditionOperator.Null, c.Operator));
    }

    [Fact]
    public void Numbers_and_booleans_keep_their_literal_json_text()
    {
        var clauses = Clauses("{'NumericLessThan':{'s3:max-keys':10,'s3:x':[1.50,-2e3,'7']},'Bool':{'aws:SecureTransport':true}}");

        Assert.Equal(["10"], clauses[0].Values.ToArray());
        Assert.Equal(["1.50", "-2e3", "7"], clauses[1].Values.ToArray());
        Assert.Equal(["true"], clauses[2].Values.ToArray());
    }

    [Fact]
    public void Each_key_becomes_one_clause_in_document_order_with_its_values()
    {
        var clauses = Clauses("{'StringEquals':{'aws:SourceAccount':'111122223333','ecs:cluster':['a','b']},'IpAddress':{'aws:SourceIp':['10.0.0.0/8']}}");

        Assert.Equal(
            [("aws:SourceAccount", new[] { "111122223333" }), ("ecs:cluster", ["a", "b"]), ("aws:SourceIp", ["10.0.0.0/8"])],
            clauses.Select(c => (c.Key, c.Values.ToArray())));
    }

    [Fact]
    public void Clause_paths_use_bracket_notation_for_names_that_are_not_identifiers()
    {
        var clauses = Clauses("{'StringEquals':{'aws:SourceAccount':'1'},'ForAnyValue:StringLike':{'aws:TagKeys':'team-*'},'Bool':{'plain_key':'true','it\\u0027s':'x'}}");

        Assert.Equal(
            [
                "$.Statement[0].Condition.StringEquals['aws:SourceAccount']",
                "$.Statement[0].Condition['ForAnyValue:StringLike']['aws:TagKeys']",
                "$.Statement[0].Condition.Bool.plain_key",
                "$.Statement[0].Condition.Bool['it\\'s']",
            ],
            clauses.Select(c => c.Path));
    }

    [Fact]
    public void Negated_operators_are_marked_as_such()
    {
        var clauses = Clauses("{'StringNotEquals':{'k:a':'v'},'ArnNotLikeIfExists':{'k:b':'v'},'StringEquals':{'k:c':'v'}}");

        Assert.Equal([true, true, false], clauses.Select(c => c.IsNegated));
    }

    [Fact]
    public void An_empty_Condition_block_has_no_clauses()
    {
        Assert.Empty(Clauses("{}"));
    }
}
