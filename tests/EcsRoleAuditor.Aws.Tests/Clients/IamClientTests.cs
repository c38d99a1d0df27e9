using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Tests.Clients;

public sealed class IamClientTests
{
    [Fact]
    public async Task GetRole_posts_the_query_form_and_reads_every_field_with_the_trust_policy_decoded()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetRole);
        using var aws = TestConnections.To(responder);

        var role = await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal("S3Access", role.RoleName);
        Assert.Equal("arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access", role.Arn);
        Assert.Equal("/application_abc/component_xyz/", role.Path);
        Assert.Equal(AwsExamples.TrustPolicy, role.AssumeRolePolicyDocument);
        Assert.Equal("arn:aws:iam::123456789012:policy/Boundary", role.PermissionsBoundaryArn);
        Assert.Equal([new IamTag("team", "payments"), new IamTag("empty", "")], role.Tags);

        var request = responder.OnlyRequest;
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["Action"] = "GetRole", ["Version"] = "2010-05-08", ["RoleName"] = "S3Access" }, request.Form);
    }

    [Fact]
    public async Task A_well_formed_answer_without_the_operations_result_is_unreadable_not_an_empty_list()
    {
        // Another operation's answer (or an error page that is valid XML) must not read as "this role has no policies".
        using var responder = new RecordingResponder().Xml(AwsExamples.GetRole);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<Amazon.Runtime.AmazonUnmarshallingException>(() => aws.Iam.ListRolePoliciesAsync("S3Access", null, CancellationToken.None));

        Assert.Contains("ListRolePoliciesResult", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iam_is_signed_for_us_east_1_even_when_the_client_region_is_eu_west_1()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetRole);
        using var aws = TestConnections.To(responder, region: "eu-west-1");

        await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal((TestConnections.AccessKey, "us-east-1", "iam"), responder.OnlyRequest.CredentialScope);
        Assert.False(responder.OnlyRequest.Headers.ContainsKey("X-Amz-Security-Token"));
    }

    [Theory]
    [InlineData("cn-northwest-1", "cn-north-1")]
    [InlineData("us-gov-east-1", "us-gov-west-1")]
    public async Task Iam_is_signed_for_its_partitions_global_region(string clientRegion, string signingRegion)
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetRole);
        using var aws = TestConnections.To(responder, region: clientRegion);

        await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal(signingRegion, responder.OnlyRequest.CredentialScope.Region);
    }

    [Fact]
    public async Task ListRolePolicies_sends_the_marker_and_max_items_and_returns_the_next_marker_while_truncated()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.ListRolePolicies(truncated: true)).Xml(AwsExamples.ListRolePolicies(truncated: false));
        using var aws = TestConnections.To(responder);

        var first = await aws.Iam.ListRolePoliciesAsync("S3Access", null, CancellationToken.None);
        var second = await aws.Iam.ListRolePoliciesAsync("S3Access", first.NextMarker, CancellationToken.None);

        Assert.Equal(["CloudwatchPutMetricPolicy", "S3AccessPolicy"], first.Items);
        Assert.Equal("AAEAAB+page2/marker==", first.NextMarker);
        Assert.Null(second.NextMarker);
        Assert.False(responder.Requests[0].Form.ContainsKey("Marker"));
        Assert.Equal("1000", responder.Requests[0].Form["MaxItems"]);
        Assert.Equal("AAEAAB+page2/marker==", responder.Requests[1].Form["Marker"]);
        Assert.Equal("ListRolePolicies", responder.Requests[1].Form["Action"]);
    }

    [Fact]
    public async Task GetRolePolicy_returns_the_document_decoded_with_plus_signs_and_percent_escapes_restored()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetRolePolicy);
        using var aws = TestConnections.To(responder);

        var document = await aws.Iam.GetRolePolicyAsync("S3Access", "S3AccessPolicy", CancellationToken.None);

        Assert.Equal(AwsExamples.InlinePolicy, document);
        Assert.Equal("S3AccessPolicy", responder.OnlyRequest.Form["PolicyName"]);
        Assert.Equal("S3Access", responder.OnlyRequest.Form["RoleName"]);
    }

    [Fact]
    public async Task ListAttachedRolePolicies_reads_names_arns_and_the_marker()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.ListAttachedRolePolicies);
        using var aws = TestConnections.To(responder);

        var page = await aws.Iam.ListAttachedRolePoliciesAsync("S3Access", null, CancellationToken.None);

        Assert.Equal([new AttachedPolicy("ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess")], page.Items);
        Assert.StartsWith("EXAMPLEkakv9", page.NextMarker, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPolicy_and_GetPolicyVersion_read_the_default_version_and_its_decoded_document()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetPolicy).Xml(AwsExamples.GetPolicyVersion);
        using var aws = TestConnections.To(responder);
        const string arn = "arn:aws:iam::123456789012:policy/S3-read-only-example-bucket";

        var policy = await aws.Iam.GetPolicyAsync(arn, CancellationToken.None);
        var document = await aws.Iam.GetPolicyVersionAsync(arn, policy.DefaultVersionId, CancellationToken.None);

        Assert.Equal(new ManagedPolicyInfo("S3-read-only-example-bucket", arn, "/", "v1"), policy);
        Assert.Equal(AwsExamples.ManagedPolicy, document);
        Assert.Equal(new Dictionary<string, string> { ["Action"] = "GetPolicyVersion", ["Version"] = "2010-05-08", ["PolicyArn"] = arn, ["VersionId"] = "v1" }, responder.Requests[1].Form);
    }

    [Fact]
    public async Task GetAccountAuthorizationDetails_sends_filters_as_members_and_reads_roles_and_policies()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetAccountAuthorizationDetails);
        using var aws = TestConnections.To(responder);

        var page = await aws.Iam.GetAccountAuthorizationDetailsAsync(["Role", "LocalManagedPolicy"], null, CancellationToken.None);

        var form = responder.OnlyRequest.Form;
        Assert.Equal("Role", form["Filter.member.1"]);
        Assert.Equal("LocalManagedPolicy", form["Filter.member.2"]);
        Assert.False(form.ContainsKey("Filter.member.3"));
        Assert.StartsWith("EXAMPLEkakv9", page.NextMarker, StringComparison.Ordinal);

        Assert.Equal(2, page.Roles.Count);
        var ec2 = page.Roles[0];
        Assert.Equal(("EC2role", "arn:aws:iam::123456789012:role/EC2role", "/"), (ec2.RoleName, ec2.Arn, ec2.Path));
        Assert.Equal(AwsExamples.TrustPolicy, ec2.AssumeRolePolicyDocument);
        Assert.Equal([new InlinePolicy("S3AccessPolicy", AwsExamples.InlinePolicy)], ec2.InlinePolicies);
        Assert.Equal([new AttachedPolicy("AmazonS3FullAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess")], ec2.AttachedPolicies);
        Assert.Null(ec2.PermissionsBoundaryArn);
        Assert.Equal([new IamTag("team", "platform")], ec2.Tags);
        Assert.Equal("arn:aws:iam::123456789012:policy/Boundary", page.Roles[1].PermissionsBoundaryArn);
        Assert.Empty(page.Roles[1].InlinePolicies!);
        Assert.Empty(page.Roles[1].Tags);

        var policy = Assert.Single(page.Policies);
        Assert.Equal(("create-update-delete-set-managed-policies", "/", "v2"), (policy.PolicyName, policy.Path, policy.DefaultVersionId));
        Assert.Equal([new ManagedPolicyVersion("v2", true, AwsExamples.ManagedPolicy), new ManagedPolicyVersion("v1", false, AwsExamples.InlinePolicy)], policy.Versions);
    }
}
