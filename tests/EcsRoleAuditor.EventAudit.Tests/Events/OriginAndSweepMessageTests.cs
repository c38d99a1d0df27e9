using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Events;

public sealed class OriginAndSweepMessageTests
{
    // EventBridge User Guide, "Event structure reference": account is "the 12-digit number identifying an AWS account",
    // region "identifies the AWS Region where the event originated".
    [Theory]
    [InlineData("register-task-definition-violating.json", "111122223333", "eu-west-1")]
    [InlineData("put-role-policy.json", "111122223333", "us-east-1")]
    public void A_cloudtrail_event_comes_from_the_envelopes_account_and_region(string sample, string account, string region)
    {
        Assert.Equal(new EventOrigin(account, region), EventClassifier.Classify(DemoAccount.Event(sample)).Origin);
    }

    [Theory]
    [InlineData("account", "11112222333")]
    [InlineData("account", "111122223333:role/x")]
    [InlineData("region", "eu-west-1.evil.example")]
    [InlineData("region", "EU-WEST-1")]
    public void An_envelope_account_or_region_of_another_shape_gives_no_origin(string field, string value)
    {
        var node = JsonNode.Parse(DemoAccount.Event("register-task-definition-violating.json"))!;
        node[field] = value;

        var classified = EventClassifier.Classify(Encoding.UTF8.GetBytes(node.ToJsonString()));

        Assert.IsType<AuditEvent.TaskDefinitionRegistered>(classified);
        Assert.Null(classified.Origin);
    }

    [Fact]
    public void The_schedule_and_direct_invocations_have_no_origin()
    {
        Assert.Null(EventClassifier.Classify(DemoAccount.Event("scheduled-sweep.json")).Origin);
        Assert.Null(EventClassifier.Classify(DemoAccount.Event("direct-invocation.json")).Origin);
    }

    [Fact]
    public void A_sweep_message_reads_back_as_the_origin_it_was_written_for()
    {
        var origin = new EventOrigin("444455556666", "ap-southeast-2");
        var payload = Sqs(("id-1", SweepMessage.Body(origin)));

        var batch = Assert.IsType<AuditEvent.SweepBatch>(EventClassifier.Classify(payload));

        Assert.Equal(new SweepRecord("id-1", origin, null), Assert.Single(batch.Records));
        Assert.Equal("""{"sweep":{"accountId":"444455556666","region":"ap-southeast-2"}}""", SweepMessage.Body(origin));
        // SQS API Reference, SendMessageBatchRequestEntry: Id is up to 80 alphanumerics, hyphens and underscores.
        Assert.Matches("^[A-Za-z0-9_-]{1,80}$", SweepMessage.EntryId(origin));
        // Organization mode's contract (issue 15): a<accountId>-<region>.
        Assert.Equal("a444455556666-ap-southeast-2", SweepMessage.EntryId(origin));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"sweep\":{\"accountId\":\"444455556666\"}}")]
    [InlineData("{\"sweep\":{\"accountId\":\"4444\",\"region\":\"eu-west-1\"}}")]
    [InlineData("{\"sweep\":{\"accountId\":\"444455556666\",\"region\":\"eu-west-1\",\"region\":\"us-east-1\"}}")]
    public void A_record_that_is_not_a_sweep_message_is_kept_with_its_problem_and_no_origin(string body)
    {
        var batch = Assert.IsType<AuditEvent.SweepBatch>(EventClassifier.Classify(Sqs(("id-9", body))));

        var record = Assert.Single(batch.Records);
        Assert.Equal("id-9", record.MessageId);
        Assert.Null(record.Origin);
        Assert.NotNull(record.Problem);
        Assert.DoesNotContain(body, record.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_of_another_event_source_are_not_a_sweep_batch()
    {
        var node = JsonNode.Parse(Sqs(("id-1", "{}")))!;
        node["Records"]![0]!["eventSource"] = "aws:kinesis";

        Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(Encoding.UTF8.GetBytes(node.ToJsonString())));
    }

    private static byte[] Sqs(params (string Id, string Body)[] messages) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["Records"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["messageId"] = m.Id, ["body"] = m.Body, ["eventSource"] = "aws:sqs" })]),
    });
}
