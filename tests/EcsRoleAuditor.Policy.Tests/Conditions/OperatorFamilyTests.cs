using EcsRoleAuditor.Policy.Model;
using static EcsRoleAuditor.Policy.Tests.Conditions.Conditions;

namespace EcsRoleAuditor.Policy.Tests.Conditions;

/// <summary>Every operator, with a request value that satisfies it, one that does not, and no key at all; plain and IfExists.</summary>
public class OperatorFamilyTests
{
    // operator, condition value, a request value for which the clause holds, one for which it does not.
    public static TheoryData<string, string, string, string> Operators => new()
    {
        { "StringEquals", "alice", "alice", "Alice" },
        { "StringNotEquals", "alice", "Alice", "alice" },
        { "StringEqualsIgnoreCase", "ALICE", "alice", "bob" },
        { "StringNotEqualsIgnoreCase", "ALICE", "bob", "alice" },
        { "StringLike", "home/*/d?c", "home/alice/doc", "Home/alice/doc" },
        { "StringNotLike", "home/*", "work/x", "home/x" },
        { "NumericEquals", "10", "10.0", "11" },
        { "NumericNotEquals", "10", "11", "10" },
        { "NumericLessThan", "10", "9.5", "10" },
        { "NumericLessThanEquals", "10", "10", "10.01" },
        { "NumericGreaterThan", "-1.5", "0", "-1.5" },
        { "NumericGreaterThanEquals", "-1.5", "-1.5", "-2" },
        { "DateEquals", "2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z" },
        { "DateNotEquals", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-01T02:00:00+02:00" },
        { "DateLessThan", "2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z" },
        { "DateLessThanEquals", "2024-01-01T00:00:00Z", "1704067200", "2024-01-01T00:00:00.001Z" },
        { "DateGreaterThan", "2020-01-01T00:00:01Z", "2021-06-01T12:00:00Z", "2019-12-31T00:00:00Z" },
        { "DateGreaterThanEquals", "1704067200", "2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z" },
        { "Bool", "true", "true", "false" },
        { "BinaryEquals", "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", "T3RoZXI=" },
        { "IpAddress", "203.0.113.0/24", "203.0.113.200", "203.0.114.1" },
        { "NotIpAddress", "203.0.113.0/24", "198.51.100.7", "203.0.113.1" },
        { "ArnEquals", "arn:aws:iam::*:role/app-*", "arn:aws:iam::111122223333:role/app-web", "arn:aws:iam::111122223333:user/app-web" },
        { "ArnLike", "arn:aws:iam::111122223333:role/?pp", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/apps" },
        { "ArnNotEquals", "arn:aws:iam::111122223333:role/admin", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/admin" },
        { "ArnNotLike", "arn:aws:iam::*:role/admin*", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/admin-1" },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public void Present_key_with_a_satisfying_value_holds_plain_and_IfExists(string op, string conditionValue, string satisfying, string violating)
    {
        _ = violating;
        Assert.True(Holds(op, conditionValue, satisfying));
        Assert.True(Holds(op + "IfExists", conditionValue, satisfying));
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void Present_key_with_a_violating_value_does_not_hold_plain_or_IfExists(string op, string conditionValue, string satisfying, string violating)
    {
        _ = satisfying;
        Assert.False(Holds(op, conditionValue, violating));
        Assert.False(Holds(op + "IfExists", conditionValue, violating));
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void Absent_key_holds_only_for_negated_operators_and_always_for_IfExists(string op, string conditionValue, string satisfying, string violating)
    {
        _ = (satisfying, violating);
        var clause = Clause(op, "k", conditionValue);
        Assert.Equal(clause.IsNegated, Holds(op, conditionValue, requestValue: null));
        Assert.True(Holds(op + "IfExists", conditionValue, requestValue: null));
    }

    [Fact]
    public void The_table_covers_every_operator_except_Null()
    {
        var covered = Operators.Select(row => (string)row[0]).ToHashSet();
        Assert.Equal(AllOperators.Where(o => o != nameof(ConditionOperator.Null)).Order(), covered.Order());
    }

    [Fact]
    public void Negated_operators_are_exactly_the_eight_AWS_lists()
    {
        string[] negated = ["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals", "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike"];
        Assert.Equal(negated.Order(), AllOperators.Where(o => Clause(o, "k").IsNegated).Order());
    }

    [Fact]
    public void Condition_key_names_match_ignoring_case()
    {
        Assert.True(Holds(Clause("StringEquals", "AWS:UserName", "alice"), Context(("aws:username", "alice"))));
    }

    [Fact]
    public void Condition_values_are_ORed_for_positive_operators()
    {
        var clause = Clause("StringEquals", "k", "a", "b", "c");
        Assert.True(Holds(clause, Context(("k", "b"))));
        Assert.False(Holds(clause, Context(("k", "d"))));
    }

    [Fact]
    public void Negated_operators_hold_only_when_no_condition_value_matches()
    {
        var clause = Clause("StringNotEquals", "k", "a", "b");
        Assert.False(Holds(clause, Context(("k", "b"))));
        Assert.True(Holds(clause, Context(("k", "c"))));
        var arnClause = Clause("ArnNotLike", "k", "arn:aws:iam::1:user/Ana", "arn:aws:iam::1:user/Mary");
        Assert.False(Holds(arnClause, Context(("k", "arn:aws:iam::1:user/Mary"))));
        Assert.True(Holds(arnClause, Context(("k", "arn:aws:iam::1:user/Nikki"))));
    }

    [Fact]
    public void A_clause_without_values_never_holds_for_positive_operators_and_always_for_negated_ones_when_present()
    {
        Assert.False(Holds(Clause("StringEquals", "k"), Context(("k", "a"))));
        Assert.True(Holds(Clause("StringNotEquals", "k"), Context(("k", "a"))));
    }

    [Fact]
    public void A_present_key_with_an_empty_value_list_counts_as_absent()
    {
        var empty = MultiValued("k");
        Assert.False(Holds(Clause("StringEquals", "k", ""), empty));
        Assert.True(Holds(Clause("StringNotEquals", "k", "a"), empty));
        Assert.True(Holds(Clause("StringEqualsIfExists", "k", "a"), empty));
    }
}
