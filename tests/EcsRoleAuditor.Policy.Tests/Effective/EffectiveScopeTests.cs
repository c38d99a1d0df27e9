using CsCheck;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Tests.Properties;
using static EcsRoleAuditor.Policy.Tests.TestPolicies;

namespace EcsRoleAuditor.Policy.Tests.Effective;

/// <summary>
/// Where a role may act, after boundary and Deny: the one view every rule reads. The expectations rest on the IAM User
/// Guide: "Permissions boundaries for IAM entities" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html:
/// "The effective permissions are the intersection of both policy types. An explicit deny in either of these policies
/// overrides the allow."), "NotResource" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
/// and the policy evaluation logic.
/// </summary>
public class EffectiveScopeTests
{
    private static readonly ActionCatalog Catalog = ActionCatalog.Default;

    private const string S3FullAccess = "{'Effect':'Allow','Action':['s3:*','s3-object-lambda:*'],'Resource':'*'}";

    [Fact]
    public void A_boundary_on_one_bucket_leaves_of_s3_full_access_only_what_it_allows_there()
    {
        var effective = EffectivePermissions.Compute(
            [Statements(S3FullAccess)], [Statements("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::uploads/*'}")]);

        Assert.Equal(["s3:GetObject"], effective.Allowed.Select(a => a.Action.FullName));
        var scope = Assert.Single(effective.Describe("s3:GetObject")!.Scopes);
        Assert.Equal<string>(["arn:aws:s3:::uploads/*"], scope.Patterns);
        Assert.False(scope.IsEveryResource);
    }

    [Fact]
    public void A_deny_with_NotResource_narrows_an_allow_on_every_resource_to_what_it_spares()
    {
        var effective = EffectivePermissions.Compute([Statements(
            "{'Effect':'Allow','Action':'s3:Get*','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:*','NotResource':['arn:aws:s3:::uploads','arn:aws:s3:::uploads/*']}")], null);

        var scope = Assert.Single(effective.Describe("s3:GetObject")!.Scopes);
        Assert.Equal<string>(["arn:aws:s3:::uploads/*"], scope.Patterns);
        // A wildcard-only action is requested on "*", which the Deny's NotResource does not spare.
        Assert.False(effective.Describe("s3:ListAllMyBuckets")!.IsAllowed);
    }

    [Fact]
    public void A_deny_with_NotResource_on_a_tag_variable_spares_the_tag_bucket_and_may_not_apply_without_the_tag()
    {
        // IAM User Guide, "Policy variables with no value" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value):
        // an entry whose variable has no value matches nothing, and AWS may treat the statement as invalid; the evaluator
        // then lets a NotResource Deny not apply, so the view must keep the rest of the grant, conditionally.
        var policy = Statements(
            "{'Effect':'Allow','Action':'s3:PutObject','Resource':'*'}",
            "{'Sid':'OwnBucket','Effect':'Deny','Action':'s3:PutObject','NotResource':'arn:aws:s3:::${aws:PrincipalTag/team}/*'}");

        var unknownTag = EffectivePermissions.Compute([policy], null).Describe("s3:PutObject")!;
        Assert.True(unknownTag.IsAllowed);
        Assert.Contains(unknownTag.Scopes, s => s.DeniedUnless.IsEmpty && s.Patterns.SequenceEqual(["arn:aws:s3:::${aws:PrincipalTag/team}/*"]));
        Assert.Contains(unknownTag.Scopes, s => s.DeniedUnless.Any(d => d.Source.Statement.Sid == "OwnBucket"));
        Assert.Equal(Decision.Allowed, PolicyEvaluator.Decide([policy], null, "s3:PutObject", "arn:aws:s3:::logs/a.gz", RequestContext.Empty));

        var withTag = KnownContext.None.With("aws:PrincipalTag/team", "web");
        var scope = Assert.Single(EffectivePermissions.Compute([policy], null, known: withTag).Describe("s3:PutObject")!.Scopes);
        Assert.Equal<string>(["arn:aws:s3:::${aws:PrincipalTag/team}/*"], scope.Patterns);
        Assert.True(scope.DeniedUnless.IsEmpty);

        var withoutTag = KnownContext.None.WithAbsent("aws:PrincipalTag/team");
        var spared = EffectivePermissions.Compute([policy], null, known: withoutTag);
        Assert.Equal(RequestVerdict.Allowed, spared.Check("s3:PutObject", "arn:aws:s3:::logs/a.gz", withoutTag).Verdict);
    }

