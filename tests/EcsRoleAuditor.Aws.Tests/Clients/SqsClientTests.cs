using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.Sqs;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>
/// The SQS client: SQS's JSON protocol ("Making query API requests using AWS JSON protocol in Amazon SQS", SQS
/// Developer Guide: <c>X-Amz-Target: AmazonSQS.&lt;operation&gt;</c>, <c>Content-Type: application/x-amz-json-1.0</c>),
/// SendMessageBatch's shapes and limits ("SendMessageBatch", "SendMessageBatchRequestEntry",
/// "SendMessageBatchResultEntry", "BatchResultErrorEntry", Amazon SQS API Reference) and its error answers
/// ("Interpreting Amazon SQS JSON API responses", SQS Developer Guide).
/// </summary>
public sealed class SqsClientTests
{
    private const string QueueUrl = "https://sqs.eu-west-1.amazonaws.com/111122223333/EcsRoleAuditorSweep";
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly (string Id, string Body)[] Sweeps =
    [
        ("a111122223333-eu-west-1", """{"sweep":{"accountId":"111122223333","region":"eu-west-1"}}"""),
        ("a444455556666-us-east-1", """{"sweep":{"accountId":"444455556666","region":"us-east-1"}}"""),
    ];

    private static Dictionary<string, string> QueryError(string value) => new() { ["x-amzn-query-error"] = value };

    [Fact]
    public async Task SendMessageBatch_sends_the_target_content_type_queue_and_entries_signed_for_the_region()
    {
        using var responder = new RecordingResponder().Json10(AwsExamples.SendMessageBatchAnswer(Sweeps));
        using var aws = TestConnections.To(responder, region: "eu-west-1");

        var result = await aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None);

        Assert.Equal(["a111122223333-eu-west-1", "a444455556666-us-east-1"], result.Successful);
        Assert.Empty(result.Failed);
        var request = responder.OnlyRequest;
        Assert.Equal("AmazonSQS.SendMessageBatch", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.0", request.Header("Content-Type"));
        Assert.Equal((TestConnections.AccessKey, "eu-west-1", "sqs"), request.CredentialScope);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(QueueUrl, body.RootElement.GetProperty("QueueUrl").GetString());
        Assert.Equal(
            Sweeps.Select(s => (s.Id, s.Body)),
            body.RootElement.GetProperty("Entries").EnumerateArray().Select(e => (e.GetProperty("Id").GetString()!, e.GetProperty("MessageBody").GetString()!)));
        Assert.Equal(["Id", "MessageBody"], body.RootElement.GetProperty("Entries")[0].EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("cn-northwest-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("ap-southeast-2")]
    public async Task Sqs_is_regional_and_signed_for_the_clients_region(string region)
    {
        using var responder = new RecordingResponder().Json10(AwsExamples.SendMessageBatchAnswer(Sweeps));
        using var aws = TestConnections.To(responder, region: region);

        await aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None);

        Assert.Equal((region, "sqs"), (responder.OnlyRequest.CredentialScope.Region, responder.OnlyRequest.CredentialScope.Service));
    }

    [Fact]
    public async Task Failed_entries_carry_id_code_message_and_sender_fault()
    {
        var failed = """{"Id":"a444455556666-us-east-1","SenderFault":true,"Code":"InvalidParameterValue","Message":"Value for parameter MessageBody is invalid."}""";
        using var responder = new RecordingResponder().Json10(AwsExamples.SendMessageBatchAnswer(Sweeps.Take(1), failed));
        using var aws = TestConnections.To(responder);

        var result = await aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None);

        Assert.Equal(["a111122223333-eu-west-1"], result.Successful);
        Assert.Equal([new SqsBatchFailure("a444455556666-us-east-1", "InvalidParameterValue", "Value for parameter MessageBody is invalid.", SenderFault: true)], result.Failed);
    }

    [Fact]
    public async Task An_entry_whose_md5_differs_from_the_body_sent_is_a_failed_entry()
    {
        var answer = $$"""
            {"Successful":[
              {"Id":"{{Sweeps[0].Id}}","MessageId":"m1","MD5OfMessageBody":"{{AwsExamples.Md5(Sweeps[0].Body).ToUpperInvariant()}}"},
              {"Id":"{{Sweeps[1].Id}}","MessageId":"m2","MD5OfMessageBody":"{{AwsExamples.Md5(Sweeps[0].Body)}}"}
            ],"Failed":[]}
            """;
        using var responder = new RecordingResponder().Json10(answer);
        using var aws = TestConnections.To(responder);

        var result = await aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None);

        Assert.Equal([Sweeps[0].Id], result.Successful);
        var failure = Assert.Single(result.Failed);
        Assert.Equal((Sweeps[1].Id, SqsBatchFailure.Md5Mismatch, false), (failure.Id, failure.Code, failure.SenderFault));
    }

