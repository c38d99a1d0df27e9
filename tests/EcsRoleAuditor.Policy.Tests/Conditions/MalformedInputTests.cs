using CsCheck;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using static EcsRoleAuditor.Policy.Tests.Conditions.Conditions;

namespace EcsRoleAuditor.Policy.Tests.Conditions;

public class MalformedInputTests
{
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char["0123456789.:/-+TZ*?${}',arnaws "], 0, 40],
        Gen.String,
        Gen.OneOf("", "${", "${}", "${a, '", "::::::", "arn:::::", "/", "1.2.3.4/", "2001::db8::1", "9999-99-99", "=", "99999999999999999999999"));

    [Fact]
    public void No_operator_throws_for_any_condition_or_request_text()
    {
        var operators = Gen.OneOf<string>([.. AllOperators]);
        var prefixes = Gen.OneOf("", "ForAnyValue:", "ForAllValues:");
        Gen.Select(operators, prefixes, Gen.Bool, Text.Array[0, 3], Text.Array[0, 3], Gen.Bool)
            .Sample((op, prefix, ifExists, conditionValues, requestValues, variables) =>
            {
                var clause = Clause(prefix + op + (ifExists ? "IfExists" : ""), "k", conditionValues);
                var context = RequestContext.Create(
                [
                    KeyValuePair.Create("k", new ContextValue([.. requestValues], requestValues.Length != 1)),
                    KeyValuePair.Create("aws:username", new ContextValue(["alice"], false)),
                ]);
                _ = ConditionEvaluator.Holds(clause, context, variables);
            });
    }

    [Fact]
    public void Substitution_never_throws_and_text_without_variables_is_unchanged()
    {
        Text.Sample(text =>
        {
            var ok = PolicyVariables.TrySubstitute(text, RequestContext.Empty, asWildcardPattern: true, out var result);
            return PolicyVariables.ContainsVariable(text) || (ok && result == text);
        });
    }

    [Fact]
    public void A_clause_with_a_default_values_array_does_not_throw()
    {
        var clause = new ConditionClause("StringEquals", ConditionOperator.StringEquals, SetQualifier.None, false, "k", default);
        Assert.False(Holds(clause, Context(("k", "v"))));
        var nullClause = new ConditionClause("Null", ConditionOperator.Null, SetQualifier.None, false, "k", default);
        Assert.False(Holds(nullClause, Context()));
    }
}
