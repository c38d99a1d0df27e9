using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Policy.Tests.Reference;

/// <summary>Runs every deviation case through the reference evaluator once, in one Node.js process.</summary>
public sealed class ReferenceDeviationFixture
{
    public ReferenceDeviationFixture() => Reference = ReferenceEvaluator.Decide([.. ReferenceDeviationTests.Cases.Values]);

    public IReadOnlyDictionary<string, ReferenceResult> Reference { get; }
}

/// <summary>
/// Where the reference evaluator departs from AWS's documented behaviour. Each test asserts AWS's behaviour on our
/// evaluator and that the reference really answers otherwise, so the list stays true when the reference changes.
/// </summary>
public class ReferenceDeviationTests(ReferenceDeviationFixture fixture) : IClassFixture<ReferenceDeviationFixture>
{
    private static EvaluationCase Case(string id, string statement, string action, string resource, params ContextEntry[] context) =>
        new(id, [$"{{\"Version\":\"2012-10-17\",\"Statement\":[{statement}]}}"], null, action, resource, context);

    private static ContextEntry Single(string key, string value) => new(key, [value], false);

    internal static readonly Dictionary<string, EvaluationCase> Cases = new[]
    {
        // IAM User Guide, policy variables: in a 2008-10-17 policy (or one without Version) variables are literal text.
        new EvaluationCase("legacy-version-variables",
            ["{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}]}"],
            null, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt", [Single("aws:username", "alice")]),
        // IAM User Guide, Resource element: wildcards may stand anywhere within a segment, the resource type included.
        Case("resource-type-wildcard", "{\"Effect\":\"Allow\",\"Action\":\"ecs:RunTask\",\"Resource\":\"arn:aws:ecs:*:*:*/web:*\"}",
            "ecs:RunTask", "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3"),
        // IAM's policy grammar: an unknown condition operator makes the policy invalid (CreatePolicy rejects it).
        Case("unknown-condition-operator", "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"aws:PrincipalTag/team\":\"web\"}}}",
            "s3:GetObject", "arn:aws:s3:::uploads/a.png", Single("aws:PrincipalTag/team", "web")),
        // "Policy variables with no value": a negated operator whose value is an unresolved variable holds.
        Case("negated-operator-unresolved-variable", "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"${aws:username}\"}}}",
            "s3:GetObject", "arn:aws:s3:::uploads/a.png", Single("aws:PrincipalTag/team", "web")),
        // Policy variables: ${*} stands for a literal '*' in any string value.
        Case("escaped-star-in-StringEquals", "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"a${*}b\"}}}",
            "s3:GetObject", "arn:aws:s3:::uploads/a.png", Single("aws:PrincipalTag/team", "a*b")),
        // Condition operators, IfExists: when the key is absent, the condition holds.
        Case("ForAnyValue-IfExists-absent-key", "{\"Effect\":\"Allow\",\"Action\":\"iam:TagRole\",\"Resource\":\"*\",\"Condition\":{\"ForAnyValue:StringEqualsIfExists\":{\"aws:TagKeys\":[\"team\"]}}}",
            "iam:TagRole", "arn:aws:iam::111122223333:role/app-web"),
        // Date condition operators accept ISO 8601 or epoch seconds on either side.
        Case("epoch-context-against-ISO-date", "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-01-01T00:00:00Z\"}}}",
            "s3:GetObject", "arn:aws:s3:::uploads/a.png", Single("aws:CurrentTime", "1795867200")),
        // Null: a key with no values counts as absent.
        Case("Null-with-empty-list", "{\"Effect\":\"Allow\",\"Action\":\"iam:TagRole\",\"Resource\":\"*\",\"Condition\":{\"Null\":{\"aws:TagKeys\":\"true\"}}}",
            "iam:TagRole", "arn:aws:iam::111122223333:role/app-web", new ContextEntry("aws:TagKeys", [], true)),
    }.ToDictionary(c => c.Id);

    private Decision? ReferenceSays(string id) => fixture.Reference[id].Decision;

    private static Decision Ours(string id)
    {
        var c = Cases[id];
        return PolicyEvaluator.Decide([.. c.IdentityPolicies.Select((json, i) => PolicyParser.Parse(json, $"p{i}"))], null, c.Action, c.Resource, c.ToRequestContext());
    }

    [Theory]
    [InlineData("legacy-version-variables", Decision.ImplicitlyDenied)]
    [InlineData("resource-type-wildcard", Decision.Allowed)]
    [InlineData("negated-operator-unresolved-variable", Decision.Allowed)]
    [InlineData("escaped-star-in-StringEquals", Decision.Allowed)]
    [InlineData("ForAnyValue-IfExists-absent-key", Decision.Allowed)]
    [InlineData("epoch-context-against-ISO-date", Decision.Allowed)]
    [InlineData("Null-with-empty-list", Decision.Allowed)]
    public void Evaluator_follows_AWS_where_the_reference_deviates(string id, Decision aws)
    {
        Assert.Equal(aws, Ours(id));
        Assert.NotNull(ReferenceSays(id));
        Assert.NotEqual(aws, ReferenceSays(id));
    }

    [Fact]
    public void Unknown_condition_operator_is_rejected_where_the_reference_evaluates_it()
    {
        var c = Cases["unknown-condition-operator"];
        var error = Assert.Throws<PolicyParseException>(() => PolicyParser.Parse(c.IdentityPolicies[0], "p"));
        Assert.Contains("StringEqualz", error.Message, StringComparison.Ordinal);
        Assert.NotNull(ReferenceSays(c.Id));
    }
}
