using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static EcsRoleAuditor.FakeAws.Tests.OrganizationServer;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>SQS SendMessageBatch through the AWS CLI (which speaks SQS's query protocol in version 2.9).</summary>
public sealed class SqsCliTests(OrganizationServer organization) : IClassFixture<OrganizationServer>
{
    private static string Sweep(string account, string region) => $$$"""{"sweep":{"accountId":"{{{account}}}","region":"{{{region}}}"}}""";

#pragma warning disable CA5351 // MD5 is SQS's integrity digest; the test recomputes it independently of the fake.
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    // Request and result shapes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
    [Fact]
    public async Task Send_message_batch_captures_every_entry_and_answers_real_md5_digests()
    {
        var aws = organization.Fresh();
        var entries = new JsonArray(
            new JsonObject { ["Id"] = $"a{MemberA}-eu-west-1", ["MessageBody"] = Sweep(MemberA, "eu-west-1") },
            new JsonObject
            {
                ["Id"] = $"a{MemberA}-us-east-1",
                ["MessageBody"] = Sweep(MemberA, "us-east-1"),
                ["DelaySeconds"] = 5,
                ["MessageAttributes"] = new JsonObject { ["kind"] = new JsonObject { ["DataType"] = "String", ["StringValue"] = "sweep" } },
            });
        var printed = (await AwsCli.RunAsync(aws, "sqs", "send-message-batch", "--queue-url", organization.SweepQueueUrl, "--entries", entries.ToJsonString())).Json();

        var successful = printed["Successful"]!.AsArray();
        Assert.Equal([$"a{MemberA}-eu-west-1", $"a{MemberA}-us-east-1"], successful.Select(s => s!["Id"]!.GetValue<string>()));
        Assert.Equal([Md5(Sweep(MemberA, "eu-west-1")), Md5(Sweep(MemberA, "us-east-1"))], successful.Select(s => s!["MD5OfMessageBody"]!.GetValue<string>()));
        Assert.Null(printed["Failed"]);
        Assert.Equal([Sweep(MemberA, "eu-west-1"), Sweep(MemberA, "us-east-1")], aws.SentMessages.Select(m => m.Body));
        Assert.Equal(successful.Select(s => s!["MessageId"]!.GetValue<string>()), aws.SentMessages.Select(m => m.MessageId));
        Assert.All(aws.SentMessages, m => Assert.Equal(organization.SweepQueueUrl, m.QueueUrl));
        Assert.Equal([null, 5], aws.SentMessages.Select(m => m.DelaySeconds));
        Assert.Equal(new PublishedAttributeValue("String", "sweep", null), Assert.Single(aws.SentMessages[1].Attributes).Value);
        Assert.Equal(("sqs", "sqs"), (aws.Calls.All[0].Service, aws.Calls.All[0].Scope!.Service));
    }

    // Partial failure: the call succeeds and lists the failed entry with SenderFault and Code (BatchResultErrorEntry).
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_BatchResultErrorEntry.html
    [Fact]
    public async Task An_entry_failed_by_the_fault_plan_is_listed_under_failed_and_the_rest_are_sent()
    {
        var aws = organization.Fresh();
        aws.Faults.FailBatchEntry($"a{MemberB}-eu-west-1");
        var entries = new JsonArray(
            new JsonObject { ["Id"] = $"a{MemberA}-eu-west-1", ["MessageBody"] = Sweep(MemberA, "eu-west-1") },
            new JsonObject { ["Id"] = $"a{MemberB}-eu-west-1", ["MessageBody"] = Sweep(MemberB, "eu-west-1") });
        var result = await AwsCli.RunAsync(aws, "sqs", "send-message-batch", "--queue-url", organization.SweepQueueUrl, "--entries", entries.ToJsonString());

        var printed = JsonNode.Parse(result.Stdout)!;
        Assert.Equal($"a{MemberA}-eu-west-1", Assert.Single(printed["Successful"]!.AsArray())!["Id"]!.GetValue<string>());
        Assert.Equal(
            $$"""[{"Id":"a{{MemberB}}-eu-west-1","SenderFault":false,"Code":"InternalError","Message":"The fault plan failed this entry."}]""",
            printed["Failed"]!.ToJsonString());
        Assert.Equal([Sweep(MemberA, "eu-west-1")], aws.SentMessages.Select(m => m.Body));
        Assert.Equal(200, Assert.Single(aws.Calls.All).StatusCode);
    }

    // QueueDoesNotExist is AWS.SimpleQueueService.NonExistentQueue on the query wire.
    [Fact]
    public async Task Send_message_batch_to_an_unknown_queue_fails_with_non_existent_queue()
    {
        var aws = organization.Fresh();
        var result = await AwsCli.RunAsync(aws, "sqs", "send-message-batch", "--queue-url", organization.SweepQueueUrl + "-gone",
            "--entries", """[{"Id":"a","MessageBody":"x"}]""");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AWS.SimpleQueueService.NonExistentQueue", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("The specified queue does not exist.", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(aws.SentMessages);
    }
}
