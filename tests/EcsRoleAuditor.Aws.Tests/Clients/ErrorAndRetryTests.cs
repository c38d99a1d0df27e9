using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Tests.Clients;

public sealed class ErrorAndRetryTests
{
    public static TheoryData<string, HttpStatusCode> IamErrors => new()
    {
        { "NoSuchEntity", HttpStatusCode.NotFound },
        { "AccessDenied", HttpStatusCode.Forbidden },
        { "InvalidInput", HttpStatusCode.BadRequest },
        { "LimitExceeded", HttpStatusCode.Conflict },
    };

    [Theory]
    [MemberData(nameof(IamErrors))]
    public async Task Iam_errors_carry_service_code_status_message_and_request_id(string code, HttpStatusCode status)
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.QueryError(code, "The role with name Missing cannot be found."), status);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => aws.Iam.GetRoleAsync("Missing", CancellationToken.None));

        Assert.Equal("IAM", Assert.IsType<AwsServiceException>(error).ServiceId);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("The role with name Missing cannot be found.", error.Message);
        Assert.Equal("8a6c7e36-1b1e-11e2-bb4c-EXAMPLE1234", error.RequestId);
        Assert.Single(responder.Requests);
    }

    [Theory]
    [InlineData("ClientException")]
    [InlineData("com.amazonaws.ecs#InvalidParameterException")]
    [InlineData("AccessDeniedException")]
    public async Task Ecs_errors_carry_the_type_without_namespace_as_code_and_are_not_retried(string type)
    {
        using var responder = new RecordingResponder().Json(AwsExamples.JsonError(type, "Unable to describe task definition."), HttpStatusCode.BadRequest);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.DescribeTaskDefinitionAsync("missing:1", true, CancellationToken.None));

        Assert.Equal("ECS", error.ServiceId);
        Assert.Equal(type[(type.IndexOf('#', StringComparison.Ordinal) + 1)..], error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Unable to describe task definition.", error.Message);
        Assert.Single(responder.Requests);
    }

    [Theory]
    [InlineData("NotFound", HttpStatusCode.NotFound)]
    [InlineData("AuthorizationError", HttpStatusCode.Forbidden)]
    [InlineData("InvalidParameter", HttpStatusCode.BadRequest)]
    public async Task Sns_errors_carry_service_code_and_status(string code, HttpStatusCode status)
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.QueryError(code, "Topic does not exist"), status);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Sns.PublishAsync(new("arn:aws:sns:eu-west-1:123456789012:gone", "m", null, false, new Dictionary<string, Api.SnsMessageAttributeValue>()), CancellationToken.None));

        Assert.Equal(("SNS", code, status), (error.ServiceId, error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task Iam_throttling_is_retried_and_the_call_then_succeeds()
    {
        using var responder = new RecordingResponder()
            .Xml(AwsExamples.QueryError("Throttling", "Rate exceeded"), HttpStatusCode.BadRequest)
            .Xml(AwsExamples.QueryError("Throttling", "Rate exceeded"), HttpStatusCode.BadRequest)
            .Xml(AwsExamples.GetRole);
        using var aws = TestConnections.To(responder);

        var role = await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal("S3Access", role.RoleName);
        Assert.Equal(3, responder.Requests.Count);
        Assert.All(responder.Requests, r => Assert.Equal("GetRole", r.Form["Action"]));
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_attempts_surfaces_as_the_throttling_exception()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.JsonError("ThrottlingException", "Rate exceeded"), HttpStatusCode.BadRequest);
        using var aws = TestConnections.To(responder, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.ListTaskDefinitionFamiliesAsync(null, Api.TaskDefinitionStatus.Active, null, CancellationToken.None));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(2, responder.Requests.Count);
    }

    [Fact]
    public async Task Sns_throttled_is_retried_although_the_sdk_does_not_know_its_code()
    {
        using var responder = new RecordingResponder()
            .Xml(AwsExamples.QueryError("Throttled", "Rate exceeded"), HttpStatusCode.TooManyRequests)
            .Xml(AwsExamples.Publish);
        using var aws = TestConnections.To(responder);

        await aws.Sns.PublishAsync(new("arn:aws:sns:eu-west-1:123456789012:audit", "m", null, false, new Dictionary<string, Api.SnsMessageAttributeValue>()), CancellationToken.None);

        Assert.Equal(2, responder.Requests.Count);
    }

    [Fact]
    public async Task A_500_is_retried_and_the_call_then_succeeds()
    {
        using var responder = new RecordingResponder()
            .Xml(AwsExamples.QueryError("ServiceFailure", "Internal failure", "Receiver"), HttpStatusCode.InternalServerError)
            .Xml(AwsExamples.GetRolePolicy);
        using var aws = TestConnections.To(responder);

        var document = await aws.Iam.GetRolePolicyAsync("S3Access", "S3AccessPolicy", CancellationToken.None);

        Assert.Equal(AwsExamples.InlinePolicy, document);
        Assert.Equal(2, responder.Requests.Count);
    }

    [Fact]
    public async Task A_persistent_500_surfaces_as_service_failure_after_the_standard_three_attempts()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.QueryError("ServiceFailure", "Internal failure", "Receiver"), HttpStatusCode.InternalServerError);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Iam.GetPolicyAsync("arn:aws:iam::aws:policy/ReadOnlyAccess", CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(3, responder.Requests.Count);
    }

    [Fact]
    public async Task Access_denied_is_not_retried()
    {
        using var responder = new RecordingResponder()
            .Xml(AwsExamples.QueryError("AccessDenied", "User is not authorized to perform: iam:GetRole"), HttpStatusCode.Forbidden)
            .Xml(AwsExamples.GetRole);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Iam.GetRoleAsync("S3Access", CancellationToken.None));

        Assert.Equal("AccessDenied", error.ErrorCode);

        Assert.Single(responder.Requests);
    }

    [Theory]
    [InlineData("IAM", "Throttling", true)]
    [InlineData("ECS", "ThrottlingException", true)]
    [InlineData("SNS", "Throttled", true)]
    [InlineData("Organizations", "TooManyRequestsException", true)]
    [InlineData("SQS", "RequestThrottled", true)]
    [InlineData("SQS", "AWS.SimpleQueueService.NonExistentQueue", false)]
    [InlineData("Organizations", "AWSOrganizationsNotInUseException", false)]
    [InlineData("IAM", "NoSuchEntity", false)]
    [InlineData("SNS", "AuthorizationError", false)]
    public void Only_throttling_codes_tell_the_retry_policy_they_are_throttling(string service, string code, bool throttling)
    {
        var error = new AwsServiceException(service, code, HttpStatusCode.BadRequest, "m");

        Assert.Equal((code, HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.Equal(throttling, error.Retryable?.Throttling ?? false);
    }
}
