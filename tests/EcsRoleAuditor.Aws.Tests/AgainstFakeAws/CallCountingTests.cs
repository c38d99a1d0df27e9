using System.Collections.Immutable;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Dynalite;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>The clients count every request they send, retries included, into the counter of the current scope.</summary>
public sealed class CallCountingTests(FakeAwsFixture fixture, DynaliteFixture dynamo) : IClassFixture<FakeAwsFixture>, IClassFixture<DynaliteFixture>
{
    private const string Role = "web-execution";

    [Fact]
    public async Task A_throttled_then_answered_call_counts_both_requests()
    {
        var server = fixture.Fresh();
        server.Faults.Throttle("GetRole", times: 1);
        using var aws = fixture.Connect();
        var counter = new ApiCallCounter();

        using (ApiCallCounting.Begin(counter))
        {
            await aws.Iam.GetRoleAsync(Role, CancellationToken.None);
        }

        Assert.Equal(2, server.CallCount("GetRole"));
        Assert.Equal("2 AWS API calls (iam:GetRole 2)", counter.ToString());
    }

    [Fact]
    public async Task A_call_that_fails_is_counted_once_per_request_and_calls_outside_the_scope_are_not()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        var counter = new ApiCallCounter();

        using (ApiCallCounting.Begin(counter))
        {
            // NoSuchEntity is not retried: one request.
            await Assert.ThrowsAnyAsync<AmazonServiceException>(() => aws.Iam.GetRoleAsync("absent", CancellationToken.None));
        }
        await aws.Iam.GetRoleAsync(Role, CancellationToken.None);

        Assert.Equal(2, server.CallCount("GetRole"));
        Assert.Equal("1 AWS API call (iam:GetRole 1)", counter.ToString());
    }

    [Fact]
    public async Task Calls_of_every_client_are_counted_by_operation()
    {
        fixture.Fresh();
        using var aws = fixture.Connect(dynamoDbEndpoint: dynamo.EndpointUrl);
        var counter = new ApiCallCounter();
        var key = DynamoItem.Of(("PK", new DynamoValue.S("role#" + Role)), ("SK", new DynamoValue.S("state")));

        using (ApiCallCounting.Begin(counter))
        {
            await aws.Ecs.DescribeTaskDefinitionAsync(ClientOperations.TaskDefinition, includeTags: true, CancellationToken.None);
            await aws.Iam.ListRolePoliciesAsync(Role, marker: null, CancellationToken.None);
            await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, key, null, DynamoExpressionTerms.None), CancellationToken.None);
            await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate(dynamo.TableName, key, "SET alerted = :one", "attribute_exists(PK)",
                new DynamoExpressionTerms(ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, DynamoValue>.Empty.Add(":one", DynamoValue.N.Of(1)))), CancellationToken.None);
            await aws.DynamoDb.QueryAsync(new DynamoQuery(dynamo.TableName, null, "PK = :pk",
                new DynamoExpressionTerms(ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, DynamoValue>.Empty.Add(":pk", key["PK"]!)), ConsistentRead: true), null, CancellationToken.None);
        }

        Assert.Equal("5 AWS API calls (dynamodb:PutItem 1, dynamodb:Query 1, dynamodb:UpdateItem 1, ecs:DescribeTaskDefinition 1, iam:ListRolePolicies 1)", counter.ToString());
    }
}