    [Fact]
    public void Identity_and_boundary_on_different_buckets_allow_nothing()
    {
        var effective = EffectivePermissions.Compute(
            [Statements("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::uploads/*'}")],
            [Statements("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::reports/*'}")]);

        Assert.Equal(0, effective.AllowedActionCount);
        Assert.Equal(Decision.ImplicitlyDenied, effective.Decide("s3:GetObject", "arn:aws:s3:::uploads/a"));
    }

    [Fact]
    public void A_statement_grants_an_action_only_on_resources_of_a_type_the_action_acts_on()
    {
        // Service Authorization Reference: an action is authorized against resources of its resource types, and a
        // wildcard-only action against "*"; a bucket ARN grants neither a DynamoDB item read nor an ECR token.
        var effective = EffectivePermissions.Compute([Statements(
            "{'Effect':'Allow','Action':['s3:GetObject','dynamodb:GetItem','ecr:GetAuthorizationToken'],'Resource':'arn:aws:s3:::reports/*'}")], null);

        Assert.Equal(["s3:GetObject"], effective.Allowed.Select(a => a.Action.FullName));
    }

    [Fact]
    public void An_unconditional_deny_covering_the_scope_removes_it_and_a_narrower_one_is_an_exception()
    {
        var policy = Statements(
            "{'Sid':'Queues','Effect':'Allow','Action':'sqs:*','Resource':'arn:aws:sqs:eu-west-1:111122223333:jobs-*'}",
            "{'Sid':'NoJobs','Effect':'Deny','Action':'sqs:DeleteQueue','Resource':'arn:aws:sqs:*:*:*'}",
            "{'Sid':'NotAudit','Effect':'Deny','Action':'sqs:SendMessage','Resource':'arn:aws:sqs:eu-west-1:111122223333:jobs-audit'}");
        var effective = EffectivePermissions.Compute([policy], null);

        Assert.False(effective.Describe("sqs:DeleteQueue")!.IsAllowed);
        var send = Assert.Single(effective.Describe("sqs:SendMessage")!.Scopes);
        Assert.Equal("NotAudit", Assert.Single(send.Excluded).By.Source.Statement.Sid);
    }

    [Fact]
    public void Known_context_decides_conditions_instead_of_printing_them()
    {
        var policy = Statements(
            "{'Sid':'Here','Effect':'Allow','Action':'sqs:SendMessage','Resource':'arn:aws:sqs:eu-west-1:111122223333:jobs','Condition':{'StringEquals':{'aws:RequestedRegion':'eu-west-1'}}}",
            "{'Sid':'Elsewhere','Effect':'Allow','Action':'sqs:DeleteMessage','Resource':'arn:aws:sqs:eu-west-1:111122223333:jobs','Condition':{'StringEquals':{'aws:RequestedRegion':'us-east-1'}}}",
            "{'Sid':'Team','Effect':'Allow','Action':'sqs:ReceiveMessage','Resource':'*','Condition':{'StringEquals':{'aws:PrincipalTag/team':'web'}}}",
            "{'Sid':'Tagged','Effect':'Allow','Action':'sqs:PurgeQueue','Resource':'*','Condition':{'StringEquals':{'aws:ResourceTag/team':'web'}}}");
        var known = KnownContext.None.With("aws:PrincipalTag/team", "data");
        var effective = EffectivePermissions.Compute([policy], null, known: known);

        // aws:RequestedRegion of a request for an eu-west-1 queue is eu-west-1 (IAM User Guide, global condition keys).
        Assert.False(Assert.Single(effective.Describe("sqs:SendMessage")!.Scopes).IsConditional);
        Assert.False(effective.Describe("sqs:DeleteMessage")!.IsAllowed);
        Assert.False(effective.Describe("sqs:ReceiveMessage")!.IsAllowed);
        Assert.True(effective.Describe("sqs:PurgeQueue")!.IsConditional);
    }

