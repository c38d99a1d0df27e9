using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws.Tests;

public sealed class IamCliTests(DemoServer demo) : IClassFixture<DemoServer>
{
    [Fact]
    public async Task Get_role_prints_the_role_with_its_trust_policy_decoded()
    {
        var aws = demo.Fresh();
        var role = (await AwsCli.RunAsync(aws, "iam", "get-role", "--role-name", "orders-api-execution")).Json()["Role"]!;

        Assert.Equal("arn:aws:iam::111122223333:role/service-role/orders-api-execution", role["Arn"]!.GetValue<string>());
        Assert.Equal("/service-role/", role["Path"]!.GetValue<string>());
        Assert.Equal("AROAORDERSAPIEXECUTI", role["RoleId"]!.GetValue<string>());
        Assert.Equal("2026-05-04T09:30:00+00:00", role["CreateDate"]!.GetValue<string>());
        Assert.Equal("ecs-tasks.amazonaws.com", role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]!.GetValue<string>());
    }

    [Fact]
    public async Task Iam_calls_are_signed_for_iam_in_the_configured_region_when_an_endpoint_url_is_given()
    {
        var aws = demo.Fresh();
        await AwsCli.RunAsync(aws, "iam", "get-role", "--role-name", "orders-api-task");

        // Without --endpoint-url the CLI's endpoint rules send IAM to iam.amazonaws.com signed for us-east-1. With a custom
        // endpoint the rules return just the URL, no auth scheme, so botocore (2.9.19) signs with the client's region: the
        // scope says eu-west-1, not us-east-1. Our clients sign the global endpoint for us-east-1 themselves (aws-clients.md).
        var call = Assert.Single(aws.Calls.All);
        Assert.Equal("GetRole", call.Operation);
        Assert.Equal(new SigV4Scope(AwsCli.AccessKeyId, call.Scope!.Date, "eu-west-1", "iam"), call.Scope);
        Assert.Equal(200, call.StatusCode);
        Assert.Equal("orders-api-task", call.Parameters["RoleName"]);
        Assert.Equal("2010-05-08", call.Parameters["Version"]);
    }

    [Fact]
    public async Task Get_role_policy_returns_the_document_the_account_file_holds()
    {
        var aws = demo.Fresh();
        var printed = (await AwsCli.RunAsync(aws, "iam", "get-role-policy", "--role-name", "orders-api-task", "--policy-name", "orders-data")).Json();

        var source = JsonNode.Parse(File.ReadAllText(DemoAccount.AuthorizationDetailsPath))!["RoleDetailList"]![0]!["RolePolicyList"]![0]!["PolicyDocument"];
        Assert.Equal("orders-api-task", printed["RoleName"]!.GetValue<string>());
        Assert.Equal("orders-data", printed["PolicyName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(source, printed["PolicyDocument"]), printed["PolicyDocument"]!.ToJsonString());
    }

    [Fact]
    public async Task List_attached_role_policies_follows_markers_across_capped_pages()
    {
        var aws = demo.Fresh();
        var printed = (await AwsCli.RunAsync(aws, "iam", "list-attached-role-policies", "--role-name", "orders-api-execution")).Json();

        var attached = Assert.Single(printed["AttachedPolicies"]!.AsArray());
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", attached!["PolicyArn"]!.GetValue<string>());
        Assert.Equal("AmazonECSTaskExecutionRolePolicy", attached["PolicyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_policy_and_get_policy_version_describe_the_managed_policy()
    {
        var aws = demo.Fresh();
        const string Arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
        var policy = (await AwsCli.RunAsync(aws, "iam", "get-policy", "--policy-arn", Arn)).Json()["Policy"]!;
        var version = (await AwsCli.RunAsync(aws, "iam", "get-policy-version", "--policy-arn", Arn, "--version-id", "v1")).Json()["PolicyVersion"]!;

        var source = JsonNode.Parse(File.ReadAllText(DemoAccount.AuthorizationDetailsPath))!["Policies"]![0]!;
        foreach (var field in new[] { "PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount", "IsAttachable", "CreateDate", "UpdateDate" })
        {
            Assert.True(JsonNode.DeepEquals(source[field], policy[field]), $"{field}: {source[field]} != {policy[field]}");
        }
        Assert.Equal("v1", version["VersionId"]!.GetValue<string>());
        Assert.True(version["IsDefaultVersion"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(source["PolicyVersionList"]![0]!["Document"], version["Document"]));
    }

    [Fact]
    public async Task List_role_tags_prints_the_tags()
    {
        var aws = demo.Fresh();
        var printed = (await AwsCli.RunAsync(aws, "iam", "list-role-tags", "--role-name", "orders-api-task")).Json();

        Assert.Equal("""[{"Key":"team","Value":"orders"}]""", printed["Tags"]!.ToJsonString());
        Assert.False(printed["IsTruncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Get_account_authorization_details_is_merged_by_the_cli_across_pages_of_two()
    {
        var aws = demo.Fresh();
        aws.MaxPageSize = 2;
        var printed = (await AwsCli.RunAsync(aws, "iam", "get-account-authorization-details")).Json();

        var source = JsonNode.Parse(File.ReadAllText(DemoAccount.AuthorizationDetailsPath))!;
        Assert.Equal(Names(source["RoleDetailList"]!, "RoleName"), Names(printed["RoleDetailList"]!, "RoleName"));
        Assert.Equal(Names(source["Policies"]!, "Arn"), Names(printed["Policies"]!, "Arn"));
        // 5 roles and 1 policy in pages of 2: three requests, the second and third carrying the previous Marker.
        var calls = aws.Calls.All;
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal("GetAccountAuthorizationDetails", c.Operation));
        Assert.False(calls[0].Parameters.ContainsKey("Marker"));
        Assert.All(calls.Skip(1), c => Assert.True(c.Parameters.ContainsKey("Marker")));
    }

    [Fact]
    public async Task Get_account_authorization_details_honours_filter_and_max_items()
    {
        var aws = demo.Fresh();
        var printed = (await AwsCli.RunAsync(aws, "iam", "get-account-authorization-details", "--filter", "AWSManagedPolicy", "--max-items", "1")).Json();

        Assert.Empty(printed["RoleDetailList"]!.AsArray());
        Assert.Single(printed["Policies"]!.AsArray());
        Assert.Equal("AWSManagedPolicy", aws.Calls.All[0].Parameters["Filter.member.1"]);
    }

    [Fact]
    public async Task Missing_role_makes_the_cli_fail_with_no_such_entity()
    {
        var aws = demo.Fresh();
        var result = await AwsCli.RunAsync(aws, "iam", "get-role", "--role-name", "no-such-role");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("NoSuchEntity", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("The role with name no-such-role cannot be found.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(404, Assert.Single(aws.Calls.All).StatusCode);
    }

    [Fact]
    public async Task Denied_role_policy_makes_the_cli_fail_with_access_denied_naming_the_role()
    {
        var aws = demo.Fresh();
        aws.Faults.DenyAccess("GetRolePolicy", resource: "orders-api-task");
        var denied = await AwsCli.RunAsync(aws, "iam", "get-role-policy", "--role-name", "orders-api-task", "--policy-name", "orders-data");
        var other = await AwsCli.RunAsync(aws, "iam", "get-role-policy", "--role-name", "billing-worker-task", "--policy-name", "ecr-and-logs");

        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("AccessDenied", denied.Stderr, StringComparison.Ordinal);
        Assert.Contains(
            "User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: iam:GetRolePolicy on resource: role orders-api-task",
            denied.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, other.ExitCode);
        Assert.Equal([403, 200], aws.Calls.All.Select(c => c.StatusCode));
    }

    [Fact]
    public async Task The_cli_retries_iam_throttling_and_then_succeeds()
    {
        var aws = demo.Fresh();
        aws.Faults.Throttle("ListRoleTags", times: 2);
        var result = await AwsCli.RunAsync(aws, "eu-west-1", new Dictionary<string, string> { ["AWS_RETRY_MODE"] = "standard", ["AWS_MAX_ATTEMPTS"] = "3" },
            "iam", "list-role-tags", "--role-name", "orders-api-task");

        // The CLI treats the fake's <Code>Throttling</Code> as a throttling error and retries it, as it would IAM's.
        Assert.Single(result.Json()["Tags"]!.AsArray());
        Assert.Equal([(400, "Throttling"), (400, "Throttling"), (200, null)], aws.Calls.All.Select(c => (c.StatusCode, c.ErrorCode)));
    }

    private static List<string> Names(JsonNode list, string field) => [.. list.AsArray().Select(i => i![field]!.GetValue<string>())];
}
