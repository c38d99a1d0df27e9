using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>
/// The Secrets Manager and SSM clients fix --live asks for KMS keys: awsJson1_1 with target prefixes <c>secretsmanager</c>
/// and <c>AmazonSSM</c>, signed in the region they are created for. Shapes from "DescribeSecret" (AWS Secrets Manager API
/// Reference: request <c>{"SecretId":..}</c>; <c>KmsKeyId</c> omitted for the AWS managed key aws/secretsmanager) and
/// "DescribeParameters" / "ParameterStringFilter" (AWS Systems Manager API Reference: <c>ParameterFilters</c> of Key,
/// Option, Values (at most 50), <c>MaxResults</c> 1 to 50, <c>NextToken</c>).
/// </summary>
public sealed class SecretsManagerAndSsmClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string SecretArn = "arn:aws:secretsmanager:us-west-2:111122223333:secret:orders/db-a1b2c3";
    private const string KeyArn = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    [Fact]
    public async Task Describe_secret_sends_the_secret_id_to_secretsmanager_signed_in_the_secrets_region_and_reads_its_key()
    {
        using var responder = new RecordingResponder().Json($$"""{"ARN":"{{SecretArn}}","Name":"orders/db","KmsKeyId":"{{KeyArn}}","RotationEnabled":false,"Tags":[]}""");
        using var aws = TestConnections.To(responder, region: "eu-west-1");

        var secret = await aws.SecretsManagerIn("us-west-2").DescribeSecretAsync(SecretArn, None);

        Assert.Equal(new SecretDescription(SecretArn, "orders/db", KeyArn), secret);
        var request = responder.OnlyRequest;
        Assert.Equal("secretsmanager.DescribeSecret", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        Assert.Equal($$"""{"SecretId":"{{SecretArn}}"}""", request.Body);
        Assert.Equal((TestConnections.AccessKey, "us-west-2", "secretsmanager"), request.CredentialScope);
    }

    [Fact]
    public async Task A_secret_under_the_aws_managed_key_has_no_key_in_the_answer()
    {
        using var responder = new RecordingResponder().Json($$"""{"ARN":"{{SecretArn}}","Name":"orders/db"}""");
        using var aws = TestConnections.To(responder);

        var secret = await aws.SecretsManagerIn("us-west-2").DescribeSecretAsync("orders/db", None);

        Assert.Null(secret.KmsKeyId);
    }

    [Fact]
    public async Task Describe_parameters_filters_by_name_equals_asks_50_a_page_and_follows_the_token()
    {
        using var responder = new RecordingResponder()
            .Json("""{"Parameters":[{"Name":"/orders/password","Type":"SecureString","KeyId":"alias/orders","Version":3}],"NextToken":"t1"}""")
            .Json("""{"Parameters":[{"Name":"plain","Type":"String"}]}""");
        using var aws = TestConnections.To(responder, region: "eu-west-1");
        var ssm = aws.SsmIn("ap-southeast-2");

        var first = await ssm.DescribeParametersAsync(["/orders/password", "plain"], null, None);
        var last = await ssm.DescribeParametersAsync(["/orders/password", "plain"], first.NextMarker, None);

        Assert.Equal([new ParameterDescription("/orders/password", "SecureString", "alias/orders")], first.Items);
        Assert.Equal("t1", first.NextMarker);
        Assert.Equal([new ParameterDescription("plain", "String", null)], last.Items);
        Assert.Null(last.NextMarker);
        Assert.Equal("AmazonSSM.DescribeParameters", responder.Requests[0].Header("X-Amz-Target"));
        Assert.Equal("""{"ParameterFilters":[{"Key":"Name","Option":"Equals","Values":["/orders/password","plain"]}],"MaxResults":50}""", responder.Requests[0].Body);
        using var second = JsonDocument.Parse(responder.Requests[1].Body);
        Assert.Equal("t1", second.RootElement.GetProperty("NextToken").GetString());
        Assert.Equal((TestConnections.AccessKey, "ap-southeast-2", "ssm"), responder.Requests[0].CredentialScope);
    }

    [Fact]
    public async Task More_names_than_one_filter_takes_are_refused_before_any_request()
    {
        using var responder = new RecordingResponder().Json("""{"Parameters":[]}""");
        using var aws = TestConnections.To(responder);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => aws.SsmIn("eu-west-1").DescribeParametersAsync([.. Enumerable.Range(0, 51).Select(i => $"/p{i}")], null, None));

        Assert.Empty(responder.Requests);
    }

    [Theory]
    [InlineData("AccessDeniedException", HttpStatusCode.BadRequest, AwsFailureKind.AccessDenied, 1)]
    [InlineData("ResourceNotFoundException", HttpStatusCode.BadRequest, AwsFailureKind.NotFound, 1)]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, AwsFailureKind.Throttled, 3)]
    [InlineData("InternalServiceError", HttpStatusCode.InternalServerError, AwsFailureKind.ServiceError, 3)]
    public async Task Errors_are_classified_and_only_throttling_and_server_errors_are_retried(string code, HttpStatusCode status, AwsFailureKind kind, int attempts)
    {
        using var responder = new RecordingResponder().Json(AwsExamples.JsonError(code, "no"), status);
        using var aws = TestConnections.To(responder, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.SecretsManagerIn("eu-west-1").DescribeSecretAsync(SecretArn, None));

        Assert.Equal(kind, AwsFailure.From(error, AwsActions.DescribeSecret, SecretArn).Kind);
        Assert.Equal(attempts, responder.Requests.Count);
    }

    [Theory]
    [InlineData("""{"Parameters":[{"Type":"String"}]}""")]
    [InlineData("""{"Parameters":{"Name":"x"}}""")]
    [InlineData("""[]""")]
    public async Task A_parameter_answer_of_another_shape_is_unreadable(string body)
    {
        using var responder = new RecordingResponder().Json(body);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => aws.SsmIn("eu-west-1").DescribeParametersAsync(["x"], null, None));

        Assert.Contains("DescribeParameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_client_per_region_is_created_and_reused()
    {
        using var responder = new RecordingResponder().Json($$"""{"ARN":"{{SecretArn}}"}""");
        using var aws = TestConnections.To(responder);

        Assert.Same(aws.SecretsManagerIn("us-west-2"), aws.SecretsManagerIn("us-west-2"));
        aws.SecretsManagerIn("eu-central-1");
        aws.SsmIn("eu-central-1");

        Assert.Equal(["eu-central-1", "us-west-2"], aws.RegionalClientsCreated.SecretsManager.Order(StringComparer.Ordinal));
        Assert.Equal(["eu-central-1"], aws.RegionalClientsCreated.Ssm);
    }
}
