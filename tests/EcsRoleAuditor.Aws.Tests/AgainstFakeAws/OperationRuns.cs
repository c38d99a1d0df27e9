using Amazon.Runtime;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>One operation called once against a fresh fake, with faults arranged first; the shared body of the theories.</summary>
internal static class OperationRuns
{
    /// <summary>Asserts the answer is what the account holds and the fake answered <paramref name="calls"/> requests of the operation.</summary>
    public static async Task<FakeAwsServer> AssertAnswersAsync(this FakeAwsFixture fixture, string name, int calls, Action<FakeAwsServer>? arrange = null)
    {
        var operation = ClientOperations.All[name];
        var server = fixture.Fresh();
        arrange?.Invoke(server);
        using var aws = fixture.Connect(roleArn: operation.AssumedRole);

        var result = await operation.Call(aws);

        Assert.Equivalent(operation.Expected(fixture), result, strict: true);
        Assert.Equal(calls, server.CallCount(name));
        return server;
    }

    /// <summary>Asserts the call fails with the service's <paramref name="expected"/> error after <paramref name="calls"/> requests.</summary>
    public static async Task<AmazonServiceException> AssertFailsAsync(
        this FakeAwsFixture fixture, string name, Func<ServiceVocabulary, TypedError> expected, int calls, Action<FakeAwsServer> arrange, int maxAttempts = FakeAwsFixture.MaxAttempts)
    {
        var operation = ClientOperations.All[name];
        var server = fixture.Fresh();
        arrange(server);
        using var aws = fixture.Connect(roleArn: operation.AssumedRole, maxAttempts: maxAttempts);

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => operation.Call(aws));

        var (type, code) = expected(operation.Service);
        Assert.Equal((type, code), (error.GetType(), error.ErrorCode));
        Assert.Equal(calls, server.CallCount(name));
        return error;
    }
}