    [Fact]
    public async Task The_digest_checked_is_the_md5_of_the_bodys_utf8_bytes()
    {
        // RFC 1321, A.5 test suite: MD5 ("message digest") = f96b697d7cb7938d525a2f31aaf161d0.
        using var responder = new RecordingResponder()
            .Json10("""{"Successful":[{"Id":"rfc","MessageId":"m","MD5OfMessageBody":"f96b697d7cb7938d525a2f31aaf161d0"}],"Failed":[]}""")
            .Json10("""{"Successful":[{"Id":"utf8","MessageId":"m","MD5OfMessageBody":"d41d8cd98f00b204e9800998ecf8427e"}],"Failed":[]}""");
        using var aws = TestConnections.To(responder);

        var rfc = await aws.Sqs.SendMessageBatchAsync(QueueUrl, [("rfc", "message digest")], None);
        var other = await aws.Sqs.SendMessageBatchAsync(QueueUrl, [("utf8", "ünïcødé")], None);

        Assert.Equal(["rfc"], rfc.Successful);
        Assert.Equal(SqsBatchFailure.Md5Mismatch, Assert.Single(other.Failed).Code);
    }

    [Fact]
    public async Task An_entry_missing_from_the_answer_is_failed_and_can_be_sent_again()
    {
        using var responder = new RecordingResponder().Json10(AwsExamples.SendMessageBatchAnswer(Sweeps.Take(1)));
        using var aws = TestConnections.To(responder);

        var result = await aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None);

