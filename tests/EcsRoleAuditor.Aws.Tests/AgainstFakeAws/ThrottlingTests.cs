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
        var server = await fixture.AssertAnswersAsync(name, calls: 2, s => s.Faults.Throttle(name));

        Assert.Equal(["Throttle", null], server.Calls.All.Where(c => c.Operation == name).Select(c => c.Fault));
    }
}

/// <summary>Throttling that outlasts the attempts (two here, to halve the waiting): the service's own throttling error.</summary>
public sealed class ThrottlingExhaustedTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    public static TheoryData<string> Operations => [.. ClientOperations.All.Keys];

    [Theory]
    [MemberData(nameof(Operations))]
    public Task Throttling_beyond_the_attempts_is_the_services_throttling_error_after_each_attempt(string name) =>
        fixture.AssertFailsAsync(name, s => s.Throttling, calls: 2, s => s.Faults.Throttle(name, times: 2), maxAttempts: 2);
}
