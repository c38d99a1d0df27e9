using System.Net;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>SQS SendMessageBatch on the JSON 1.0 wire, as current SDKs send it: results, digests, batch and entry errors, faults.</summary>
public sealed class SqsWireTests(OrganizationServer organization) : IClassFixture<OrganizationServer>
{
    private string Batch(params JsonObject[] entries) => new JsonObject { ["QueueUrl"] = organization.SweepQueueUrl, ["Entries"] = new JsonArray(entries) }.ToJsonString();

    private static JsonObject Entry(string id, string body = "x") => new() { ["Id"] = id, ["MessageBody"] = body };

    private static async Task<(HttpStatusCode Status, string? Type, string? QueryError)> ErrorOf(HttpResponseMessage response) =>
        (response.StatusCode, (await WireClient.JsonAsync(response))["__type"]?.GetValue<string>(),
         response.Headers.TryGetValues("x-amzn-query-error", out var values) ? values.Single() : null);

    // MD5OfMessageAttributes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
    // (the attribute vector is the one the aws-md5-of-message-attributes package publishes; MD5("hello") is RFC 1321's algorithm).
    [Fact]
    public async Task Results_carry_the_md5_of_the_body_and_of_the_attributes()
    {
        var aws = organization.Fresh();
        using var wire = new WireClient(aws);
        var entry = Entry("one", "hello");
        entry["MessageAttributes"] = new JsonObject { ["attribName1"] = new JsonObject { ["DataType"] = "String", ["StringValue"] = "attribValue 1" } };
        using var response = await wire.SqsAsync("SendMessageBatch", Batch(entry));

        var result = await WireClient.JsonAsync(response);
        Assert.Equal("application/x-amz-json-1.0", response.Content.Headers.ContentType!.MediaType);
        var sent = Assert.Single(result["Successful"]!.AsArray())!;
        Assert.Equal(("one", "5d41402abc4b2a76b9719d911017c592", "19e27d4e946b072f3f58da80d94fd778"),
            (sent["Id"]!.GetValue<string>(), sent["MD5OfMessageBody"]!.GetValue<string>(), sent["MD5OfMessageAttributes"]!.GetValue<string>()));
        Assert.Equal("[]", result["Failed"]!.ToJsonString());
        Assert.Equal(sent["MessageId"]!.GetValue<string>(), Assert.Single(aws.SentMessages).MessageId);
    }

    // JSON errors: __type is the shape, x-amzn-query-error the query code and fault:
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html
    [Fact]
    public async Task An_unknown_queue_is_queue_does_not_exist_with_the_query_code_in_a_header()
    {
        var aws = organization.Fresh();
        using var wire = new WireClient(aws);
        using var response = await wire.SqsAsync("SendMessageBatch", new JsonObject { ["QueueUrl"] = organization.SweepQueueUrl + "-gone", ["Entries"] = new JsonArray(Entry("a")) }.ToJsonString());

        Assert.Equal((HttpStatusCode.BadRequest, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue;Sender"), await ErrorOf(response));
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", aws.Calls.All[^1].ErrorCode);
    }

    // Batch limits: at most 10 entries, ids of up to 80 characters from [A-Za-z0-9_-], distinct, 1 MiB in all:
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
    // and the API reference's current statement of the batch limit (1,048,576 bytes).
    [Fact]
    public async Task Whole_batch_errors_are_the_documented_ones()
    {
        var aws = organization.Fresh();
        using var wire = new WireClient(aws);
        async Task<(HttpStatusCode, string?, string?)> Send(params JsonObject[] entries)
        {
            using var response = await wire.SqsAsync("SendMessageBatch", Batch(entries));
            return await ErrorOf(response);
        }

        var empty = await Send();
        var eleven = await Send([.. Enumerable.Range(0, 11).Select(i => Entry($"e{i}"))]);
        var dotted = await Send(Entry("a.b"));
        var longId = await Send(Entry(new string('i', 81)));
        var repeated = await Send(Entry("same"), Entry("same"));
        var tooLong = await Send(Entry("a", new string('m', 524_288)), Entry("b", new string('m', 524_289)));
        using var exactly = await wire.SqsAsync("SendMessageBatch", Batch(Entry("a", new string('m', 524_288)), Entry(new string('b', 80), new string('m', 524_288))));

        Assert.Equal((HttpStatusCode.BadRequest, "com.amazonaws.sqs#EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest;Sender"), empty);
        Assert.Equal((HttpStatusCode.BadRequest, "com.amazonaws.sqs#TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender"), eleven);
        Assert.Equal("com.amazonaws.sqs#InvalidBatchEntryId", dotted.Item2);
        Assert.Equal("com.amazonaws.sqs#InvalidBatchEntryId", longId.Item2);
        Assert.Equal("com.amazonaws.sqs#BatchEntryIdsNotDistinct", repeated.Item2);
        Assert.Equal((HttpStatusCode.BadRequest, "com.amazonaws.sqs#BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong;Sender"), tooLong);
        Assert.Equal(HttpStatusCode.OK, exactly.StatusCode);
        Assert.Equal(2, aws.SentMessages.Count);
    }

    // Entries SQS cannot send fail one by one in Failed while the others are sent (HTTP 200):
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
    [Fact]
    public async Task Invalid_bodies_and_delays_fail_their_entries_only()
    {
        var aws = organization.Fresh();
        using var wire = new WireClient(aws);
        var late = Entry("late");
        late["DelaySeconds"] = 901;
        using var response = await wire.SqsAsync("SendMessageBatch", Batch(Entry("ok"), Entry("empty", ""), Entry("control", "bell\u0007"), late));

        var result = await WireClient.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", Assert.Single(result["Successful"]!.AsArray())!["Id"]!.GetValue<string>());
        Assert.Equal(
            [("empty", true, "MissingParameter"), ("control", true, "InvalidMessageContents"), ("late", true, "InvalidParameterValue")],
            result["Failed"]!.AsArray().Select(f => (f!["Id"]!.GetValue<string>(), f["SenderFault"]!.GetValue<bool>(), f["Code"]!.GetValue<string>())));
        Assert.Equal(["ok"], aws.SentMessages.Select(m => m.EntryId));
    }

    [Fact]
    public async Task Throttle_and_deny_faults_answer_in_sqs_words()
    {
        var aws = organization.Fresh();
        aws.Faults.Throttle("SendMessageBatch").DenyAccess("SendMessageBatch", resource: organization.SweepQueueUrl, times: 1);
        using var wire = new WireClient(aws);
        using var throttled = await wire.SqsAsync("SendMessageBatch", Batch(Entry("a")));
        using var denied = await wire.SqsAsync("SendMessageBatch", Batch(Entry("a")));
        using var accepted = await wire.SqsAsync("SendMessageBatch", Batch(Entry("a")));

        Assert.Equal((HttpStatusCode.BadRequest, "com.amazonaws.sqs#RequestThrottled", "RequestThrottled;Sender"), await ErrorOf(throttled));
        var deniedBody = await WireClient.JsonAsync(denied);
        Assert.Equal((HttpStatusCode.Forbidden, "com.amazonaws.sqs#AccessDenied"), (denied.StatusCode, deniedBody["__type"]!.GetValue<string>()));
        Assert.Contains("on resource: arn:aws:sqs:eu-west-1:111122223333:era-sweep", deniedBody["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(["Throttle", "DenyAccess", null], aws.Calls.All.Select(c => c.Fault));
        Assert.Single(aws.SentMessages);
    }
}
