using System.Text.Json.Nodes;
using static EcsRoleAuditor.FakeAws.Tests.OrganizationServer;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>Organization mode through the AWS CLI: Organizations ListAccounts, cross-account AssumeRole, and what the assumed credentials see.</summary>
public sealed class OrganizationCliTests(OrganizationServer organization) : IClassFixture<OrganizationServer>
{
    private static string Ids(JsonNode printed, string list, string field) =>
        string.Join(",", printed[list]!.AsArray().Select(a => a![field]!.GetValue<string>()));

    // Account fields and paging (MaxResults 1..20, NextToken): https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
    // and https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
    [Fact]
    public async Task List_accounts_pages_through_every_member_when_pages_hold_one_account()
    {
        var aws = organization.Fresh();
        aws.MaxPageSize = 1;
        var printed = (await AwsCli.RunAsync(aws, "organizations", "list-accounts")).Json();

        Assert.Equal($"{Central},{MemberA},{MemberB},{Suspended}", Ids(printed, "Accounts", "Id"));
        Assert.Equal("ACTIVE,ACTIVE,ACTIVE,SUSPENDED", Ids(printed, "Accounts", "Status"));
        var suspended = printed["Accounts"]![3]!;
        Assert.Equal($"arn:aws:organizations::{Central}:account/{OrganizationId}/{Suspended}", suspended["Arn"]!.GetValue<string>());
        Assert.Equal(($"account-{Suspended}", $"aws+{Suspended}@example.com", "CREATED"),
            (suspended["Name"]!.GetValue<string>(), suspended["Email"]!.GetValue<string>(), suspended["JoinedMethod"]!.GetValue<string>()));
        Assert.Null(printed["NextToken"]);
        Assert.Equal(4, aws.CallCount("ListAccounts"));
        Assert.All(aws.Calls.All, c => Assert.Equal(("organizations", 200), (c.Service, c.StatusCode)));
    }

