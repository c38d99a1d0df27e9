using CsCheck;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using static EcsRoleAuditor.Policy.Tests.TestPolicies;

namespace EcsRoleAuditor.Policy.Tests.Properties;

/// <summary>Laws of IAM's evaluation logic that must hold for any policies and any request.</summary>
public class EvaluatorPropertyTests
{
    private static readonly string[] ActionPatterns = EvaluatorGen.ActionPatterns;

    private static readonly Gen<string> StatementGen = EvaluatorGen.Statement;

    private static readonly Gen<PolicyDocument> PolicyGen = EvaluatorGen.Policy;

    private static readonly Gen<(string Action, string Resource, RequestContext Context)> RequestGen = EvaluatorGen.Request;

    private static string JsonList(string[] items) => EvaluatorGen.JsonList(items);

    [Fact]
    public void Adding_a_deny_never_turns_a_decision_into_allowed()
    {
        Gen.Select(PolicyGen.Array[1, 3], StatementGen, RequestGen).Sample((policies, extra, request) =>
        {
            var deny = Statements(extra.Replace("'Effect':'Allow'", "'Effect':'Deny'", StringComparison.Ordinal));
            var before = PolicyEvaluator.Decide(policies, null, request.Action, request.Resource, request.Context);
            var after = PolicyEvaluator.Decide([.. policies, deny], null, request.Action, request.Resource, request.Context);
            Assert.True(after != Decision.Allowed || before == Decision.Allowed, $"{before} became {after}");
            Assert.True(before != Decision.ExplicitlyDenied || after == Decision.ExplicitlyDenied);
        }, iter: 500);
    }

    [Fact]
    public void Adding_a_boundary_never_widens()
    {
        Gen.Select(PolicyGen.Array[1, 3], PolicyGen.Array[0, 2], RequestGen).Sample((policies, boundary, request) =>
        {
            var without = PolicyEvaluator.Decide(policies, null, request.Action, request.Resource, request.Context);
            var with = PolicyEvaluator.Decide(policies, boundary, request.Action, request.Resource, request.Context);
            Assert.True(with != Decision.Allowed || without == Decision.Allowed, $"{without} became {with}");
        }, iter: 500);
    }

    [Fact]
    public void NotAction_allows_exactly_the_complement_over_the_catalog()
    {
        var catalog = ActionCatalog.Default;
        Gen.Select(Gen.OneOf(ActionPatterns).Array[1, 3], Gen.Int[0, catalog.ActionCount - 1]).Sample((patterns, id) =>
        {
            var notAction = Statements($"{{'Effect':'Allow','NotAction':{JsonList(patterns)},'Resource':'*'}}");
            var named = new ActionSet(catalog);
            foreach (var pattern in patterns)
            {
                named.UnionWith(catalog.Expand(pattern));
            }
            var action = catalog.Actions[id];
            var expected = named.Contains(id) ? Decision.ImplicitlyDenied : Decision.Allowed;
            Assert.Equal(expected, PolicyEvaluator.Decide([notAction], null, action.FullName, "*", RequestContext.Empty));
            Assert.Equal(expected == Decision.Allowed, EffectivePermissions.Compute([notAction], null).IsAllowed(action));
        }, iter: 300);
    }

    [Fact]
    public void NotAction_policy_decides_like_the_policy_listing_the_complement()
    {
        var catalog = ActionCatalog.Default;
        var notAction = Statements("{'Effect':'Allow','NotAction':['iam:*','s3:Get*','ec2:?escribe*'],'Resource':'*'}");
        var complement = catalog.Expand("iam:*").Clone();
        complement.UnionWith(catalog.Expand("s3:Get*"));
        complement.UnionWith(catalog.Expand("ec2:?escribe*"));
        complement = complement.Complement();
        var listing = Statements($"{{'Effect':'Allow','Action':{JsonList([.. complement.Ids.Select(i => catalog.Actions[i].FullName)])},'Resource':'*'}}");
        Gen.Int[0, catalog.ActionCount - 1].Sample(id =>
        {
            var action = catalog.Actions[id].FullName;
            Assert.Equal(
                PolicyEvaluator.Decide([listing], null, action, "*", RequestContext.Empty),
                PolicyEvaluator.Decide([notAction], null, action, "*", RequestContext.Empty));
        }, iter: 2000);
    }

    [Fact]
    public void Action_matching_ignores_case()
    {
        Gen.Select(PolicyGen.Array[1, 3], RequestGen, Gen.Int.Array[4]).Sample((policies, request, flips) =>
        {
            var flipped = FlipCase(request.Action, flips);
            Assert.Equal(
                PolicyEvaluator.Decide(policies, null, request.Action, request.Resource, request.Context),
                PolicyEvaluator.Decide(policies, null, flipped, request.Resource, request.Context));
        }, iter: 500);
    }

    [Fact]
    public void Resource_matching_does_not_ignore_case()
    {
        Gen.Select(Gen.String[Gen.Char['a', 'z'], 1, 12], Gen.Int.Array[1, 4]).Sample((key, flips) =>
        {
            var resource = $"arn:aws:s3:::uploads/{key}";
            var policy = Statements($"{{'Effect':'Allow','Action':'s3:GetObject','Resource':'{resource}'}}");
            var other = "arn:aws:s3:::uploads/" + FlipCase(key, flips);
            var expected = other == resource ? Decision.Allowed : Decision.ImplicitlyDenied;
            Assert.Equal(Decision.Allowed, PolicyEvaluator.Decide([policy], null, "s3:GetObject", resource, RequestContext.Empty));
            Assert.Equal(expected, PolicyEvaluator.Decide([policy], null, "s3:GetObject", other, RequestContext.Empty));
        }, iter: 300);
    }

    private static string FlipCase(string text, int[] positions)
    {
        var chars = text.ToCharArray();
        foreach (var position in positions)
        {
            var i = (int)((uint)position % (uint)chars.Length);
            chars[i] = char.IsUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
        }
        return new string(chars);
    }
}
