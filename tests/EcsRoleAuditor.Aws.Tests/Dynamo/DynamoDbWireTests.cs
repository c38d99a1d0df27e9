using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.Tests.Clients;

namespace EcsRoleAuditor.Aws.Tests.Dynamo;

/// <summary>What the DynamoDB client sends and how it takes answers dynalite cannot give: throttling, garbled bodies.</summary>
public sealed class DynamoDbWireTests
{
    private const string ContentType = "application/x-amz-json-1.0";
    private const string FoundItem = """{"Item":{"PK":{"S":"p"},"SK":{"S":"s"}}}""";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DynamoItem Key = DynamoItem.Of(("PK", new DynamoValue.S("p")), ("SK", new DynamoValue.S("s")));

    private static RecordingResponder Answering(params (HttpStatusCode Status, string Body)[] answers)
    {
        var responder = new RecordingResponder();
        foreach (var (status, body) in answers)
        {
            responder.Enqueue(new CannedResponse(status, ContentType, body));
        }
        return responder;
    }

    [Fact]
    public async Task A_request_is_an_awsjson_1_0_post_to_the_dynamodb_target_signed_for_dynamodb()
    {
        using var responder = Answering((HttpStatusCode.OK, FoundItem));
        using var aws = TestConnections.To(responder, region: "ap-southeast-2");

        await aws.DynamoDb.GetItemAsync("findings", Key, consistentRead: true, None);

        var request = responder.OnlyRequest;
        Assert.Equal(("POST", "DynamoDB_20120810.GetItem"), (request.Method, request.Header("X-Amz-Target")));
        Assert.StartsWith(ContentType, request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal((TestConnections.AccessKey, "ap-southeast-2", "dynamodb"), request.CredentialScope);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"TableName":"findings","Key":{"PK":{"S":"p"},"SK":{"S":"s"}},"ConsistentRead":true}"""), JsonNode.Parse(request.Body)));
    }

    [Fact]
    public async Task Empty_expression_terms_and_no_return_values_are_left_out_as_dynamodb_requires()
    {
        using var responder = Answering((HttpStatusCode.OK, "{}"));
        using var aws = TestConnections.To(responder);

        await aws.DynamoDb.PutItemAsync(new DynamoPut("findings", Key, "attribute_not_exists(PK)", DynamoExpressionTerms.None), None);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"TableName":"findings","Item":{"PK":{"S":"p"},"SK":{"S":"s"}},"ConditionExpression":"attribute_not_exists(PK)"}"""),
            JsonNode.Parse(responder.OnlyRequest.Body)));
    }

    // The SDK's retry policy knows these codes as throttling; the error code reaches it on our exception (a 400 is
    // otherwise not retried).
    [Theory]
    [InlineData("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException")]
    [InlineData("com.amazonaws.dynamodb.v20120810#ThrottlingException")]
    [InlineData("com.amazonaws.dynamodb.v20120810#RequestLimitExceeded")]
    public async Task Throttling_is_retried_and_every_attempt_is_counted(string type)
    {
        using var responder = Answering((HttpStatusCode.BadRequest, AwsExamples.JsonError(type, "Slow down")), (HttpStatusCode.OK, FoundItem));
        using var aws = TestConnections.To(responder);
        var counter = new ApiCallCounter();

        DynamoItem? item;
        using (ApiCallCounting.Begin(counter))
        {
            item = await aws.DynamoDb.GetItemAsync("findings", Key, false, None);
        }

        Assert.Equal("p", item!.Text("PK"));
        Assert.Equal(2, responder.Requests.Count);
        Assert.Equal("2 AWS API calls (dynamodb:GetItem 2)", counter.ToString());
    }

    [Fact]
    public async Task Throttling_that_lasts_is_the_services_error_after_every_attempt()
    {
        using var responder = Answering((HttpStatusCode.BadRequest, AwsExamples.JsonError("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "Slow down")));
        using var aws = TestConnections.To(responder, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.DynamoDb.QueryAsync(new DynamoQuery("findings", null, "PK = :pk", DynamoExpressionTerms.None), null, None));

        Assert.Equal(("DynamoDB", "ProvisionedThroughputExceededException"), (error.ServiceId, error.ErrorCode));
        Assert.Equal(2, responder.Requests.Count);
    }

    [Fact]
    public async Task A_failed_condition_is_not_applied_and_not_retried()
    {
        using var responder = Answering((HttpStatusCode.BadRequest, AwsExamples.JsonError("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "The conditional request failed")));
        using var aws = TestConnections.To(responder);

        var result = await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate("findings", Key, "SET a = :a", "attribute_not_exists(PK)", DynamoExpressionTerms.None, DynamoReturnValues.AllNew), None);

        Assert.Equal(new DynamoWriteResult(false, null), result);
        Assert.Single(responder.Requests);
    }

    public static TheoryData<string> Unreadable => new()
    {
        """{"Item":{"PK":{"S":"p""",                  // cut short
        """{"Item":{"PK":{"SS":["a","b"]}}}""",        // a type the store never writes
        """{"Item":{"PK":{"S":"p","N":"1"}}}""",       // two types
        """{"Item":{"PK":{"N":1}}}""",                 // a number as a JSON number
        """{"Item":[]}""",
        """[]""",
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task An_unreadable_answer_is_an_unmarshalling_error_naming_the_operation(string body)
    {
        using var responder = Answering((HttpStatusCode.OK, body));
        using var aws = TestConnections.To(responder, maxAttempts: 1);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => aws.DynamoDb.GetItemAsync("findings", Key, false, None));

        Assert.True(error is AmazonUnmarshallingException && error.Message.Contains("GetItem", StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task The_page_marker_is_the_last_evaluated_key_and_goes_back_as_the_exclusive_start_key()
    {
        using var responder = Answering(
            (HttpStatusCode.OK, """{"Items":[{"PK":{"S":"p"},"SK":{"S":"1"}}],"Count":1,"LastEvaluatedKey":{"SK":{"S":"1"},"PK":{"S":"p"}}}"""),
            (HttpStatusCode.OK, """{"Items":[],"Count":0}"""));
        using var aws = TestConnections.To(responder);
        var query = new DynamoQuery("findings", null, "PK = :pk", DynamoExpressionTerms.None, Limit: 1);

        var first = await aws.DynamoDb.QueryAsync(query, null, None);
        var last = await aws.DynamoDb.QueryAsync(query, first.NextMarker, None);

        Assert.Equal("""{"PK":{"S":"p"},"SK":{"S":"1"}}""", first.NextMarker);
        Assert.Null(last.NextMarker);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(first.NextMarker!), JsonNode.Parse(responder.Requests[1].Body)!["ExclusiveStartKey"]));
        Assert.Null(JsonNode.Parse(responder.Requests[0].Body)!["ExclusiveStartKey"]);
    }
}
