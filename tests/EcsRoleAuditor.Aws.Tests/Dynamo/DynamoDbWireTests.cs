using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.Tests.Clients;

namespace EcsRoleAuditor.Aws.Tests.Dynamo;

/// <summary>What the DynamoDB client sends and how it takes answers dynalite cannot give: throttling, garbled bodies.</summary>
public sealed class DynamoDbWireTests
{
    private const string ContentType = "application/x-amz-json-1.0";
    private const string FoundItem = """{"Items":[{"PK":{"S":"p"},"SK":{"S":"s"}}],"Count":1,"ScannedCount":1}""";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DynamoItem Key = DynamoItem.Of(("PK", new DynamoValue.S("p")), ("SK", new DynamoValue.S("s")));

    // One item by its full key: the client reads only with Query.
    private static readonly DynamoQuery ItemQuery = new("findings", null, "#pk = :pk AND #sk = :sk", new DynamoExpressionTerms(
        ImmutableDictionary<string, string>.Empty.Add("#pk", "PK").Add("#sk", "SK"),
        ImmutableDictionary<string, DynamoValue>.Empty.Add(":pk", new DynamoValue.S("p")).Add(":sk", new DynamoValue.S("s"))), ConsistentRead: true);

    /// <summary>One call of the operation (Query, UpdateItem or PutItem) on <see cref="Key"/>, conditional and asking for an item back where it can.</summary>
    private static async Task<object> Call(AwsConnection aws, string operation) => operation switch
    {
        "Query" => await aws.DynamoDb.QueryAsync(ItemQuery, null, None),
        "UpdateItem" => await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate("findings", Key, "SET a = :a", "attribute_exists(PK)",
            new DynamoExpressionTerms(ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, DynamoValue>.Empty.Add(":a", DynamoValue.N.Of(1))), DynamoReturnValues.AllNew), None),
        "PutItem" => await aws.DynamoDb.PutItemAsync(new DynamoPut("findings", Key, "attribute_not_exists(PK)", DynamoExpressionTerms.None, DynamoReturnValues.AllOld), None),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

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

        var page = await aws.DynamoDb.QueryAsync(ItemQuery, null, None);

        var request = responder.OnlyRequest;
        Assert.Equal(("POST", "DynamoDB_20120810.Query"), (request.Method, request.Header("X-Amz-Target")));
        Assert.StartsWith(ContentType, request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal((TestConnections.AccessKey, "ap-southeast-2", "dynamodb"), request.CredentialScope);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"TableName":"findings","KeyConditionExpression":"#pk = :pk AND #sk = :sk",
             "ExpressionAttributeNames":{"#pk":"PK","#sk":"SK"},"ExpressionAttributeValues":{":pk":{"S":"p"},":sk":{"S":"s"}},
             "ScanIndexForward":true,"ConsistentRead":true}
            """), JsonNode.Parse(request.Body)), request.Body);
        Assert.Equal(("p", "s"), (page.Items.Single().Text("PK"), page.Items.Single().Text("SK")));
        Assert.Null(page.NextMarker);
    }

    [Fact]
    public async Task An_update_sends_its_key_expressions_condition_and_return_values_and_reads_the_item_back()
    {
        using var responder = Answering((HttpStatusCode.OK, """{"Attributes":{"PK":{"S":"p"},"SK":{"S":"s"},"alerted":{"N":"1"}}}"""));
        using var aws = TestConnections.To(responder);

        var result = await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate("findings", Key, "SET #a = :a", "attribute_exists(PK)", new DynamoExpressionTerms(
            ImmutableDictionary<string, string>.Empty.Add("#a", "alerted"), ImmutableDictionary<string, DynamoValue>.Empty.Add(":a", DynamoValue.N.Of(1))), DynamoReturnValues.AllNew), None);

        var request = responder.OnlyRequest;
        Assert.Equal("DynamoDB_20120810.UpdateItem", request.Header("X-Amz-Target"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"TableName":"findings","Key":{"PK":{"S":"p"},"SK":{"S":"s"}},"UpdateExpression":"SET #a = :a","ConditionExpression":"attribute_exists(PK)",
             "ExpressionAttributeNames":{"#a":"alerted"},"ExpressionAttributeValues":{":a":{"N":"1"}},"ReturnValues":"ALL_NEW"}
            """), JsonNode.Parse(request.Body)), request.Body);
        Assert.True(result.Applied);
        Assert.Equal(1, result.Attributes!.Number("alerted"));
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

        Page<DynamoItem> page;
        using (ApiCallCounting.Begin(counter))
        {
            page = await aws.DynamoDb.QueryAsync(ItemQuery, null, None);
        }

        Assert.Equal("p", page.Items.Single().Text("PK"));
        Assert.Equal(2, responder.Requests.Count);
        Assert.Equal("2 AWS API calls (dynamodb:Query 2)", counter.ToString());
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

    [Theory]
    [InlineData("UpdateItem")]
    [InlineData("PutItem")]
    public async Task A_failed_condition_is_not_applied_and_not_retried(string operation)
    {
        using var responder = Answering((HttpStatusCode.BadRequest, AwsExamples.JsonError("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "The conditional request failed")));
        using var aws = TestConnections.To(responder);
        var counter = new ApiCallCounter();

        object result;
        using (ApiCallCounting.Begin(counter))
        {
            result = await Call(aws, operation);
        }

        Assert.Equal(new DynamoWriteResult(false, null), result);
        Assert.Equal($"DynamoDB_20120810.{operation}", responder.OnlyRequest.Header("X-Amz-Target"));
        Assert.Equal($"1 AWS API call (dynamodb:{operation} 1)", counter.ToString());
    }

    public static TheoryData<string, string> Unreadable => new()
    {
        { "Query", """{"Items":[{"PK":{"S":"p""" },                  // cut short
        { "Query", """{"Items":[{"PK":{"SS":["a","b"]}}]}""" },       // a type the store never writes
        { "Query", """{"Items":[{"PK":{"S":"p","N":"1"}}]}""" },      // two types
        { "Query", """{"Items":[{"PK":{"N":1}}]}""" },                // a number as a JSON number
        { "Query", """{"Items":[[]]}""" },                            // an item that is not a map
        { "Query", """{"Items":{}}""" },                              // items that are not a list
        { "Query", """[]""" },
        { "UpdateItem", """{"Attributes":{"PK":{"S":"p""" },
        { "UpdateItem", """{"Attributes":{"PK":{"SS":["a","b"]}}}""" },
        { "UpdateItem", """{"Attributes":[]}""" },
        { "UpdateItem", """[]""" },
        { "PutItem", """{"Attributes":{"PK":{"N":1}}}""" },
        { "PutItem", """[]""" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task An_unreadable_answer_is_an_unmarshalling_error_naming_the_operation(string operation, string body)
    {
        using var responder = Answering((HttpStatusCode.OK, body));
        using var aws = TestConnections.To(responder, maxAttempts: 1);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Call(aws, operation));

        Assert.True(error is AmazonUnmarshallingException && error.Message.Contains(operation, StringComparison.Ordinal), error.ToString());
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
