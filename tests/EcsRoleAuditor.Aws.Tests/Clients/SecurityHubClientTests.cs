using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>
/// The Security Hub client on the wire. Sources: botocore's model <c>securityhub/2018-10-26/service-2.json</c>
/// (protocol rest-json, signing name securityhub; BatchImportFindings <c>POST /findings/import</c>, BatchUpdateFindings
/// <c>PATCH /findings/batchupdate</c>, GetFindings <c>POST /findings</c>; the errors' statuses), the AWS Security Hub API
/// Reference pages of those operations and of "StringFilter", "MapFilter", "NoteUpdate"
/// (https://docs.aws.amazon.com/securityhub/1.0/APIReference/), "BatchImportFindings for finding providers" (User
/// Guide: 100 findings, 240 KB each, 6 MB a batch) and the Smithy "AWS restJson1 protocol" specification (error code
/// from <c>x-amzn-ErrorType</c>, else the body's <c>code</c> or <c>__type</c>, without <c>ns#</c> and <c>:uri</c>).
/// </summary>
public sealed class SecurityHubClientTests
{
    private const string ProductArn = "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default";
    private static readonly CancellationToken None = CancellationToken.None;

    private static ReadOnlyMemory<byte> Bytes(string json) => Encoding.UTF8.GetBytes(json);

