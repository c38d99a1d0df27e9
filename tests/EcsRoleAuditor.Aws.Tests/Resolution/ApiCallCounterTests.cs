using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class ApiCallCounterTests
{
    [Fact]
    public void Counts_per_operation_and_in_total_across_threads()
    {
        var counter = new ApiCallCounter();

        Parallel.For(0, 1000, i => counter.Record(i % 4 == 0 ? AwsActions.GetPolicy.Action : AwsActions.GetRole.Action));

        Assert.Equal(1000, counter.Total);
        Assert.Equal(250, counter[AwsActions.GetPolicy.Action]);
        Assert.Equal(750, counter[AwsActions.GetRole.Action]);
        Assert.Equal(0, counter[AwsActions.GetPolicyVersion.Action]);
        Assert.Equal("1,000 AWS API calls (iam:GetPolicy 250, iam:GetRole 750)", counter.ToString());
    }

    [Fact]
    public void One_call_is_counted_in_the_singular_and_none_in_the_plural()
    {
        var counter = new ApiCallCounter();
        Assert.Equal("0 AWS API calls", counter.ToString());

        counter.Record(AwsActions.GetRole.Action);

        Assert.Equal("1 AWS API call (iam:GetRole 1)", counter.ToString());
    }

    [Fact]
    public void Requests_count_in_their_scope_and_every_scope_around_it_and_nowhere_outside_one()
    {
        var outer = new ApiCallCounter();
        var inner = new ApiCallCounter();

        ApiCallCounting.Record(AwsActions.GetRole);
        using (ApiCallCounting.Begin(outer))
        {
            using (ApiCallCounting.Begin(inner))
            {
                ApiCallCounting.Record(AwsActions.GetRole);
            }
            ApiCallCounting.Record(AwsActions.GetPolicy);
        }
        ApiCallCounting.Record(AwsActions.GetRole);

        // An invocation around a run counts what the run sent and what it sent itself; the run only its own.
        Assert.Equal("2 AWS API calls (iam:GetPolicy 1, iam:GetRole 1)", outer.ToString());
        Assert.Equal("1 AWS API call (iam:GetRole 1)", inner.ToString());
    }

    [Theory]
    [InlineData("NoSuchEntity", HttpStatusCode.NotFound, AwsFailureKind.NotFound)]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, AwsFailureKind.AccessDenied)]
    [InlineData("AccessDeniedException", HttpStatusCode.BadRequest, AwsFailureKind.AccessDenied)]
    [InlineData("Throttling", HttpStatusCode.BadRequest, AwsFailureKind.Throttled)]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, AwsFailureKind.Throttled)]
    [InlineData("ServiceFailure", HttpStatusCode.InternalServerError, AwsFailureKind.ServiceError)]
    [InlineData("", HttpStatusCode.BadGateway, AwsFailureKind.ServiceError)]
    [InlineData("InvalidClientTokenId", HttpStatusCode.Forbidden, AwsFailureKind.Other)]
    [InlineData("AWSOrganizationsNotInUseException", HttpStatusCode.BadRequest, AwsFailureKind.NotFound)]
    [InlineData("TooManyRequestsException", HttpStatusCode.BadRequest, AwsFailureKind.Throttled)]
    [InlineData("ServiceException", HttpStatusCode.BadRequest, AwsFailureKind.ServiceError)]
    [InlineData("AWS.SimpleQueueService.NonExistentQueue", HttpStatusCode.BadRequest, AwsFailureKind.NotFound)]
    [InlineData("QueueDoesNotExist", HttpStatusCode.BadRequest, AwsFailureKind.NotFound)]
    [InlineData("RequestThrottled", HttpStatusCode.BadRequest, AwsFailureKind.Throttled)]
    public void Wire_error_codes_are_classified(string code, HttpStatusCode status, AwsFailureKind kind)
    {
        var failure = AwsFailure.From(new AmazonServiceException("m") { ErrorCode = code, StatusCode = status }, AwsActions.GetRole, "r");

        Assert.Equal(kind, failure.Kind);
    }
}