        Assert.Equal([new SqsBatchFailure(Sweeps[1].Id, SqsBatchFailure.NotAnswered, "The answer named the entry neither successful nor failed.", SenderFault: false)], result.Failed);
    }

    [Theory]
    [InlineData("""{"Successful":[{"Id":"not-sent","MessageId":"m","MD5OfMessageBody":"x"}],"Failed":[]}""")]
    [InlineData("""{"Successful":[],"Failed":[{"Id":"a111122223333-eu-west-1","Code":"X","SenderFault":false},{"Id":"a111122223333-eu-west-1","Code":"X","SenderFault":false}]}""")]
    [InlineData("""{"Successful":{"Id":"a111122223333-eu-west-1"}}""")]
    [InlineData("""{"Successful":[null]}""")]
    public async Task An_answer_naming_unsent_or_repeated_entries_or_of_another_shape_is_unreadable(string answer)
    {
        using var responder = new RecordingResponder().Json10(answer);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None));

        Assert.Contains("SQS SendMessageBatch", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_beyond_one_mebibyte_is_unreadable()
    {
        var answer = AwsExamples.SendMessageBatchAnswer(Sweeps)[..^1] + ",\"Padding\":\"" + new string('x', 1024 * 1024) + "\"}";
        using var responder = new RecordingResponder().Json10(answer);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None));

        Assert.Contains("larger than 1,048,576 bytes", error.ToString(), StringComparison.Ordinal);
    }

    // The example of "Interpreting Amazon SQS JSON API responses": x-amzn-query-error names the query-era code, which
    // the SDKs report; an emulator that sends only __type still names the queue's absence.
    [Theory]
    [InlineData("AWS.SimpleQueueService.NonExistentQueue;Sender", "AWS.SimpleQueueService.NonExistentQueue", ErrorType.Sender)]
    [InlineData(null, "QueueDoesNotExist", ErrorType.Unknown)]
    public async Task A_missing_queue_is_not_found_and_not_retried(string? queryError, string code, ErrorType type)
    {
        using var responder = new RecordingResponder().Json10(
            """{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}""",
            HttpStatusCode.BadRequest,
            queryError is null ? null : QueryError(queryError));
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None));

        Assert.Equal(("SQS", code, HttpStatusCode.BadRequest, "The specified queue does not exist."), (error.ServiceId, error.ErrorCode, error.StatusCode, error.Message));
        if (type != ErrorType.Unknown)
        {
            Assert.Equal(type, error.ErrorType);
        }
        Assert.Equal(AwsFailureKind.NotFound, AwsFailure.From(error, AwsActions.SendMessageBatch, QueueUrl).Kind);
        Assert.Single(responder.Requests);
    }

    [Fact]
    public async Task Access_denied_is_classified_and_not_retried()
    {
        using var responder = new RecordingResponder().Json10(
            """{"__type":"com.amazon.coral.service#AccessDeniedException","message":"User is not authorized to perform: sqs:sendmessage"}""",
            HttpStatusCode.BadRequest,
            QueryError("AccessDenied;Sender"));
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal(AwsFailureKind.AccessDenied, AwsFailure.From(error, AwsActions.SendMessageBatch, QueueUrl).Kind);
        Assert.Contains("sqs:SendMessage", AwsFailure.From(error, AwsActions.SendMessageBatch, QueueUrl).Describe(), StringComparison.Ordinal);
        Assert.Single(responder.Requests);
    }

    [Theory]
    [InlineData("RequestThrottled;Sender", "com.amazonaws.sqs#RequestThrottled")]
    [InlineData(null, "com.amazonaws.sqs#RequestThrottled")]
    [InlineData(null, "ThrottlingException")]
    public async Task Throttling_is_retried_and_the_call_then_succeeds(string? queryError, string type)
    {
        using var responder = new RecordingResponder()
            .Json10($$"""{"__type":"{{type}}","message":"Rate exceeded"}""", HttpStatusCode.BadRequest, queryError is null ? null : QueryError(queryError))
            .Json10(AwsExamples.SendMessageBatchAnswer(Sweeps));
        using var aws = TestConnections.To(responder);

        var result = await aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None);

        Assert.Equal(2, result.Successful.Count);
        Assert.Equal(2, responder.Requests.Count);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_attempts_is_a_throttled_failure_counted_per_attempt()
    {
        using var responder = new RecordingResponder().Json10("""{"__type":"com.amazonaws.sqs#RequestThrottled","message":"Rate exceeded"}""", HttpStatusCode.BadRequest, QueryError("RequestThrottled;Sender"));
        using var aws = TestConnections.To(responder, maxAttempts: 2);
        var counter = new ApiCallCounter();

        AwsServiceException error;
        using (ApiCallCounting.Begin(counter))
        {
            error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Sqs.SendMessageBatchAsync(QueueUrl, Sweeps, None));
        }

        Assert.Equal("RequestThrottled", error.ErrorCode);
        Assert.Equal(AwsFailureKind.Throttled, AwsFailure.From(error, AwsActions.SendMessageBatch, QueueUrl).Kind);
        Assert.Equal(2, counter["sqs:SendMessage"]);
    }

    public static TheoryData<string, (string Id, string Body)[], string> InvalidBatches => new()
    {
        { "empty", [], "1 to 10 entries, not 0" },
        { "eleven", [.. Enumerable.Range(0, 11).Select(i => ($"e{i}", "b"))], "1 to 10 entries, not 11" },
        { "repeated id", [("a", "1"), ("a", "2")], "'a' appears twice" },
        { "empty id", [("", "b")], "is not 1 to 80 letters" },
        { "81 characters", [(new string('i', 81), "b")], "is not 1 to 80 letters" },
        { "dot in id", [("a111122223333.eu-west-1", "b")], "is not 1 to 80 letters" },
        { "non-ascii letter", [("é", "b")], "is not 1 to 80 letters" },
        { "empty body", [("a", "")], "'a' has an empty body" },
        { "control character", [("a", "x\u0001")], "U+0001 at 1" },
        { "lone surrogate", [("a", "x\uD800y")], "U+D800 at 1" },
        { "U+FFFE", [("a", "\uFFFE")], "U+FFFE at 0" },
        { "over 1 MiB in all", [("a", new string('x', 524_288)), ("b", new string('x', 524_289))], "1,048,577 bytes; a batch may hold at most 1,048,576" },
        { "over 1 MiB in UTF-8", [("a", new string('é', 524_289))], "1,048,578 bytes" },
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public async Task A_batch_sqs_would_refuse_is_refused_before_anything_is_sent(string why, (string Id, string Body)[] entries, string message)
    {
        using var responder = new RecordingResponder().Json10(AwsExamples.SendMessageBatchAnswer([]));
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => aws.Sqs.SendMessageBatchAsync(QueueUrl, entries, None));

        Assert.True(error.Message.Contains(message, StringComparison.Ordinal), $"{why}: {error.Message}");
        Assert.Empty(responder.Requests);
    }

    [Fact]
    public void Ten_entries_of_80_character_ids_and_exactly_one_mebibyte_of_the_widest_characters_are_accepted()
    {
        // 1 MiB = 1,048,576 bytes ("SendMessageBatch", Amazon SQS API Reference). U+10FFFF is 4 UTF-8 bytes (2 UTF-16
        // chars): nine bodies of 26,214 of them and a tenth of 26,217 and four one-byte characters make 1,048,576.
        var wide = char.ConvertFromUtf32(0x10FFFF);
        string Wide(int count) => string.Concat(Enumerable.Repeat(wide, count));
        var entries = Enumerable.Range(0, 9).Select(i => ($"{i}{new string('_', 78)}-", Wide(26_214)))
            .Append(("last-" + new string('Z', 75), "\t\n\ra" + Wide(26_217)))
            .ToList();

        Assert.Equal(1_048_576, entries.Sum(e => System.Text.Encoding.UTF8.GetByteCount(e.Item2)));
        Assert.All(entries, e => Assert.Equal(80, e.Item1.Length));
        SqsBatchEntries.Validate(entries);
    }

    [Fact]
    public void One_byte_over_one_mebibyte_is_refused()
    {
        var entries = new List<(string, string)> { ("a", new string('x', 1_048_576)) };
        SqsBatchEntries.Validate(entries);

        entries.Add(("b", "x"));

        Assert.Contains("1,048,577 bytes", Assert.Throws<ArgumentException>(() => SqsBatchEntries.Validate(entries)).Message, StringComparison.Ordinal);
    }
}
