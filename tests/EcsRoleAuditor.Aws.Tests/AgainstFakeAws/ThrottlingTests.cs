namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

// The SDK waits before retrying a throttled call (standard mode: full jitter on a one-second base, with no setting to
// shorten it), so these theories sleep about a second per case; they are two classes so xunit runs them side by side.

/// <summary>Throttling that passes: the SDK retries and the answer arrives.</summary>
public sealed class ThrottlingRetriedTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    public static TheoryData<string> Operations => [.. ClientOperations.All.Keys];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Throttling_once_is_retried_and_the_second_attempt_answers(string name)
    {
        var operation = ClientOperations.All[name];
        var server = fixture.Fresh();
        server.Faults.Throttle(name);
        using var aws = fixture.Connect(roleArn: operation.AssumedRole);

        var result = await operation.Call(aws);

        Assert.Equivalent(operation.Expected(fixture), result, strict: true);
        Assert.Equal(["Throttle", null], server.Calls.All.Where(c => c.Operation == name).Select(c => c.Fault));
    }
}

/// <summary>Throttling that outlasts the attempts: the service's own throttling error.</summary>
public sealed class ThrottlingExhaustedTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    private const int Attempts = 2;

    public static TheoryData<string> Operations => [.. ClientOperations.All.Keys];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Throttling_beyond_the_attempts_is_the_services_throttling_error_after_each_attempt(string name)
    {
        var operation = ClientOperations.All[name];
        var server = fixture.Fresh();
        server.Faults.Throttle(name, times: Attempts);
        using var aws = fixture.Connect(roleArn: operation.AssumedRole, maxAttempts: Attempts);

        var error = await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(() => operation.Call(aws));

        Assert.Equal((operation.Service.Throttling.Type, operation.Service.Throttling.Code), (error.GetType(), error.ErrorCode));
        Assert.Equal(Attempts, server.CallCount(name));
    }
}
