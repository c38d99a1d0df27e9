using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using static EcsRoleAuditor.Policy.Tests.TestPolicies;

namespace EcsRoleAuditor.Policy.Tests.Evaluation;

public class PolicyEvaluatorTests
{
    private const string Object = "arn:aws:s3:::uploads/avatars/42.png";

    private static Decision Decide(PolicyDocument[] identity, PolicyDocument[]? boundary, string action, string resource, RequestContext? context = null) =>
        PolicyEvaluator.Decide(identity, boundary, action, resource, context ?? RequestContext.Empty);

    [Fact]
    public void Matching_allow_allows()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::uploads/*'}");
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:GetObject", Object));
    }

    [Fact]
    public void Nothing_matching_is_an_implicit_deny()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::other/*'}");
        Assert.Equal(Decision.ImplicitlyDenied, Decide([policy], null, "s3:GetObject", Object));
        Assert.Equal(Decision.ImplicitlyDenied, Decide([], null, "s3:GetObject", Object));
    }

    [Fact]
    public void Deny_in_another_policy_wins_over_allow()
    {
        var allow = Statements("{'Effect':'Allow','Action':'*','Resource':'*'}");
        var deny = Statements("{'Effect':'Deny','Action':'s3:*','Resource':'arn:aws:s3:::uploads/*'}");
        Assert.Equal(Decision.ExplicitlyDenied, Decide([allow, deny], null, "s3:GetObject", Object));
        Assert.Equal(Decision.Allowed, Decide([allow, deny], null, "s3:GetObject", "arn:aws:s3:::logs/x"));
    }

    [Fact]
    public void Boundary_must_also_allow()
    {
        var identity = Statements("{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
        var boundary = Statements("{'Effect':'Allow','Action':'s3:Get*','Resource':'*'}");
        Assert.Equal(Decision.Allowed, Decide([identity], [boundary], "s3:GetObject", Object));
        Assert.Equal(Decision.ImplicitlyDenied, Decide([identity], [boundary], "s3:PutObject", Object));
    }

    [Fact]
    public void Boundary_alone_grants_nothing()
    {
        var boundary = Statements("{'Effect':'Allow','Action':'*','Resource':'*'}");
        Assert.Equal(Decision.ImplicitlyDenied, Decide([], [boundary], "s3:GetObject", Object));
    }

    [Fact]
    public void Deny_in_the_boundary_is_an_explicit_deny()
    {
        var identity = Statements("{'Effect':'Allow','Action':'*','Resource':'*'}");
        var boundary = Statements(
            "{'Effect':'Allow','Action':'*','Resource':'*'}",
            "{'Effect':'Deny','Action':'iam:*','Resource':'*'}");
        Assert.Equal(Decision.ExplicitlyDenied, Decide([identity], [boundary], "iam:PassRole", "arn:aws:iam::111122223333:role/x"));
    }

    [Fact]
    public void An_empty_boundary_denies_everything()
    {
        var identity = Statements("{'Effect':'Allow','Action':'*','Resource':'*'}");
        Assert.Equal(Decision.ImplicitlyDenied, Decide([identity], [], "s3:GetObject", Object));
    }

    [Fact]
    public void NotAction_allow_grants_every_other_action_of_every_service()
    {
        var policy = Statements("{'Effect':'Allow','NotAction':['iam:*','organizations:*'],'Resource':'*'}");
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:DeleteBucket", "arn:aws:s3:::b"));
        Assert.Equal(Decision.Allowed, Decide([policy], null, "brandnewservice:DoThing", "*"));
        Assert.Equal(Decision.ImplicitlyDenied, Decide([policy], null, "iam:CreateUser", "arn:aws:iam::111122223333:user/u"));
    }

    [Fact]
    public void NotResource_allow_grants_every_other_resource()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::secrets/*'}");
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:GetObject", Object));
        Assert.Equal(Decision.ImplicitlyDenied, Decide([policy], null, "s3:GetObject", "arn:aws:s3:::secrets/k"));
    }

    [Fact]
    public void NotResource_deny_denies_every_other_resource()
    {
        var policy = Statements(
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:*','NotResource':'arn:aws:s3:::uploads/*'}");
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:GetObject", Object));
        Assert.Equal(Decision.ExplicitlyDenied, Decide([policy], null, "s3:GetObject", "arn:aws:s3:::logs/k"));
    }

    [Fact]
    public void Action_names_match_ignoring_case()
    {
        var policy = Statements("{'Effect':'Allow','Action':'S3:getobj*','Resource':'*'}");
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:GetObject", Object));
        Assert.Equal(Decision.Allowed, Decide([policy], null, "S3:GETOBJECT", Object));
    }

    [Fact]
    public void Resource_ids_match_case_sensitively()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::uploads/Avatars/*'}");
        Assert.Equal(Decision.ImplicitlyDenied, Decide([policy], null, "s3:GetObject", Object));
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:GetObject", "arn:aws:s3:::uploads/Avatars/1.png"));
    }

    [Theory]
    [InlineData("arn:aws:s3:*", "arn:aws:s3:::uploads/k", true)]
    [InlineData("arn:aws:s3:::*", "arn:aws:s3:::uploads/k", true)]
    [InlineData("arn:aws:ecs:*:*:*/prod/*", "arn:aws:ecs:us-east-1:111122223333:task-definition/prod/web:3", true)]
    [InlineData("arn:aws:ecs:*:*:task-definition/web:*", "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3", true)]
    [InlineData("arn:aws:iam::*:role/app-*", "arn:aws:iam::111122223333:role/app-web", true)]
    [InlineData("arn:aws:iam::*:role/app-*", "arn:aws:iam::111122223333:user/app-web", false)]
    [InlineData("arn:aws:sqs:us-east-1:111122223333:jobs", "arn:aws:sqs:us-east-2:111122223333:jobs", false)]
    [InlineData("arn:aws:sqs:us-?ast-1:*:jobs", "arn:aws:sqs:us-east-1:111122223333:jobs", true)]
    public void Resource_patterns_match_by_ARN_segment(string pattern, string resource, bool allowed)
    {
        var policy = Statements($"{{'Effect':'Allow','Action':'*','Resource':'{pattern}'}}");
        Assert.Equal(allowed ? Decision.Allowed : Decision.ImplicitlyDenied, Decide([policy], null, "s3:GetObject", resource));
    }

    [Fact]
    public void Wildcard_only_action_is_granted_only_by_star_resource()
    {
        var scoped = Statements("{'Effect':'Allow','Action':'ecr:GetAuthorizationToken','Resource':'arn:aws:ecr:*:*:repository/*'}");
        var star = Statements("{'Effect':'Allow','Action':'ecr:GetAuthorizationToken','Resource':'*'}");
        Assert.Equal(Decision.ImplicitlyDenied, Decide([scoped], null, "ecr:GetAuthorizationToken", "*"));
        Assert.Equal(Decision.Allowed, Decide([star], null, "ecr:GetAuthorizationToken", "*"));
    }

    [Fact]
    public void Policy_variables_in_resources_are_substituted_from_the_context()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::home/${aws:username}/*'}");
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt", Context(("aws:username", "alice"))));
        Assert.Equal(Decision.ImplicitlyDenied, Decide([policy], null, "s3:GetObject", "arn:aws:s3:::home/bob/notes.txt", Context(("aws:username", "alice"))));
    }

    [Fact]
    public void A_resource_variable_without_value_matches_nothing()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::home/${aws:username}/*'}");
        Assert.Equal(Decision.ImplicitlyDenied, Decide([policy], null, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt"));
    }

    [Fact]
    public void NotResource_with_an_unresolvable_variable_for_the_requested_service_does_not_apply()
    {
        var deny = Statements(
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:*','NotResource':'arn:aws:s3:::home/${aws:username}/*'}");
        // Without aws:username AWS cannot tell which objects the Deny spares: the statement is invalid, not a deny-all.
        Assert.Equal(Decision.Allowed, Decide([deny], null, "s3:GetObject", Object));
        Assert.Equal(Decision.ExplicitlyDenied, Decide([deny], null, "s3:GetObject", Object, Context(("aws:username", "alice"))));
        Assert.Equal(Decision.Allowed, Decide([deny], null, "s3:GetObject", "arn:aws:s3:::home/alice/a.txt", Context(("aws:username", "alice"))));
    }

    [Fact]
    public void NotResource_entry_for_another_service_does_not_depend_on_its_variable()
    {
        var allow = Statements("{'Effect':'Allow','Action':'ecr:*','NotResource':'arn:aws:s3:::home/${aws:username}/*'}");
        Assert.Equal(Decision.Allowed, Decide([allow], null, "ecr:BatchGetImage", "arn:aws:ecr:us-east-1:111122223333:repository/web"));
    }

    [Fact]
    public void Policy_variables_are_literal_text_in_2008_10_17_policies()
    {
        var legacy = Identity("{'Version':'2008-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::home/${aws:username}/*'}]}");
        Assert.Equal(Decision.ImplicitlyDenied, Decide([legacy], null, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt", Context(("aws:username", "alice"))));
        Assert.Equal(Decision.Allowed, Decide([legacy], null, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/notes.txt", Context(("aws:username", "alice"))));
    }

    [Fact]
    public void Every_condition_must_hold()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':{'Bool':{'aws:SecureTransport':'true'},'StringEquals':{'aws:PrincipalTag/team':'web'}}}");
        var both = Context(("aws:SecureTransport", "true"), ("aws:PrincipalTag/team", "web"));
        var one = Context(("aws:SecureTransport", "true"));
        Assert.Equal(Decision.Allowed, Decide([policy], null, "s3:GetObject", Object, both));
        Assert.Equal(Decision.ImplicitlyDenied, Decide([policy], null, "s3:GetObject", Object, one));
    }

    [Fact]
    public void GetCallerIdentity_needs_no_permission_and_cannot_be_denied()
    {
        var deny = Statements("{'Effect':'Deny','Action':'sts:*','Resource':'*'}");
        Assert.Equal(Decision.Allowed, Decide([deny], null, "sts:GetCallerIdentity", "*"));
        Assert.Equal(Decision.Allowed, Decide([], [], "STS:getcalleridentity", "*"));
        Assert.Equal(Decision.ExplicitlyDenied, Decide([deny], null, "sts:GetSessionToken", "*"));
    }

    [Fact]
    public void Explain_names_the_matching_statements_denies_first()
    {
        var allow = Statements("{'Sid':'All','Effect':'Allow','Action':'*','Resource':'*'}");
        var deny = Statements("{'Sid':'NoDeletes','Effect':'Deny','Action':'s3:Delete*','Resource':'*'}", "{'Sid':'Unrelated','Effect':'Allow','Action':'sqs:*','Resource':'*'}");
        var evaluation = PolicyEvaluator.Explain([allow, deny], null, "s3:DeleteObject", Object, RequestContext.Empty);
        Assert.Equal(Decision.ExplicitlyDenied, evaluation.Decision);
        Assert.Equal(["NoDeletes", "All"], evaluation.MatchedStatements.Select(m => m.Statement.Label));
        Assert.Equal(deny.Name, evaluation.MatchedStatements[0].PolicyName);
    }
}
