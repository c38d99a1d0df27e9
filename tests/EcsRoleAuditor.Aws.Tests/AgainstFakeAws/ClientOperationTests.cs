using System.Text.RegularExpressions;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>Every client operation against the fake AWS: answers, pages, retries, errors and signatures.</summary>
public sealed partial class ClientOperationTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    public static TheoryData<string> Operations => [.. ClientOperations.All.Keys];

    public static TheoryData<string, int> PaginatedOperations => Cross(ClientOperations.Paginated.Select(o => o.Name), [1, 2]);

    public static TheoryData<string> OperationsWithNotFound => [.. ClientOperations.All.Values.Where(o => o.Missing is not null).Select(o => o.Name)];

    public static TheoryData<string, string> OperationsInTwoRegions => Cross(ClientOperations.All.Keys, ["eu-west-1", "ap-southeast-2"]);

    // DynamoDB's operations run against dynalite, a real DynamoDB emulator, and a recording responder for faults
    // (tests/EcsRoleAuditor.Aws.Tests/Dynamo); the fake AWS serves IAM, ECS, SNS and STS.
    private static IEnumerable<AwsOperation> FakeAwsOperations => AwsActions.All.Where(o => o.Service != "dynamodb");

    [Fact]
    public void Every_operation_of_the_table_and_sts_assume_role_is_driven_here_with_pages_where_it_has_them()
    {
        Assert.Equal(FakeAwsOperations.Select(o => o.Name).Append("AssumeRole").Order(StringComparer.Ordinal), ClientOperations.All.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(FakeAwsOperations.Where(o => o.Paginated).Select(o => o.Name).Order(StringComparer.Ordinal), ClientOperations.Paginated.Select(o => o.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public Task The_answer_is_what_the_account_holds_with_documents_decoded(string name) => fixture.AssertAnswersAsync(name, calls: 1);

    [Theory]
    [MemberData(nameof(PaginatedOperations))]
    public async Task Every_page_is_followed_to_the_last(string name, int pageSize)
    {
        var (operation, server) = Start(name);
        server.MaxPageSize = pageSize;
        using var aws = Connect(operation);

        var items = await operation.ReadAllPages!(aws);

        var expected = operation.AllItems!(fixture).ToList();
        Assert.True(expected.Count > pageSize, "the example must need more than one page");
        Assert.Equivalent(expected, items, strict: true);
        Assert.Equal((expected.Count + pageSize - 1) / pageSize, server.CallCount(name));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public Task A_500_is_retried_and_the_second_attempt_answers(string name) => fixture.AssertAnswersAsync(name, calls: 2, s => s.Faults.Fail(name, statusCode: 500));

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_persistent_500_is_the_services_server_error_after_every_attempt(string name)
    {
        var error = await fixture.AssertFailsAsync(name, s => s.ServerFailure, FakeAwsFixture.MaxAttempts, s => s.Faults.Fail(name, statusCode: 500, times: FakeAwsFixture.MaxAttempts));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Access_denied_is_the_services_access_error_and_is_not_retried(string name)
    {
        var error = await fixture.AssertFailsAsync(name, s => s.AccessDenied, calls: 1, s => s.Faults.DenyAccess(name));

        Assert.Contains($"is not authorized to perform: {ClientOperations.All[name].Service.SigningName}:{name}", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(OperationsWithNotFound))]
    public async Task A_missing_resource_is_the_services_not_found_error_and_is_not_retried(string name)
    {
        var (operation, server) = Start(name);
        var (call, expected) = operation.Missing!.Value;
        using var aws = Connect(operation);

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => call(aws));

        Assert.Equal((expected.Type, expected.Code), (error.GetType(), error.ErrorCode));
        Assert.Equal(1, server.CallCount(name));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_malformed_body_is_an_unmarshalling_error_naming_the_operation_not_a_parser_exception(string name)
    {
        var (operation, server) = Start(name);
        server.Faults.MalformNext(name, times: FakeAwsFixture.MaxAttempts);
        using var aws = Connect(operation);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => operation.Call(aws));

        Assert.True(error is AmazonUnmarshallingException && error.Message.Contains(name, StringComparison.Ordinal), error.ToString());
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public Task A_body_cut_off_by_a_dropped_connection_is_retried_and_the_second_attempt_answers(string name) =>
        fixture.AssertAnswersAsync(name, calls: 2, s => s.Faults.TruncateNext(name));

    [Theory]
    [MemberData(nameof(OperationsInTwoRegions))]
    public async Task Requests_are_signed_with_sigv4_for_the_services_name_and_signing_region(string name, string region)
    {
        var (operation, server) = Start(name);
        using var aws = Connect(operation, region);

        await operation.Call(aws);

        var call = Assert.Single(server.Calls.All, c => c.Operation == name);
        Assert.Matches(SigV4Header(), call.Authorization);
        Assert.Equal(
            (Clients.TestConnections.AccessKey, operation.Service.GlobalSigningRegion ?? region, operation.Service.SigningName),
            (call.Scope!.AccessKeyId, call.Scope.Region, call.Scope.Service));
    }

    [Fact]
    public async Task Sns_receives_the_subject_the_json_structure_and_each_attribute_with_its_type()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        var alert = ClientOperations.Alert(FakeAwsFixture.Region);

        var id = await aws.Sns.PublishAsync(alert, CancellationToken.None);

        var published = Assert.Single(server.Published);
        Assert.Equal((id, alert.TopicArn, alert.Subject, alert.Message, "json"), (published.MessageId, published.TopicArn, published.Subject, published.Message, published.MessageStructure));
        Assert.Equal(
            alert.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => (a.Key, a.Value.DataType, (string?)a.Value.Value)),
            published.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => (a.Key, a.Value.DataType, a.Value.StringValue)));
    }

    public static TheoryData<string, int, int> AssumeRoleFaults => new()
    {
        { "DenyAccess", 403, 1 },
        { "Fail", 500, FakeAwsFixture.MaxAttempts },
    };

    [Theory]
    [MemberData(nameof(AssumeRoleFaults))]
    public async Task A_role_that_cannot_be_assumed_fails_the_first_call_after_the_sts_attempts_alone(string fault, int status, int assumeRoleCalls)
    {
        var server = fixture.Fresh();
        _ = fault == "DenyAccess" ? server.Faults.DenyAccess("AssumeRole") : server.Faults.Fail("AssumeRole", statusCode: status, times: 99);
        using var aws = fixture.Connect(roleArn: FakeAwsFixture.AuditorRoleArn);

        var error = await Assert.ThrowsAsync<AmazonClientException>(() => aws.Iam.GetRoleAsync(ClientOperations.RoleName, CancellationToken.None));

        Assert.StartsWith($"Could not assume role {FakeAwsFixture.AuditorRoleArn} (sts:AssumeRole): ", error.Message, StringComparison.Ordinal);
        Assert.Equal(status, (int)Assert.IsType<Amazon.SecurityToken.AmazonSecurityTokenServiceException>(error.InnerException).StatusCode);
        Assert.Equal(assumeRoleCalls, server.CallCount("AssumeRole"));
        Assert.Equal(0, server.CallCount("GetRole"));
    }

    private static TheoryData<T1, T2> Cross<T1, T2>(IEnumerable<T1> firsts, T2[] seconds)
    {
        var data = new TheoryData<T1, T2>();
        foreach (var first in firsts)
        {
            foreach (var second in seconds)
            {
                data.Add(first, second);
            }
        }
        return data;
    }

    private (ClientOperation Operation, FakeAwsServer Server) Start(string name) => (ClientOperations.All[name], fixture.Fresh());

    private Connection.AwsConnection Connect(ClientOperation operation, string region = FakeAwsFixture.Region) =>
        fixture.Connect(region, operation.AssumedRole);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=[A-Z0-9]+/\d{8}/[a-z0-9-]+/[a-z]+/aws4_request, SignedHeaders=([a-z0-9-]+;)*host;([a-z0-9-]+;)*x-amz-date(;[a-z0-9-]+)*, Signature=[0-9a-f]{64}$")]
    private static partial Regex SigV4Header();
}
