using System.Net;
using System.Text.Json.Nodes;
using static EcsRoleAuditor.FakeAws.Tests.OrganizationServer;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>Organizations ListAccounts errors and fields on the wire, and how several accounts are set up.</summary>
public sealed class OrganizationWireTests
{
    private static async Task<(HttpStatusCode, string)> ErrorOf(HttpResponseMessage response) =>
        (response.StatusCode, (await WireClient.JsonAsync(response))["__type"]!.GetValue<string>());

    // ListAccounts errors: https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html#API_ListAccounts_Errors
    [Fact]
    public async Task Without_an_organization_list_accounts_is_organizations_not_in_use()
    {
        var (accounts, _) = OrganizationServer.Build();
        await using var aws = await FakeAwsServer.StartAsync(accounts);
        using var wire = new WireClient(aws);
        using var response = await wire.OrganizationsAsync("ListAccounts", "{}");

        Assert.Equal((HttpStatusCode.BadRequest, "AWSOrganizationsNotInUseException"), await ErrorOf(response));
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_delegated_administrator_may_list_accounts_and_bad_input_or_faults_are_organizations_errors()
    {
        var (accounts, organization) = OrganizationServer.Build();
        organization.DelegatedAdministratorIds.Add(MemberA);
        await using var aws = await FakeAwsServer.StartAsync(accounts, organization);
        using var wire = new WireClient(aws);
        var memberAKey = await wire.AssumeRoleAsync(ReaderArn(MemberA));
        var memberBKey = await wire.AssumeRoleAsync(ReaderArn(MemberB));
        Assert.Null(memberBKey); // B's reader trusts only A's reader role, not the central user.
        aws.Faults.Throttle("ListAccounts").Fail("ListAccounts");

        using var throttled = await wire.OrganizationsAsync("ListAccounts", "{}");
        using var failed = await wire.OrganizationsAsync("ListAccounts", "{}");
        using var delegated = await wire.OrganizationsAsync("ListAccounts", """{"MaxResults":2}""", memberAKey!);
        using var tooMany = await wire.OrganizationsAsync("ListAccounts", """{"MaxResults":21}""");
        using var badToken = await wire.OrganizationsAsync("ListAccounts", """{"NextToken":"not-a-token"}""");

        Assert.Equal((HttpStatusCode.BadRequest, "TooManyRequestsException"), await ErrorOf(throttled));
        Assert.Equal((HttpStatusCode.InternalServerError, "ServiceException"), await ErrorOf(failed));
        var page = await WireClient.JsonAsync(delegated);
        Assert.Equal($"""["{Central}","{MemberA}"]""", new JsonArray([.. page["Accounts"]!.AsArray().Select(a => (JsonNode?)a!["Id"]!.GetValue<string>())]).ToJsonString());
        Assert.NotNull(page["NextToken"]);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInputException"), await ErrorOf(tooMany));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInputException"), await ErrorOf(badToken));
    }

    // Account.State (PENDING_ACTIVATION | ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED) and the announced retirement of
    // Status on 2026-09-09: https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
    [Fact]
    public async Task Accounts_carry_state_and_status_unless_status_is_retired()
    {
        var (accounts, organization) = OrganizationServer.Build();
        organization.ReportsStatus = false;
        await using var aws = await FakeAwsServer.StartAsync(accounts, organization);
        using var wire = new WireClient(aws);
        using var response = await wire.OrganizationsAsync("ListAccounts", "{}");

        var listed = (await WireClient.JsonAsync(response))["Accounts"]!.AsArray();
        Assert.Equal(["ACTIVE", "ACTIVE", "ACTIVE", "CLOSED"], listed.Select(a => a!["State"]!.GetValue<string>()));
        Assert.All(listed, a => Assert.Null(a!["Status"]));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), listed[0]!["JoinedTimestamp"]!.GetValue<long>());
    }

    [Fact]
    public async Task Without_added_members_the_organization_lists_the_served_accounts_as_active()
    {
        var (accounts, _) = OrganizationServer.Build();
        await using var aws = await FakeAwsServer.StartAsync(accounts, new FakeOrganization(OrganizationId, Central));
        using var wire = new WireClient(aws);
        using var response = await wire.OrganizationsAsync("ListAccounts", "{}");

        var listed = (await WireClient.JsonAsync(response))["Accounts"]!.AsArray();
        Assert.Equal([(Central, "ACTIVE"), (MemberA, "ACTIVE"), (MemberB, "ACTIVE")], listed.Select(a => (a!["Id"]!.GetValue<string>(), a["Status"]!.GetValue<string>())));
    }

    // IAM role names are unique within an account: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
    [Fact]
    public async Task A_role_name_twice_in_one_account_or_an_account_twice_in_one_region_is_a_setup_error()
    {
        var europe = new FakeAccount { AccountId = MemberA, Region = "eu-west-1" };
        europe.AddRole("Reader", Trust("\"*\""));
        var virginia = new FakeAccount { AccountId = MemberA, Region = "us-east-1" };
        virginia.AddRole("reader", Trust("\"*\""));
        var europeAgain = new FakeAccount { AccountId = MemberA, Region = "eu-west-1" };

        var twice = await Assert.ThrowsAsync<ArgumentException>(() => FakeAwsServer.StartAsync([europe, virginia]));
        var sameRegion = await Assert.ThrowsAsync<ArgumentException>(() => FakeAwsServer.StartAsync([new FakeAccount { AccountId = MemberA, Region = "eu-west-1" }, europeAgain]));
        Assert.Throws<ArgumentException>(() => new FakeOrganization("o-short", Central));

        Assert.Contains("role name reader twice", twice.Message, StringComparison.Ordinal);
        Assert.Contains($"account {MemberA} is served twice in eu-west-1", sameRegion.Message, StringComparison.Ordinal);
    }
}
