using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>
/// The Organizations client: awsJson1_1 with target prefix <c>AWSOrganizationsV20161128</c> ("ListAccounts", AWS
/// Organizations API Reference: request <c>{"MaxResults":n,"NextToken":"..."}</c>, MaxResults 1 to 20), one endpoint per
/// partition ("Region support for AWS Organizations", AWS Organizations User Guide; "AWS Organizations endpoints and
/// quotas", AWS General Reference).
/// </summary>
public sealed class OrganizationsClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ListAccounts_sends_the_target_content_type_and_max_results_and_is_signed_for_us_east_1()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListAccountsFirstPage);
        using var aws = TestConnections.To(responder, region: "eu-west-1");

        await aws.Organizations.ListAccountsAsync(null, None);

        var request = responder.OnlyRequest;
        Assert.Equal("POST", request.Method);
        Assert.Equal("AWSOrganizationsV20161128.ListAccounts", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        Assert.Equal("""{"MaxResults":20}""", request.Body);
        Assert.Equal((TestConnections.AccessKey, "us-east-1", "organizations"), request.CredentialScope);
    }

    [Theory]
    [InlineData("us-east-1", "us-east-1")]
    [InlineData("ap-southeast-2", "us-east-1")]
    [InlineData("cn-north-1", "cn-northwest-1")]
    [InlineData("us-gov-east-1", "us-gov-west-1")]
    public async Task Organizations_is_signed_for_its_partitions_global_region(string clientRegion, string signingRegion)
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListAccountsLastPage);
        using var aws = TestConnections.To(responder, region: clientRegion);

        await aws.Organizations.ListAccountsAsync(null, None);

        Assert.Equal((signingRegion, "organizations"), (responder.OnlyRequest.CredentialScope.Region, responder.OnlyRequest.CredentialScope.Service));
    }

    [Fact]
    public async Task A_page_keeps_id_arn_name_status_and_state_as_sent_and_the_next_token()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListAccountsFirstPage).Json(AwsExamples.ListAccountsLastPage);
        using var aws = TestConnections.To(responder);

        var first = await aws.Organizations.ListAccountsAsync(null, None);
        var last = await aws.Organizations.ListAccountsAsync(first.NextMarker, None);

        Assert.Equal("AAQAAAAAAAAAAAexampletoken1", first.NextMarker);
        Assert.Equal(new OrganizationAccount("111111111111", "arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111", "Master Account", "ACTIVE", "ACTIVE"), first.Items[0]);
        Assert.Equal(["ACTIVE", "SUSPENDED", "PENDING_ACTIVATION"], first.Items.Select(a => a.State));
        Assert.Null(last.NextMarker);
        Assert.Equal(new OrganizationAccount("666666666666", null, "Future", null, "HIBERNATING"), last.Items[2]);
        using var second = JsonDocument.Parse(responder.Requests[1].Body);
        Assert.Equal("AAQAAAAAAAAAAAexampletoken1", second.RootElement.GetProperty("NextToken").GetString());
        Assert.Equal(20, second.RootElement.GetProperty("MaxResults").GetInt32());
    }

    [Theory]
    [InlineData("ACTIVE", "ACTIVE", true)]
    [InlineData("ACTIVE", null, true)]
    [InlineData(null, "ACTIVE", true)]
    [InlineData("ACTIVE", "PENDING_ACTIVATION", false)]
    [InlineData("ACTIVE", "CLOSED", false)]
    [InlineData("SUSPENDED", "ACTIVE", true)]
    [InlineData("PENDING_CLOSURE", null, false)]
    [InlineData(null, "HIBERNATING", false)]
    [InlineData(null, null, false)]
    public void State_decides_activity_and_status_only_when_state_is_absent(string? status, string? state, bool active)
    {
        Assert.Equal(active, new OrganizationAccount("111122223333", null, null, status, state).IsActive);
    }

    [Fact]
    public async Task The_active_ids_come_from_every_page_once_each_in_order()
    {
        using var responder = new RecordingResponder()
            .Json(AwsExamples.ListAccountsFirstPage)
            .Json("""{"Accounts":[],"NextToken":"empty-but-more"}""")
            .Json(AwsExamples.ListAccountsLastPage);
        using var aws = TestConnections.To(responder);

        var ids = await OrganizationAccounts.ListActiveIdsAsync(aws.Organizations, None);

        Assert.Equal(["111111111111", "444444444444", "555555555555"], ids);
        Assert.Equal(3, responder.Requests.Count);
    }

    [Fact]
    public async Task A_list_longer_than_the_page_bound_ends_in_an_aws_error_naming_the_operation()
    {
        var calls = 0;
        var endless = new EndlessOrganization(() => calls++);

        var error = await Assert.ThrowsAsync<AmazonClientException>(() => OrganizationAccounts.ListActiveIdsAsync(endless, None, maxPages: 5));

        Assert.Equal(5, calls);
        Assert.True(AwsFailure.IsAwsError(error));
        Assert.Contains("organizations:ListAccounts still had more after 5 pages", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Accounts":[{"Id":"12345","State":"ACTIVE"}]}""")]
    [InlineData("""{"Accounts":[{"Name":"no id","State":"ACTIVE"}]}""")]
    [InlineData("""{"Accounts":[null]}""")]
    [InlineData("""{"Accounts":{"Id":"111122223333"}}""")]
    [InlineData("""[]""")]
    public async Task An_answer_of_another_shape_is_unreadable(string body)
    {
        using var responder = new RecordingResponder().Json(body);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => aws.Organizations.ListAccountsAsync(null, None));

        Assert.Contains("Organizations ListAccounts", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_beyond_one_mebibyte_is_unreadable()
    {
        var account = """{"Id":"111122223333","Name":"padding-padding-padding-padding-padding","State":"ACTIVE"},""";
        var body = """{"Accounts":[""" + string.Concat(Enumerable.Repeat(account, (int)(1024 * 1024 / account.Length) + 1)) + """{"Id":"111122223333"}]}""";
        using var responder = new RecordingResponder().Json(body);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => aws.Organizations.ListAccountsAsync(null, None));

        Assert.Contains("larger than 1,048,576 bytes", error.ToString(), StringComparison.Ordinal);
    }

    // Errors of ListAccounts ("ListAccounts", AWS Organizations API Reference, Errors): AccessDeniedException,
    // AWSOrganizationsNotInUseException, InvalidInputException, ServiceException, TooManyRequestsException.
    [Theory]
    [InlineData("AccessDeniedException", HttpStatusCode.BadRequest, AwsFailureKind.AccessDenied)]
    [InlineData("AWSOrganizationsNotInUseException", HttpStatusCode.BadRequest, AwsFailureKind.NotFound)]
    [InlineData("InvalidInputException", HttpStatusCode.BadRequest, AwsFailureKind.Other)]
    public async Task Errors_carry_the_type_as_code_are_classified_and_are_not_retried(string type, HttpStatusCode status, AwsFailureKind kind)
    {
        using var responder = new RecordingResponder().Json(AwsExamples.JsonError(type, "You don't have permissions to access this resource."), status);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Organizations.ListAccountsAsync(null, None));

        Assert.Equal(("Organizations", type, status), (error.ServiceId, error.ErrorCode, error.StatusCode));
        Assert.Equal(kind, AwsFailure.From(error, AwsActions.ListAccounts, "organization").Kind);
        Assert.Single(responder.Requests);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_as_throttling_and_the_call_then_succeeds()
    {
        using var responder = new RecordingResponder()
            .Json(AwsExamples.JsonError("TooManyRequestsException", "You have sent too many requests in too short a period of time."), HttpStatusCode.BadRequest)
            .Json(AwsExamples.ListAccountsLastPage);
        using var aws = TestConnections.To(responder);

        var page = await aws.Organizations.ListAccountsAsync(null, None);

        Assert.Equal(3, page.Items.Count);
        Assert.Equal(2, responder.Requests.Count);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_attempts_is_a_throttled_failure()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.JsonError("TooManyRequestsException", "Slow down."), HttpStatusCode.BadRequest);
        using var aws = TestConnections.To(responder, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Organizations.ListAccountsAsync(null, None));

        Assert.Equal(2, responder.Requests.Count);
        Assert.Equal(AwsFailureKind.Throttled, AwsFailure.From(error, AwsActions.ListAccounts, "organization").Kind);
    }

    [Fact]
    public async Task Each_attempt_is_counted_under_the_iam_action()
    {
        using var responder = new RecordingResponder()
            .Json(AwsExamples.JsonError("ServiceException", "internal"), HttpStatusCode.InternalServerError)
            .Json(AwsExamples.ListAccountsLastPage);
        using var aws = TestConnections.To(responder);
        var counter = new ApiCallCounter();

        using (ApiCallCounting.Begin(counter))
        {
            await aws.Organizations.ListAccountsAsync(null, None);
        }

        Assert.Equal(2, counter["organizations:ListAccounts"]);
    }

    [Fact]
    public void Max_results_stays_within_what_list_accounts_accepts()
    {
        var config = new Organizations.OrganizationsClientConfig();

        Assert.Equal(20, config.MaxResults);
        Assert.Throws<ArgumentOutOfRangeException>(() => config.MaxResults = 21);
        Assert.Throws<ArgumentOutOfRangeException>(() => config.MaxResults = 0);
    }

    private sealed class EndlessOrganization(Action called) : IOrganizationsApi
    {
        private int page;

        public Task<Page<OrganizationAccount>> ListAccountsAsync(string? nextToken, CancellationToken cancellationToken)
        {
            called();
            page++;
            return Task.FromResult(new Page<OrganizationAccount>([], $"token-{page}"));
        }
    }
}
