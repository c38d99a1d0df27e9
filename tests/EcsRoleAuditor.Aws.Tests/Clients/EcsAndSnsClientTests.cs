using System.Text.Json;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Tests.Clients;

public sealed class EcsAndSnsClientTests
{
    [Fact]
    public async Task DescribeTaskDefinition_returns_the_body_as_received_and_asks_for_tags()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.DescribeTaskDefinition);
        using var aws = TestConnections.To(responder, region: "ap-southeast-2");

        var body = await aws.Ecs.DescribeTaskDefinitionAsync("hello_world:8", includeTags: true, CancellationToken.None);

        Assert.Equal(AwsExamples.DescribeTaskDefinition, body);
        var request = responder.OnlyRequest;
        Assert.Equal("AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        Assert.Equal("""{"taskDefinition":"hello_world:8","include":["TAGS"]}""", request.Body);
        Assert.Equal((TestConnections.AccessKey, "ap-southeast-2", "ecs"), request.CredentialScope);
    }

    [Fact]
    public async Task DescribeTaskDefinition_without_tags_sends_no_include()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.DescribeTaskDefinition);
        using var aws = TestConnections.To(responder);

        await aws.Ecs.DescribeTaskDefinitionAsync("arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:8", includeTags: false, CancellationToken.None);

        Assert.Equal("""{"taskDefinition":"arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:8"}""", responder.OnlyRequest.Body);
    }

    [Fact]
    public async Task ListTaskDefinitions_sends_family_status_sort_and_token_and_reads_the_next_token()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListTaskDefinitions);
        using var aws = TestConnections.To(responder);

        var page = await aws.Ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter("wordpress", TaskDefinitionStatus.Inactive, Descending: true), "token-1", CancellationToken.None);

        Assert.Equal(["arn:aws:ecs:us-east-1:012345678910:task-definition/wordpress:3", "arn:aws:ecs:us-east-1:012345678910:task-definition/wordpress:4"], page.Items);
        Assert.Equal("eyJlbmNyeXB0ZWREYXRhIjpbXX0=", page.NextMarker);
        using var body = JsonDocument.Parse(responder.OnlyRequest.Body);
        var root = body.RootElement;
        Assert.Equal("wordpress", root.GetProperty("familyPrefix").GetString());
        Assert.Equal("INACTIVE", root.GetProperty("status").GetString());
        Assert.Equal("DESC", root.GetProperty("sort").GetString());
        Assert.Equal("token-1", root.GetProperty("nextToken").GetString());
        Assert.Equal(100, root.GetProperty("maxResults").GetInt32());
        Assert.Equal("AmazonEC2ContainerServiceV20141113.ListTaskDefinitions", responder.OnlyRequest.Header("X-Amz-Target"));
    }

    [Fact]
    public async Task ListTaskDefinitionFamilies_reads_a_last_page_without_token()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListTaskDefinitionFamilies);
        using var aws = TestConnections.To(responder);

        var page = await aws.Ecs.ListTaskDefinitionFamiliesAsync(null, TaskDefinitionStatus.All, null, CancellationToken.None);

        Assert.Equal(["node-js-app", "web-timer", "hpcc", "hpcc-c4-8xlarge"], page.Items);
        Assert.Null(page.NextMarker);
        Assert.Equal("""{"status":"ALL","maxResults":100}""", responder.OnlyRequest.Body);
    }

    [Fact]
    public async Task Publish_sends_subject_json_structure_and_attribute_entries_and_returns_the_message_id()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.Publish);
        using var aws = TestConnections.To(responder, region: "eu-central-1");
        var message = AwsExamples.Alert("arn:aws:sns:eu-central-1:123456789012:audit");

        var id = await aws.Sns.PublishAsync(message, CancellationToken.None);

        Assert.Equal("567910cd-659e-55d4-8ccb-5aaf14679dc0", id);
        var request = responder.OnlyRequest;
        Assert.Equal((TestConnections.AccessKey, "eu-central-1", "sns"), request.CredentialScope);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Action"] = "Publish",
            ["Version"] = "2010-03-31",
            ["TopicArn"] = message.TopicArn,
            ["Message"] = message.Message,
            ["Subject"] = "ECS role audit: 2 findings",
            ["MessageStructure"] = "json",
            ["MessageAttributes.entry.1.Name"] = "count",
            ["MessageAttributes.entry.1.Value.DataType"] = "Number",
            ["MessageAttributes.entry.1.Value.StringValue"] = "2",
            ["MessageAttributes.entry.2.Name"] = "rules",
            ["MessageAttributes.entry.2.Value.DataType"] = "String.Array",
            ["MessageAttributes.entry.2.Value.StringValue"] = """["ERA021","ERA041"]""",
            ["MessageAttributes.entry.3.Name"] = "severity",
            ["MessageAttributes.entry.3.Value.DataType"] = "String",
            ["MessageAttributes.entry.3.Value.StringValue"] = "high",
        }, request.Form);
    }

    [Fact]
    public async Task Publish_of_a_plain_message_sends_neither_subject_nor_structure()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.Publish);
        using var aws = TestConnections.To(responder);

        await aws.Sns.PublishAsync(new SnsMessage("arn:aws:sns:eu-west-1:123456789012:audit", "hello", null, false, new Dictionary<string, SnsMessageAttributeValue>()), CancellationToken.None);

        Assert.Equal(["Action", "Message", "TopicArn", "Version"], responder.OnlyRequest.Form.Keys.Order(StringComparer.Ordinal));
    }
}