    [Fact]
    public void In_a_known_partition_a_deny_on_every_s3_resource_leaves_no_object_action()
    {
        // The role's credentials reach resources of its own partition only; a Deny on every S3 ARN of that partition takes all.
        var policy = Statements(
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:*','Resource':'arn:aws-cn:s3:*'}");

        Assert.False(EffectivePermissions.Compute([policy], null, partition: "aws-cn").Describe("s3:GetObject")!.IsAllowed);
        Assert.True(EffectivePermissions.Compute([policy], null, partition: "aws").Describe("s3:GetObject")!.IsAllowed);
    }

    [Fact]
    public void Reached_through_a_statement_is_what_it_grants_after_the_boundary()
    {
        var identity = Statements("{'Sid':'All','Effect':'Allow','Action':['s3:*','sqs:*'],'Resource':'*'}");
        var effective = EffectivePermissions.Compute([identity], [Statements("{'Effect':'Allow','Action':'s3:Get*','Resource':'*'}")]);

        var reached = effective.ReachedThrough(effective.IdentityAllows[0]);
        Assert.True(reached.SetEquals(Catalog.Expand("s3:Get*")));
    }

    [Fact]
    public void Check_agrees_with_the_evaluator_when_every_condition_key_is_known()
    {
        Gen.Select(EvaluatorGen.Policies, EvaluatorGen.Boundary, EvaluatorGen.Request).Sample((policies, boundaryList, request) =>
        {
            var boundary = boundaryList.Length == 0 ? null : boundaryList;
            var known = EvaluatorGen.KnownFrom(request.Context);
            var expected = PolicyEvaluator.Decide(policies, boundary, request.Action, request.Resource, request.Context);
            var outcome = EffectivePermissions.Compute(policies, boundary, known: known).Check(request.Action, request.Resource);
            var actual = outcome.Verdict switch
            {
                RequestVerdict.Allowed => Decision.Allowed,
                RequestVerdict.ExplicitlyDenied => Decision.ExplicitlyDenied,
                RequestVerdict.Undecided => throw new InvalidOperationException("undecided with every key known"),
                _ => Decision.ImplicitlyDenied,
            };
            Assert.Equal(expected, actual);
        }, iter: 1000);
    }

    [Fact]
    public void An_action_some_request_is_allowed_for_is_never_missing_from_the_allowed_actions()
    {
        Gen.Select(EvaluatorGen.Policies, EvaluatorGen.Boundary, EvaluatorGen.Request).Sample((policies, boundaryList, request) =>
        {
            var boundary = boundaryList.Length == 0 ? null : boundaryList;
            if (PolicyEvaluator.Decide(policies, boundary, request.Action, request.Resource, request.Context) != Decision.Allowed)
            {
                return;
            }
            var effective = EffectivePermissions.Compute(policies, boundary);
            var access = effective.Describe(request.Action)!;
            Assert.True(access.IsAllowed, $"{request.Action} on {request.Resource} is allowed, but the view has no scope for it");
            Assert.True(effective.IsAllowed(access.Action));
        }, iter: 1000);
    }

    [Fact]
    public void Check_leaves_undecided_what_depends_on_unknown_keys_and_names_the_statements()
    {
        var policy = Statements(
            "{'Sid':'ViaVpce','Effect':'Allow','Action':'ecr:GetAuthorizationToken','Resource':'*','Condition':{'StringEquals':{'aws:SourceVpce':'vpce-1'}}}");
        var effective = EffectivePermissions.Compute([policy], null);

        var unknown = effective.Check("ecr:GetAuthorizationToken", "*");
        Assert.Equal(RequestVerdict.Undecided, unknown.Verdict);
        Assert.Equal("ViaVpce", Assert.Single(unknown.UndecidedAllows).Source.Statement.Sid);
        // A call known to come from no VPC endpoint: the condition is false, the request not allowed.
        Assert.Equal(RequestVerdict.NotAllowed, effective.Check("ecr:GetAuthorizationToken", "*", KnownContext.None.WithAbsent("aws:SourceVpce")).Verdict);
    }
}
