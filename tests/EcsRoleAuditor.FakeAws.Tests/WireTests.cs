using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>Wire details checked without the CLI: envelopes, routing, errors, pagination, faults.</summary>
public sealed class WireTests(DemoServer demo) : IClassFixture<DemoServer>
{
    [Fact]
    public async Task Iam_answers_in_its_namespace_with_result_wrapper_and_request_id()
    {
        using var wire = new WireClient(demo.Fresh());
        using var response = await wire.IamAsync("GetRole", ("RoleName", "orders-api-task"));

        var root = await WireClient.XmlAsync(response);
        XNamespace ns = "https://iam.amazonaws.com/doc/2010-05-08/";
        Assert.Equal(ns + "GetRoleResponse", root.Name);
        Assert.Equal("orders-api-task", root.Element(ns + "GetRoleResult")!.Element(ns + "Role")!.Element(ns + "RoleName")!.Value);
        var requestId = root.Element(ns + "ResponseMetadata")!.Element(ns + "RequestId")!.Value;
        Assert.Equal(requestId, response.Headers.GetValues("x-amzn-RequestId").Single());
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Policy_documents_are_percent_encoded_as_iam_sends_them()
    {
        using var wire = new WireClient(demo.Fresh());
        using var response = await wire.IamAsync("GetRole", ("RoleName", "orders-api-execution"));

        // The demo file keeps this trust policy exactly as IAM's API returned it: RFC 3986 encoding, '*' as %2A.
        var source = JsonNode.Parse(File.ReadAllText(DemoAccount.AuthorizationDetailsPath))!["RoleDetailList"]![1]!["AssumeRolePolicyDocument"]!.GetValue<string>();
        Assert.Equal(source, WireClient.Text(await WireClient.XmlAsync(response), "AssumeRolePolicyDocument"));
    }

    [Fact]
    public async Task Errors_use_the_query_error_envelope_with_sender_type()
    {
        using var wire = new WireClient(demo.Fresh());
        using var response = await wire.IamAsync("GetRolePolicy", ("RoleName", "orders-api-task"), ("PolicyName", "gone"));

        var root = await WireClient.XmlAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ErrorResponse", root.Name.LocalName);
        Assert.Equal("Sender", WireClient.Text(root, "Type"));
        Assert.Equal("NoSuchEntity", WireClient.Text(root, "Code"));
        Assert.Equal("The role policy with name gone cannot be found.", WireClient.Text(root, "Message"));
        Assert.NotEmpty(WireClient.Text(root, "RequestId")!);
    }

    [Fact]
    public async Task Unsigned_requests_get_missing_authentication_token()
    {
        var aws = demo.Fresh();
        using var wire = new WireClient(aws);
        using var query = await wire.QueryAsync(null, ("Action", "GetRole"), ("Version", "2010-05-08"), ("RoleName", "orders-api-task"));
        using var json = await wire.EcsAsync("ListTaskDefinitionFamilies", "{}", sign: false);

        Assert.Equal((HttpStatusCode.Forbidden, "MissingAuthenticationToken"), (query.StatusCode, WireClient.Text(await WireClient.XmlAsync(query), "Code")));
        Assert.Equal((HttpStatusCode.Forbidden, "MissingAuthenticationTokenException"), (json.StatusCode, (await WireClient.JsonAsync(json))["__type"]!.GetValue<string>()));
        Assert.All(aws.Calls.All, c => Assert.Null(c.Scope));
    }

    [Fact]
    public async Task Query_requests_are_routed_by_the_credential_scope_then_by_action()
    {
        var aws = demo.Fresh();
        using var wire = new WireClient(aws);
        // GetCallerIdentity signed for iam: IAM has no such operation, as real IAM would say.
        using var scopedToIam = await wire.QueryAsync("iam", ("Action", "GetCallerIdentity"), ("Version", "2011-06-15"));
        // Signed for a service the fake does not serve: the Action picks STS.
        using var byAction = await wire.QueryAsync("execute-api", ("Action", "GetCallerIdentity"), ("Version", "2011-06-15"));

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidAction"), (scopedToIam.StatusCode, WireClient.Text(await WireClient.XmlAsync(scopedToIam), "Code")));
        Assert.Equal(HttpStatusCode.OK, byAction.StatusCode);
        Assert.Equal(["iam", "sts"], aws.Calls.All.Select(c => c.Service));
    }

    [Fact]
    public async Task Iam_list_pages_carry_is_truncated_and_marker_and_honour_max_items()
    {
        using var wire = new WireClient(demo.Fresh());
        using var first = await wire.IamAsync("GetAccountAuthorizationDetails", ("MaxItems", "4"));
        var firstPage = await WireClient.XmlAsync(first);
        using var second = await wire.IamAsync("GetAccountAuthorizationDetails", ("MaxItems", "4"), ("Marker", WireClient.Text(firstPage, "Marker")!));
        var secondPage = await WireClient.XmlAsync(second);
        using var invalid = await wire.IamAsync("ListRolePolicies", ("RoleName", "orders-api-task"), ("MaxItems", "0"));

        static int Members(XElement page, string list) => page.Descendants().Single(e => e.Name.LocalName == list).Elements().Count();
        Assert.Equal(("true", 4, 0), (WireClient.Text(firstPage, "IsTruncated"), Members(firstPage, "RoleDetailList"), Members(firstPage, "Policies")));
        Assert.Equal(("false", null, 1, 1), (WireClient.Text(secondPage, "IsTruncated"), WireClient.Text(secondPage, "Marker"), Members(secondPage, "RoleDetailList"), Members(secondPage, "Policies")));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError"), (invalid.StatusCode, WireClient.Text(await WireClient.XmlAsync(invalid), "Code")));
    }

    [Fact]
    public async Task Ecs_errors_are_json_with_type_and_message()
    {
        using var wire = new WireClient(demo.Fresh());
        using var missing = await wire.EcsAsync("DescribeTaskDefinition", """{"taskDefinition":"nope"}""");
        using var unknown = await wire.EcsAsync("RunTask", "{}");
        using var badJson = await wire.EcsAsync("ListTaskDefinitions", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("""{"__type":"ClientException","message":"Unable to describe task definition."}""", (await WireClient.JsonAsync(missing)).ToJsonString());
        Assert.Equal("application/x-amz-json-1.1", missing.Content.Headers.ContentType!.MediaType);
        Assert.Equal("UnknownOperationException", (await WireClient.JsonAsync(unknown))["__type"]!.GetValue<string>());
        Assert.Equal("SerializationException", (await WireClient.JsonAsync(badJson))["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ecs_task_definition_timestamps_are_epoch_seconds_on_the_wire()
    {
        using var wire = new WireClient(demo.Fresh());
        using var response = await wire.EcsAsync("DescribeTaskDefinition", """{"taskDefinition":"billing-worker:12"}""");

        var registered = (await WireClient.JsonAsync(response))["taskDefinition"]!["registeredAt"]!;
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:15:00+00:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), registered.GetValue<double>());
    }

    [Fact]
    public async Task Throttle_answers_the_next_calls_with_the_services_own_code_then_recovers()
    {
        var aws = demo.Fresh();
        aws.Faults.Throttle("GetRolePolicy", times: 2).Throttle("ListTaskDefinitions");
        using var wire = new WireClient(aws);
        var statuses = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await wire.IamAsync("GetRolePolicy", ("RoleName", "orders-api-task"), ("PolicyName", "orders-data"));
            statuses.Add((response.StatusCode, WireClient.Text(await WireClient.XmlAsync(response), "Code")));
        }
        using var ecs = await wire.EcsAsync("ListTaskDefinitions", "{}");

        Assert.Equal([(HttpStatusCode.BadRequest, "Throttling"), (HttpStatusCode.BadRequest, "Throttling"), (HttpStatusCode.OK, null)], statuses);
        Assert.Equal("ThrottlingException", (await WireClient.JsonAsync(ecs))["__type"]!.GetValue<string>());
        Assert.Equal(3, aws.CallCount("GetRolePolicy"));
        Assert.Equal(new Dictionary<string, int> { ["GetRolePolicy"] = 3, ["ListTaskDefinitions"] = 1 }, aws.Calls.CountsByOperation());
    }

    [Fact]
    public async Task Fail_answers_server_errors_only_for_the_chosen_resource()
    {
        var aws = demo.Fresh();
        aws.Faults.Fail("GetRole", statusCode: 500, times: 1, resource: "legacy-reports").Fail("GetRole", statusCode: 503, times: 1, resource: "orders-api-task");
        using var wire = new WireClient(aws);
        using var other = await wire.IamAsync("GetRole", ("RoleName", "billing-worker-task"));
        using var failed = await wire.IamAsync("GetRole", ("RoleName", "legacy-reports"));
        using var unavailable = await wire.IamAsync("GetRole", ("RoleName", "orders-api-task"));
        using var again = await wire.IamAsync("GetRole", ("RoleName", "legacy-reports"));

        var error = await WireClient.XmlAsync(failed);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal((HttpStatusCode.InternalServerError, "ServiceFailure", "Receiver"), (failed.StatusCode, WireClient.Text(error, "Code"), WireClient.Text(error, "Type")));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "ServiceUnavailable"), (unavailable.StatusCode, WireClient.Text(await WireClient.XmlAsync(unavailable), "Code")));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Truncated_answers_drop_the_connection_mid_body_and_malformed_ones_do_not_parse()
    {
        var aws = demo.Fresh();
        aws.Faults.TruncateNext("GetRole").MalformNext("DescribeTaskDefinition");
        using var wire = new WireClient(aws);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => wire.IamAsync("GetRole", ("RoleName", "orders-api-task")));
        using var malformed = await wire.EcsAsync("DescribeTaskDefinition", """{"taskDefinition":"orders-api"}""");
        var text = await malformed.Content.ReadAsStringAsync();
        using var healthy = await wire.IamAsync("GetRole", ("RoleName", "orders-api-task"));

        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(text));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(["Truncate", "Malform", null], aws.Calls.All.Select(c => c.Fault));
    }

    [Fact]
    public async Task Latency_delays_only_the_chosen_operations()
    {
        var aws = demo.Fresh();
        aws.Faults.Latency(TimeSpan.FromHours(1), "ListRoleTags");
        using var wire = new WireClient(aws);
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        // The delayed call cannot finish before the client gives up; the other operation is answered at once.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wire.SendIamAsync("ListRoleTags", [("RoleName", "orders-api-task")], patience.Token));
        using var role = await wire.IamAsync("GetRole", ("RoleName", "orders-api-task"));
        Assert.Equal(HttpStatusCode.OK, role.StatusCode);
    }

    [Fact]
    public async Task Sns_enforces_the_256_KiB_limit_on_message_and_attributes_together()
    {
        var aws = demo.Fresh();
        using var wire = new WireClient(aws);
        var topic = $"arn:aws:sns:eu-west-1:111122223333:{DemoAccount.TopicName}";
        var fits = new string('m', 262_144 - "k".Length - "String".Length - 1);
        using var exact = await wire.SnsAsync(("TopicArn", topic), ("Message", fits),
            ("MessageAttributes.entry.1.Name", "k"), ("MessageAttributes.entry.1.Value.DataType", "String"), ("MessageAttributes.entry.1.Value.StringValue", "v"));
        using var over = await wire.SnsAsync(("TopicArn", topic), ("Message", fits),
            ("MessageAttributes.entry.1.Name", "k"), ("MessageAttributes.entry.1.Value.DataType", "String"), ("MessageAttributes.entry.1.Value.StringValue", "vv"));
        using var badNumber = await wire.SnsAsync(("TopicArn", topic), ("Message", "x"),
            ("MessageAttributes.entry.1.Name", "n"), ("MessageAttributes.entry.1.Value.DataType", "Number"), ("MessageAttributes.entry.1.Value.StringValue", "many"));
        using var controlSubject = await wire.SnsAsync(("TopicArn", topic), ("Message", "x"), ("Subject", "line\nbreak"));

        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid parameter: Message too long"), (over.StatusCode, WireClient.Text(await WireClient.XmlAsync(over), "Message")));
        Assert.Equal("ParameterValueInvalid", WireClient.Text(await WireClient.XmlAsync(badNumber), "Code"));
        Assert.Equal("Invalid parameter: Subject", WireClient.Text(await WireClient.XmlAsync(controlSubject), "Message"));
        Assert.Single(aws.Published);
    }

    [Fact]
    public async Task Concurrent_calls_are_all_recorded_once()
    {
        var aws = demo.Fresh();
        aws.Faults.Throttle("GetRole", times: 10);
        using var wire = new WireClient(aws);
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => wire.IamAsync("GetRole", ("RoleName", "orders-api-task"))));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(40, aws.CallCount("GetRole"));
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), aws.Calls.All.Select(c => c.Sequence).Order().Select(s => s - aws.Calls.All.Min(c => c.Sequence) + 1));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
