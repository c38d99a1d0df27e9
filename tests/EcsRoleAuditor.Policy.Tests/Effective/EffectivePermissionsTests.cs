using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using static EcsRoleAuditor.Policy.Tests.TestPolicies;

namespace EcsRoleAuditor.Policy.Tests.Effective;

public class EffectivePermissionsTests
{
    private static readonly ActionCatalog Catalog = ActionCatalog.Default;

    private const string TaskExecutionRolePolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}
        """;

    [Fact]
    public void Task_execution_role_policy_allows_exactly_its_six_actions_everywhere()
    {
        var effective = EffectivePermissions.Compute([Identity(TaskExecutionRolePolicy, "AmazonECSTaskExecutionRolePolicy")], null);

        Assert.Equal(
            ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents"],
            effective.Allowed.Select(a => a.Action.FullName).Order(StringComparer.Ordinal));
        Assert.All(effective.Allowed, a => Assert.True(a.IsAllowedEverywhere));
        var token = effective.Describe("ecr:GetAuthorizationToken")!;
        Assert.True(token.Action.IsWildcardOnly);
        Assert.Equal("AmazonECSTaskExecutionRolePolicy", Assert.Single(token.Allows).Source.PolicyName);
    }

    [Fact]
    public void Boundary_narrows_the_allowed_actions_to_the_intersection()
    {
        var identity = Statements("{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
        var boundary = Statements("{'Effect':'Allow','Action':['s3:Get*','sqs:*'],'Resource':'*'}");
        var effective = EffectivePermissions.Compute([identity], [boundary]);

        var expected = Catalog.Expand("s3:Get*").Ids.Select(id => Catalog.Actions[id].FullName);
        Assert.Equal(expected, effective.Allowed.Select(a => a.Action.FullName));
        Assert.False(effective.Describe("s3:PutObject")!.IsAllowed);
        Assert.False(effective.Describe("sqs:SendMessage")!.IsAllowed);
    }

    [Fact]
    public void Unconditional_deny_on_every_resource_removes_the_action()
    {
        var policy = Statements(
            "{'Effect':'Allow','Action':'iam:*','Resource':'*'}",
            "{'Sid':'NoPassRole','Effect':'Deny','Action':'iam:PassRole','Resource':'*'}");
        var effective = EffectivePermissions.Compute([policy], null);

        var passRole = effective.Describe("iam:PassRole")!;
        Assert.False(passRole.IsAllowed);
        Assert.Equal("NoPassRole", Assert.Single(passRole.Denies).Source.Statement.Sid);
        Assert.Equal(Catalog.Expand("iam:*").Count - 1, effective.AllowedActionCount);
    }

    [Fact]
    public void Conditional_or_partial_deny_keeps_the_action_but_says_so()
    {
        var policy = Statements(
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}",
            "{'Sid':'TlsOnly','Effect':'Deny','Action':'s3:GetObject','Resource':'*','Condition':{'Bool':{'aws:SecureTransport':'false'}}}",
            "{'Sid':'NotSecrets','Effect':'Deny','Action':'s3:GetObject','Resource':'arn:aws:s3:::secrets/*'}");
        var access = EffectivePermissions.Compute([policy], null).Describe("s3:GetObject")!;

        Assert.True(access.IsAllowed);
        Assert.False(access.IsAllowedEverywhere);
        Assert.Equal(2, access.Denies.Length);
        var scope = Assert.Single(access.Scopes);
        Assert.True(scope.IsEveryResource);
        // IAM User Guide, policy evaluation logic: a Deny applies when its conditions hold; one the audit cannot decide is "unless", not a removal.
        Assert.Equal("TlsOnly", Assert.Single(scope.DeniedUnless).Source.Statement.Sid);
        var excluded = Assert.Single(scope.Excluded);
        Assert.Equal(("arn:aws:s3:::secrets/*", "NotSecrets"), (excluded.Text, excluded.By.Source.Statement.Sid));
        Assert.False(scope.IsConditional); // the Allow's own conditions only
    }

    [Fact]
    public void Conditional_allow_is_reported_as_conditional()
    {
        var policy = Statements("{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'*','Condition':{'StringEquals':{'aws:ResourceTag/team':'web'}}}");
        var access = EffectivePermissions.Compute([policy], null).Describe("sts:AssumeRole")!;

        Assert.True(access.IsAllowed);
        Assert.True(access.IsConditional);
        Assert.False(access.IsAllowedEverywhere);
        Assert.Equal("aws:ResourceTag/team", Assert.Single(Assert.Single(access.Scopes).Conditions).Key);
    }

    [Fact]
    public void NotAction_allow_covers_the_complement_and_is_listed()
    {
        var policy = Statements("{'Sid':'AllButIam','Effect':'Allow','NotAction':'iam:*','Resource':'*'}");
        var effective = EffectivePermissions.Compute([policy], null);

        Assert.Equal(Catalog.ActionCount - Catalog.Expand("iam:*").Count, effective.AllowedActionCount);
        Assert.Equal("AllButIam", Assert.Single(effective.NotActionAllows).Source.Statement.Sid);
        Assert.False(effective.Describe("iam:CreateUser")!.IsAllowed);
        Assert.True(effective.Describe("s3:DeleteBucket")!.IsAllowed);
    }

    [Fact]
    public void NotResource_allow_is_listed_and_flagged_on_the_action()
    {
        var policy = Statements("{'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::secrets/*'}");
        var effective = EffectivePermissions.Compute([policy], null);

        Assert.Single(effective.NotResourceAllows);
        var scope = Assert.Single(effective.Describe("s3:GetObject")!.Scopes);
        Assert.True(scope.IsEveryResource);
        Assert.Equal("arn:aws:s3:::secrets/*", Assert.Single(scope.ExcludedByNotResource).Text);
    }

    [Fact]
    public void Unknown_action_names_are_kept_literally()
    {
        var policy = Statements("{'Effect':'Allow','Action':['s3:GetObjekt','s3:GetObject','madeup:*'],'Resource':'*'}");
        var effective = EffectivePermissions.Compute([policy], null);

        var grant = Assert.Single(effective.AllowsWithUnknownActions);
        Assert.Equal<string>(["s3:GetObjekt", "madeup:*"], grant.UnmatchedActionPatterns);
        Assert.Equal(1, effective.AllowedActionCount);
    }

    [Fact]
    public void Resource_patterns_are_narrowed_by_the_boundary_pattern_by_pattern()
    {
        var identity = Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':['arn:aws:s3:::uploads/*','arn:aws:s3:::logs/*']}");
        var boundary = Statements("{'Effect':'Allow','Action':'s3:*','Resource':['arn:aws:s3:::uploads/public/*','arn:aws:s3:::logs/*']}");
        var access = EffectivePermissions.Compute([identity], [boundary]).Describe("s3:GetObject")!;

        Assert.Equal(["arn:aws:s3:::logs/*", "arn:aws:s3:::uploads/public/*"], access.Scopes.SelectMany(s => s.Patterns).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Decide_uses_the_same_policies_and_boundary()
    {
        var identity = Statements("{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
        var boundary = Statements("{'Effect':'Allow','Action':'s3:Get*','Resource':'*'}");
        var effective = EffectivePermissions.Compute([identity], [boundary]);

        Assert.Equal(Decision.Allowed, effective.Decide("s3:GetObject", "arn:aws:s3:::b/k"));
        Assert.Equal(Decision.ImplicitlyDenied, effective.Decide("s3:PutObject", "arn:aws:s3:::b/k"));
    }
}