    private static string ImportAnswer(int success, params (string Id, string Code, string Message)[] failed) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["FailedCount"] = failed.Length,
            ["SuccessCount"] = success,
            ["FailedFindings"] = failed.Select(f => new Dictionary<string, string> { ["Id"] = f.Id, ["ErrorCode"] = f.Code, ["ErrorMessage"] = f.Message }).ToArray(),
        });

    private static Dictionary<string, string> ErrorType(string value) => new() { ["x-amzn-ErrorType"] = value };

    private static SecurityHubFindingsQuery Query(int maxResults = 100) => new([], [], [], maxResults);

    private const string EmptyPage = """{"Findings":[]}""";

    [Fact]
    public async Task Batch_import_posts_the_findings_bytes_verbatim_signed_for_the_region()
    {
        // Whitespace and member order inside a finding are the writer's: the client must not re-serialize them.
        const string first = "{ \"Id\" : \"a\",\n  \"SchemaVersion\":\"2018-10-08\" }";
        const string second = """{"Id":"b","Title":"caf\u00e9 ☕"}""";
        using var responder = new RecordingResponder().RestJson(ImportAnswer(1, ("b", "InvalidInput", "Finding does not adhere to Amazon Finding Format.")));
        using var aws = TestConnections.To(responder, region: "eu-west-1");

        var result = await aws.SecurityHub.BatchImportFindingsAsync([Bytes(first), Bytes(second)], None);

        Assert.Equal(1, result.SuccessCount);
        Assert.Equal([new SecurityHubFailedFinding("b", "InvalidInput", "Finding does not adhere to Amazon Finding Format.")], result.Failed);
        var request = responder.OnlyRequest;
        Assert.Equal(("POST", "/findings/import"), (request.Method, request.Path));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal((TestConnections.AccessKey, "eu-west-1", "securityhub"), request.CredentialScope);
        Assert.Equal("{\"Findings\":[" + first + "," + second + "]}", request.Body);
    }

    [Theory]
    [InlineData("cn-north-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("ap-southeast-2")]
    public async Task Security_hub_is_regional_and_signed_for_the_clients_region(string region)
    {
        using var responder = new RecordingResponder().RestJson(EmptyPage);
        using var aws = TestConnections.To(responder, region: region);

        await aws.SecurityHub.GetFindingsAsync(Query(), null, None);

        Assert.Equal((region, "securityhub"), (responder.OnlyRequest.CredentialScope.Region, responder.OnlyRequest.CredentialScope.Service));
        Assert.Equal($"securityhub.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}", PartitionEndpoints.HostFor(ServiceDescription.SecurityHub, region));
    }

    private static ReadOnlyMemory<byte> FindingOf(int bytes)
    {
        var head = "{\"Id\":\"";
        return Bytes(head + new string('x', bytes - head.Length - 2) + "\"}");
    }

    public static TheoryData<string> BadImports => ["none", "101 findings", "a finding over 240 KB", "a request over 6 MB", "not JSON", "an array", "two values", "cut short"];

    private static ReadOnlyMemory<byte>[] Import(string name) => name switch
    {
        "none" => [],
        "101 findings" => [.. Enumerable.Repeat(Bytes("{}"), 101)],
        "a finding over 240 KB" => [FindingOf(SecurityHubLimits.MaxFindingBytes + 1)],
        // 25 of 240 KB and one more: 6,144,000 bytes of findings plus the envelope, over 6 MiB (6,291,456) only with the 26th.
        "a request over 6 MB" => [.. Enumerable.Repeat(FindingOf(SecurityHubLimits.MaxFindingBytes), 25), FindingOf(SecurityHubLimits.MaxImportBytes - (25 * SecurityHubLimits.MaxFindingBytes) - 15 - 25 + 1)],
        "not JSON" => [Bytes("Id=a")],
        "an array" => [Bytes("""[{"Id":"a"}]""")],
        "two values" => [Bytes("""{"Id":"a"}{"Id":"b"}""")],
        _ => [Bytes("""{"Id":"a""")],
    };

    // "BatchImportFindings" (API Reference): 1 to 100 findings; "BatchImportFindings for finding providers" (User Guide):
    // 240 KB per finding, 6 MB per batch. Refused before anything is sent.
    [Theory]
    [MemberData(nameof(BadImports))]
    public async Task An_import_that_breaks_a_limit_or_is_not_json_objects_is_refused_before_sending(string import)
    {
        using var responder = new RecordingResponder().RestJson(ImportAnswer(1));
        using var aws = TestConnections.To(responder);

        await Assert.ThrowsAsync<ArgumentException>(() => aws.SecurityHub.BatchImportFindingsAsync(Import(import), None));

        Assert.Empty(responder.Requests);
    }

    [Fact]
    public async Task An_import_at_every_limit_is_sent()
    {
        var findings = Enumerable.Repeat(FindingOf(SecurityHubLimits.MaxFindingBytes), 25)
            .Append(FindingOf(SecurityHubLimits.MaxImportBytes - (25 * SecurityHubLimits.MaxFindingBytes) - 15 - 25)).ToArray();
        using var responder = new RecordingResponder().RestJson(ImportAnswer(26)).RestJson(ImportAnswer(100));
        using var aws = TestConnections.To(responder);

        await aws.SecurityHub.BatchImportFindingsAsync(findings, None);
        await aws.SecurityHub.BatchImportFindingsAsync([.. Enumerable.Repeat(Bytes("{}"), 100)], None);

        Assert.Equal(SecurityHubLimits.MaxImportBytes, Encoding.UTF8.GetByteCount(responder.Requests[0].Body));
        Assert.Equal(2, responder.Requests.Count);
    }

    [Theory]
    [InlineData("""{"FailedCount":0,"SuccessCount":3,"FailedFindings":[]}""")]
    [InlineData("""{"FailedCount":1,"FailedFindings":[]}""")]
    [InlineData("""{"FailedCount":1,"SuccessCount":0,"FailedFindings":[{"ErrorCode":"InvalidInput","ErrorMessage":"m"}]}""")]
    [InlineData("""{"FailedCount":0,"SuccessCount":1""")]
    public async Task An_import_answer_that_does_not_add_up_is_unreadable(string answer)
    {
        using var responder = new RecordingResponder().RestJson(answer);
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => aws.SecurityHub.BatchImportFindingsAsync([Bytes("""{"Id":"a"}""")], None));

        Assert.Contains("BatchImportFindings", error.Message + error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_update_patches_workflow_and_note_and_reads_processed_and_unprocessed()
    {
        const string answer = $$"""
            {"ProcessedFindings":[{"Id":"a","ProductArn":"{{ProductArn}}"}],
             "UnprocessedFindings":[{"FindingIdentifier":{"Id":"gone","ProductArn":"{{ProductArn}}"},"ErrorCode":"FindingNotFound","ErrorMessage":"Finding Not Found"}]}
            """;
        using var responder = new RecordingResponder().RestJson(answer);
        using var aws = TestConnections.To(responder);

        var result = await aws.SecurityHub.BatchUpdateFindingsAsync(
            new SecurityHubFindingsUpdate([new("a", ProductArn), new("gone", ProductArn)], "RESOLVED", "fixed in orders-api:4", "ecs-role-auditor"), None);

        Assert.Equal([new SecurityHubFindingId("a", ProductArn)], result.Processed);
        Assert.Equal([new SecurityHubFailedFinding("gone", "FindingNotFound", "Finding Not Found")], result.Unprocessed);
        var request = responder.OnlyRequest;
        Assert.Equal(("PATCH", "/findings/batchupdate", "application/json"), (request.Method, request.Path, request.Header("Content-Type")));
        Assert.Equal(
            $$$"""{"FindingIdentifiers":[{"Id":"a","ProductArn":"{{{ProductArn}}}"},{"Id":"gone","ProductArn":"{{{ProductArn}}}"}],"Workflow":{"Status":"RESOLVED"},"Note":{"Text":"fixed in orders-api:4","UpdatedBy":"ecs-role-auditor"}}""",
            request.Body);
    }

    [Fact]
    public async Task Batch_update_of_the_status_alone_sends_no_note()
    {
        using var responder = new RecordingResponder().RestJson("""{"ProcessedFindings":[],"UnprocessedFindings":[]}""");
        using var aws = TestConnections.To(responder);

        await aws.SecurityHub.BatchUpdateFindingsAsync(new SecurityHubFindingsUpdate([new("a", ProductArn)], "NOTIFIED", null, null), None);

        Assert.Equal($$$"""{"FindingIdentifiers":[{"Id":"a","ProductArn":"{{{ProductArn}}}"}],"Workflow":{"Status":"NOTIFIED"}}""", responder.OnlyRequest.Body);
    }

    public static TheoryData<string> BadUpdates => ["no findings", "101 findings", "nothing to set", "unknown status", "note without author", "note of 513", "finding without product"];

    private static SecurityHubFindingsUpdate Update(string name) => name switch
    {
        "no findings" => new([], "NEW", null, null),
        "101 findings" => new([.. Enumerable.Range(0, 101).Select(i => new SecurityHubFindingId($"f{i}", ProductArn))], "NEW", null, null),
        "nothing to set" => new([new("a", ProductArn)], null, null, null),
        "unknown status" => new([new("a", ProductArn)], "DONE", null, null),
        "note without author" => new([new("a", ProductArn)], null, "text", null),
        "note of 513" => new([new("a", ProductArn)], null, new string('n', 513), "me"),
        _ => new([new("a", "")], "NEW", null, null),
    };

    // "BatchUpdateFindings": up to 100 findings; "WorkflowUpdate": NEW, NOTIFIED, RESOLVED, SUPPRESSED; "NoteUpdate": Text
    // and UpdatedBy required, "Note": Text at most 512.
    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task A_bad_update_is_refused_before_sending(string update)
    {
        using var responder = new RecordingResponder().RestJson("{}");
        using var aws = TestConnections.To(responder);

        await Assert.ThrowsAsync<ArgumentException>(() => aws.SecurityHub.BatchUpdateFindingsAsync(Update(update), None));

        Assert.Empty(responder.Requests);
    }

    [Fact]
    public async Task Get_findings_sends_string_and_map_filters_page_size_and_token_and_reads_the_findings()
    {
        const string answer = $$$"""
            {"Findings":[{"SchemaVersion":"2018-10-08","Id":"era/ERA030/orders-api","ProductArn":"{{{ProductArn}}}","GeneratorId":"ERA030",
              "AwsAccountId":"111122223333","RecordState":"ACTIVE","Compliance":{"Status":"FAILED"},"Workflow":{"Status":"NOTIFIED"},
              "CreatedAt":"2026-12-01T10:00:00.000Z","UpdatedAt":"2026-12-02T10:00:00.123456789Z","Title":"t","Description":"d",
              "Severity":{"Label":"HIGH","Normalized":70},"Types":["Effects/Data Exposure"],
              "Resources":[{"Type":"AwsIamRole","Id":"arn:aws:iam::111122223333:role/a"},{"Type":"Other","Id":"orders-api:3"}],
              "ProductFields":{"era/fingerprint":"f-1","aws/securityhub/FindingId":"x"}},
             {"Id":"bare","ProductArn":"{{{ProductArn}}}","GeneratorId":"g","AwsAccountId":"111122223333","CreatedAt":"2026-12-01T10:00:00Z","UpdatedAt":"2026-12-01T11:00:00+01:00"}],
             "NextToken":"page-2"}
            """;
        using var responder = new RecordingResponder().RestJson(answer).RestJson(EmptyPage);
        using var aws = TestConnections.To(responder);
        var query = new SecurityHubFindingsQuery(
            Exact: [new("ProductArn", ProductArn), new("RecordState", "ACTIVE"), new("GeneratorId", "ERA030")],
            Prefixes: [new("GeneratorId", "ERA04")],
            ProductFields: [new("era/fingerprint", "f-1")],
            MaxResults: 50);

        var page = await aws.SecurityHub.GetFindingsAsync(query, null, None);
        var last = await aws.SecurityHub.GetFindingsAsync(query, page.NextToken, None);

        Assert.Equal("page-2", page.NextToken);
        Assert.Null(last.NextToken);
        Assert.Empty(last.Findings);
        var finding = page.Findings[0];
        Assert.Equal(("era/ERA030/orders-api", ProductArn, "ERA030", "111122223333", "ACTIVE", "FAILED", "NOTIFIED"),
            (finding.Id, finding.ProductArn, finding.GeneratorId, finding.AwsAccountId, finding.RecordState, finding.ComplianceStatus, finding.WorkflowStatus));
        // Nanoseconds arrive (the "Timestamps" formats allow 9 digits); .NET keeps 100 ns ticks, Security Hub milliseconds.
        Assert.Equal(
            (new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 2, 10, 0, 0, 123, TimeSpan.Zero)),
            (finding.CreatedAt, finding.UpdatedAt.AddTicks(-(finding.UpdatedAt.Ticks % TimeSpan.TicksPerMillisecond))));
        Assert.Equal(["arn:aws:iam::111122223333:role/a", "orders-api:3"], finding.ResourceIds);
        Assert.Equal("f-1", finding.ProductFields["era/fingerprint"]);
        var bare = page.Findings[1];
        Assert.Equal(("ACTIVE", null, null, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero)), (bare.RecordState, bare.ComplianceStatus, bare.WorkflowStatus, bare.UpdatedAt));
        Assert.Empty(bare.ResourceIds);

        var (first, second) = (responder.Requests[0], responder.Requests[1]);
        Assert.Equal(("POST", "/findings", "application/json"), (first.Method, first.Path, first.Header("Content-Type")));
        Assert.Equal(
            $$"""{"Filters":{"ProductArn":[{"Value":"{{ProductArn}}","Comparison":"EQUALS"}],"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}],"GeneratorId":[{"Value":"ERA030","Comparison":"EQUALS"},{"Value":"ERA04","Comparison":"PREFIX"}],"ProductFields":[{"Key":"era/fingerprint","Value":"f-1","Comparison":"EQUALS"}]},"MaxResults":50}""",
            first.Body);
        using var body = JsonDocument.Parse(second.Body);
        Assert.Equal("page-2", body.RootElement.GetProperty("NextToken").GetString());
    }

    [Fact]
    public async Task Get_findings_pages_through_pages_read_all()
    {
        using var responder = new RecordingResponder().RestJson("""{"Findings":[],"NextToken":"t2"}""").RestJson("""{"Findings":[],"NextToken":""}""");
        using var aws = TestConnections.To(responder);

        var pages = await Pages.ReadAllAsync(AwsActions.GetFindings, (token, ct) => aws.SecurityHub.GetFindingsAsync(Query(), token, ct), None).CountAsync();

        Assert.Equal(2, pages);
    }

    public static TheoryData<string> BadQueries => ["MaxResults 0", "MaxResults 101", "11 attributes", "21 values", "blank value", "ProductFields as a string filter"];

    private static SecurityHubFindingsQuery BadQuery(string name) => name switch
    {
        "MaxResults 0" => Query(0),
        "MaxResults 101" => Query(101),
        "11 attributes" => new([.. Enumerable.Range(0, 11).Select(i => KeyValuePair.Create($"A{i}", "v"))], [], []),
        "21 values" => new([.. Enumerable.Range(0, 21).Select(i => KeyValuePair.Create("Id", $"v{i}"))], [], []),
        "blank value" => new([new("Id", " ")], [], []),
        _ => new([new("ProductFields", "v")], [], []),
    };

    // "GetFindings": MaxResults 1 to 100; "up to 10 finding attributes", "up to 20 filter values" each.
    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_is_refused_before_sending(string query)
    {
        using var responder = new RecordingResponder().RestJson(EmptyPage);
        using var aws = TestConnections.To(responder);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => aws.SecurityHub.GetFindingsAsync(BadQuery(query), null, None));

        Assert.Empty(responder.Requests);
    }

    // Throttling: the model's LimitExceededException (429, "beyond the current account or throttling limits"), the common
    // ThrottlingException and TooManyRequestsException are retried; each code is read from the header or the body.
    [Theory]
    [InlineData("LimitExceededException:http://internal.amazon.com/coral/com.amazonaws.securityhub/", """{"Code":"LimitExceededException","Message":"Rate exceeded"}""", 429)]
    [InlineData(null, """{"Code":"LimitExceededException","Message":"Rate exceeded"}""", 429)]
    [InlineData(null, """{"__type":"com.amazonaws.securityhub#TooManyRequestsException","message":"Rate exceeded"}""", 429)]
    [InlineData("ThrottlingException", "{}", 400)]
    public async Task Throttling_is_retried_and_the_call_then_succeeds(string? errorType, string body, int status)
    {
        using var responder = new RecordingResponder()
            .RestJson(body, (HttpStatusCode)status, errorType is null ? null : ErrorType(errorType))
            .RestJson(EmptyPage);
        using var aws = TestConnections.To(responder);

        var page = await aws.SecurityHub.GetFindingsAsync(Query(), null, None);

        Assert.Empty(page.Findings);
        Assert.Equal(2, responder.Requests.Count);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_attempts_is_a_throttled_failure_counted_per_attempt()
    {
        using var responder = new RecordingResponder().RestJson("""{"Code":"LimitExceededException","Message":"Rate exceeded"}""", HttpStatusCode.TooManyRequests, ErrorType("LimitExceededException"));
        using var aws = TestConnections.To(responder, maxAttempts: 2);
        var counter = new ApiCallCounter();

        AwsServiceException error;
        using (ApiCallCounting.Begin(counter))
        {
            error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.SecurityHub.GetFindingsAsync(Query(), null, None));
        }

        Assert.Equal(("LimitExceededException", "Rate exceeded", "SecurityHub"), (error.ErrorCode, error.Message, error.ServiceId));
        Assert.Equal(AwsFailureKind.Throttled, AwsFailure.From(error, AwsActions.GetFindings, "findings").Kind);
        Assert.Equal("2 AWS API calls (securityhub:GetFindings 2)", counter.ToString());
    }

    // "InvalidAccessException" (401): the account may not use Security Hub (not enabled in the region). Retrying cannot help.
    [Fact]
    public async Task Invalid_access_is_not_retried_and_is_named_as_access_denied()
    {
        const string message = "Account 111122223333 is not subscribed to AWS Security Hub";
        using var responder = new RecordingResponder().RestJson($$"""{"Code":"InvalidAccessException","Message":"{{message}}"}""", HttpStatusCode.Unauthorized, ErrorType("InvalidAccessException:http://internal.amazon.com/coral/com.amazonaws.securityhub/"));
        using var aws = TestConnections.To(responder, maxAttempts: 3);
        var counter = new ApiCallCounter();

        AwsServiceException error;
        using (ApiCallCounting.Begin(counter))
        {
            error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.SecurityHub.BatchImportFindingsAsync([Bytes("{}")], None));
        }

        Assert.Single(responder.Requests);
        Assert.Equal(("InvalidAccessException", message, HttpStatusCode.Unauthorized), (error.ErrorCode, error.Message, error.StatusCode));
        var failure = AwsFailure.From(error, AwsActions.BatchImportFindings, "findings");
        Assert.Equal(AwsFailureKind.AccessDenied, failure.Kind);
        Assert.Equal("access denied: securityhub:BatchImportFindings on findings (grant it to the auditor's role)", failure.Describe());
        Assert.Equal("1 AWS API call (securityhub:BatchImportFindings 1)", counter.ToString());
    }

    [Theory]
    [InlineData("AccessDeniedException", """{"Message":"User is not authorized to perform: securityhub:GetFindings"}""", 403, "AccessDeniedException", AwsFailureKind.AccessDenied)]
    [InlineData(null, """{"code":"AccessDeniedException","message":"denied"}""", 403, "AccessDeniedException", AwsFailureKind.AccessDenied)]
    [InlineData(null, """{"__type":"com.amazonaws.securityhub#InvalidInputException:http://x/","message":"bad"}""", 400, "InvalidInputException", AwsFailureKind.Other)]
    [InlineData("InvalidInputException", """{"Code":"SomethingElse","Message":"bad"}""", 400, "InvalidInputException", AwsFailureKind.Other)]
    [InlineData(null, "not json", 403, null, AwsFailureKind.Other)]
    public async Task Errors_take_their_code_from_the_header_else_the_body(string? errorType, string body, int status, string? code, AwsFailureKind kind)
    {
        using var responder = new RecordingResponder().RestJson(body, (HttpStatusCode)status, errorType is null ? null : ErrorType(errorType));
        using var aws = TestConnections.To(responder);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.SecurityHub.GetFindingsAsync(Query(), null, None));

        Assert.Single(responder.Requests);
        Assert.Equal((code, (HttpStatusCode)status), (error.ErrorCode, error.StatusCode));
        Assert.Equal(kind, AwsFailure.From(error, AwsActions.GetFindings, "findings").Kind);
    }

    [Fact]
    public async Task Internal_errors_are_retried_then_reported_as_service_errors()
    {
        using var responder = new RecordingResponder().RestJson("""{"Code":"InternalException","Message":"Internal service failure"}""", HttpStatusCode.InternalServerError, ErrorType("InternalException"));
        using var aws = TestConnections.To(responder, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.SecurityHub.GetFindingsAsync(Query(), null, None));

        Assert.Equal(2, responder.Requests.Count);
        Assert.Equal((Amazon.Runtime.ErrorType.Receiver, AwsFailureKind.ServiceError), (error.ErrorType, AwsFailure.From(error, AwsActions.GetFindings, "findings").Kind));
    }

    // One finding another product wrote oddly is left out, never the page: the sweep's reconciliation reads the rest.
    [Theory]
    [InlineData("""{"Findings":[{"Id":"a"},{{GOOD}}]}""")]
    [InlineData("""{"Findings":[{"Id":"a","ProductArn":"p","GeneratorId":"g","AwsAccountId":"1","CreatedAt":"yesterday","UpdatedAt":"2026-12-01T10:00:00Z"},{{GOOD}}]}""")]
    public async Task A_finding_that_cannot_be_read_is_left_out_of_its_page(string answer)
    {
        const string Good = """{"Id":"b","ProductArn":"p","GeneratorId":"g","AwsAccountId":"1","CreatedAt":"2026-12-01T09:00:00Z","UpdatedAt":"2026-12-01T10:00:00Z"}""";
        using var responder = new RecordingResponder().RestJson(answer.Replace("{{GOOD}}", Good, StringComparison.Ordinal));
        using var aws = TestConnections.To(responder);

        var page = await aws.SecurityHub.GetFindingsAsync(Query(), null, None);

        Assert.Equal("b", Assert.Single(page.Findings).Id);
    }

    [Theory]
    [InlineData("""{"NextToken":"t"}""")]
    [InlineData("""{"Findings":[""")]
    public async Task A_findings_page_that_cannot_be_read_is_an_unmarshalling_error(string answer)
    {
        using var responder = new RecordingResponder().RestJson(answer);
        using var aws = TestConnections.To(responder);

        await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => aws.SecurityHub.GetFindingsAsync(Query(), null, None));
    }

    [Theory]
    [InlineData("ns#Code:http://uri", "Code")]
    [InlineData("Code", "Code")]
    [InlineData("aws.protocoltests#Code", "Code")]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void A_wire_error_code_loses_its_namespace_and_uri(string? wire, string? code) =>
        Assert.Equal(code, RestJsonResponseReader.ErrorCode(wire));
}