    // A reader role assumed in a member account answers IAM for that account and ECS for that account in the signed region.
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
    [Fact]
    public async Task Credentials_of_a_member_reader_see_that_accounts_roles_and_each_regions_task_definitions()
    {
        var aws = organization.Fresh();
        var assumed = (await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", ReaderArn(MemberA), "--role-session-name", "sweep")).Json();
        var member = OrganizationServer.Environment(assumed);

        var virginia = (await AwsCli.RunAsync(aws, "us-east-1", member, "ecs", "list-task-definitions")).Json();
        var ireland = (await AwsCli.RunAsync(aws, "eu-west-1", member, "ecs", "list-task-definitions")).Json();
        var mumbai = (await AwsCli.RunAsync(aws, "ap-south-1", member, "ecs", "list-task-definitions")).Json();
        var missing = await AwsCli.RunAsync(aws, "ap-south-1", member, "ecs", "describe-task-definition", "--task-definition", "web:1");
        var reader = (await AwsCli.RunAsync(aws, "eu-west-1", member, "iam", "get-role", "--role-name", Reader)).Json();
        var fromOtherRegion = (await AwsCli.RunAsync(aws, "eu-west-1", member, "iam", "get-role", "--role-name", "web-task")).Json();
        var centralRole = await AwsCli.RunAsync(aws, "eu-west-1", member, "iam", "get-role", "--role-name", "central-only");
        var centralView = (await AwsCli.RunAsync(aws, "us-east-1", new Dictionary<string, string> { ["AWS_MAX_ATTEMPTS"] = "1" }, "ecs", "list-task-definitions")).Json();

        Assert.Equal($"arn:aws:sts::{MemberA}:assumed-role/{Reader}/sweep", assumed["AssumedRoleUser"]!["Arn"]!.GetValue<string>());
        Assert.Equal($"""["{TaskDefinitionArn(MemberA, "us-east-1", "batch", 7)}"]""", virginia["taskDefinitionArns"]!.ToJsonString());
        Assert.Equal($"""["{TaskDefinitionArn(MemberA, "eu-west-1", "web", 1)}","{TaskDefinitionArn(MemberA, "eu-west-1", "web", 2)}"]""", ireland["taskDefinitionArns"]!.ToJsonString());
        Assert.Equal("[]", mumbai["taskDefinitionArns"]!.ToJsonString());
        Assert.Contains("ClientException", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(ReaderArn(MemberA), reader["Role"]!["Arn"]!.GetValue<string>());
        Assert.Equal($"arn:aws:iam::{MemberA}:role/web-task", fromOtherRegion["Role"]!["Arn"]!.GetValue<string>());
        Assert.Contains("NoSuchEntity", centralRole.Stderr, StringComparison.Ordinal);
        // The central account serves no us-east-1: its own credentials see an empty region.
        Assert.Equal("[]", centralView["taskDefinitionArns"]!.ToJsonString());
    }

    // AssumeRole is denied (AccessDenied, 403) when the role does not exist or its trust policy does not name the caller:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html
    [Fact]
    public async Task Assume_role_is_denied_for_a_missing_role_and_for_a_trust_that_does_not_name_the_caller()
    {
        var aws = organization.Fresh();
        var missing = await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{MemberA}:role/gone", "--role-session-name", "sweep");
        var untrusted = await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{MemberA}:role/ecs-only", "--role-session-name", "sweep");
        var onlyRoleTrusted = await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", ReaderArn(MemberB), "--role-session-name", "sweep");

        Assert.Contains($"User: arn:aws:iam::{Central}:user/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{MemberA}:role/gone", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains($"sts:AssumeRole on resource: arn:aws:iam::{MemberA}:role/ecs-only", untrusted.Stderr, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", onlyRoleTrusted.Stderr, StringComparison.Ordinal);
        Assert.Empty(aws.AssumedRoles);
        Assert.Equal([(403, "AccessDenied"), (403, "AccessDenied"), (403, "AccessDenied")], aws.Calls.All.Select(c => (c.StatusCode, c.ErrorCode)));
    }

    [Fact]
    public async Task A_trust_naming_a_role_admits_sessions_of_that_role_for_chaining_into_a_third_account()
    {
        var aws = organization.Fresh();
        var first = (await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", ReaderArn(MemberA), "--role-session-name", "sweep")).Json();
        var chained = (await AwsCli.RunAsync(aws, "eu-west-1", OrganizationServer.Environment(first),
            "sts", "assume-role", "--role-arn", ReaderArn(MemberB), "--role-session-name", "chain")).Json();
        var identity = (await AwsCli.RunAsync(aws, "eu-west-1", OrganizationServer.Environment(chained), "sts", "get-caller-identity")).Json();

        Assert.Equal($"arn:aws:sts::{MemberB}:assumed-role/{Reader}/chain", identity["Arn"]!.GetValue<string>());
        Assert.Equal(MemberB, identity["Account"]!.GetValue<string>());
        Assert.Equal([ReaderArn(MemberA), ReaderArn(MemberB)], aws.AssumedRoles.Select(r => r.RoleArn));
    }

    // aws:PrincipalOrgID is the organization of the calling principal's account:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
    [Fact]
    public async Task A_principal_org_id_condition_admits_members_of_the_fake_organization_only()
    {
        var aws = organization.Fresh();
        var ours = await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{MemberA}:role/org-members", "--role-session-name", "sweep");
        var theirs = await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{MemberA}:role/other-org-members", "--role-session-name", "sweep");

        Assert.Equal(0, ours.ExitCode);
        Assert.Contains("AccessDenied", theirs.Stderr, StringComparison.Ordinal);
        Assert.Equal([$"arn:aws:iam::{MemberA}:role/org-members"], aws.AssumedRoles.Select(r => r.RoleArn));
    }

    [Fact]
    public async Task List_accounts_by_a_member_that_is_no_delegated_administrator_is_access_denied()
    {
        var aws = organization.Fresh();
        var assumed = (await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", ReaderArn(MemberA), "--role-session-name", "sweep")).Json();
        var denied = await AwsCli.RunAsync(aws, "us-east-1", OrganizationServer.Environment(assumed), "organizations", "list-accounts");

        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("AccessDeniedException", denied.Stderr, StringComparison.Ordinal);
        Assert.Equal((400, "AccessDeniedException"), (aws.Calls.All[^1].StatusCode, aws.Calls.All[^1].ErrorCode));
    }
}
