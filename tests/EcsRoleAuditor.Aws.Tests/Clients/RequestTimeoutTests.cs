using System.Diagnostics;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.Tests.AgainstFakeAws;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>Every request is bounded: a silent or stalling endpoint ends a call with a timeout naming the limit, never a hang.</summary>
public sealed class RequestTimeoutTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    // Far above what the limits under test need (about 4 s), far below the old hang (3 × 100 s): a noisy machine passes.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static AwsConnection To(string url, TimeSpan? requestTimeout = null, string? roleArn = null) =>
        AwsConnection.Open(new AwsConnectionOptions
        {
            Region = "eu-west-1",
            Credentials = TestConnections.Keys,
            RoleArn = roleArn,
            EndpointUrls = new ServiceEndpointUrls(url, url, url, url),
            MaxAttempts = 3,
            RequestTimeout = requestTimeout,
        });

    [Fact]
    public void Every_client_carries_the_default_timeouts()
    {
        using var aws = To("http://127.0.0.1:9/", roleArn: "arn:aws:iam::111122223333:role/Auditor");

        Assert.Equal(9, aws.ClientConfigs.Count);
        foreach (var config in aws.ClientConfigs)
        {
            Assert.Equal(TimeSpan.FromSeconds(10), config.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(30), ((ServiceClientConfig)config).RequestTimeout);
        }
        Assert.Equal(TimeSpan.FromSeconds(10), aws.StsConfig!.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), ((Sts.BoundedStsConfig)aws.StsConfig).RequestTimeout);
    }

    [Fact]
    public void A_request_timeout_below_ten_seconds_also_shortens_the_wait_for_the_first_byte()
    {
        using var aws = To("http://127.0.0.1:9/", TimeSpan.FromSeconds(2));

        Assert.All(aws.ClientConfigs, config => Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)), (config.Timeout, ((ServiceClientConfig)config).RequestTimeout)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(301)]
    public void A_request_timeout_out_of_bounds_is_refused(double seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => To("http://127.0.0.1:9/", TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task A_silent_endpoint_times_out_each_attempt_and_the_call_fails_naming_the_limit()
    {
        using var silent = SilentEndpoint.Start();
        using var aws = To(silent.Url, TimeSpan.FromSeconds(1));
        using var guard = new CancellationTokenSource(Generous);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AwsRequestTimeoutException>(() => aws.Iam.GetRoleAsync("web", guard.Token));

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        Assert.Equal(TimeSpan.FromSeconds(1), error.Limit);
        Assert.Equal(3, silent.Connections);
        var failure = AwsFailure.From(error, AwsActions.GetRole, "web");
        Assert.Equal(AwsFailureKind.TimedOut, failure.Kind);
        Assert.StartsWith("request timed out after 1 s: iam:GetRole on web", failure.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_stalls_after_the_headers_times_out_like_a_silent_endpoint()
    {
        using var stalling = SilentEndpoint.StallingAfterHeaders();
        using var aws = To(stalling.Url, TimeSpan.FromSeconds(1));
        using var guard = new CancellationTokenSource(Generous);

        var error = await Assert.ThrowsAsync<AwsRequestTimeoutException>(() => aws.Iam.GetRoleAsync("web", guard.Token));

        Assert.Equal(TimeSpan.FromSeconds(1), error.Limit);
        Assert.Equal(3, stalling.Connections);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_timeout()
    {
        using var silent = SilentEndpoint.Start();
        using var aws = To(silent.Url);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aws.Ecs.DescribeTaskDefinitionAsync("web:3", true, caller.Token));

        Assert.False(AwsFailure.IsAwsError(error));
        Assert.Equal(1, silent.Connections);
    }

    [Fact]
    public async Task A_slow_answer_within_the_limit_is_read()
    {
        var server = fixture.Fresh();
        server.Faults.Latency(TimeSpan.FromSeconds(1.5), "GetRole");
        using var aws = fixture.Connect(requestTimeout: TimeSpan.FromSeconds(5));

        var role = await aws.Iam.GetRoleAsync("web", CancellationToken.None);

        Assert.Equal("web", role.RoleName);
        Assert.Equal(1, server.CallCount("GetRole"));
    }

    [Fact]
    public async Task A_silent_STS_fails_the_assumed_role_within_the_limit_naming_the_role()
    {
        using var silent = SilentEndpoint.Start();
        using var aws = To(silent.Url, TimeSpan.FromSeconds(1), roleArn: "arn:aws:iam::111122223333:role/Auditor");
        using var guard = new CancellationTokenSource(Generous);

        var error = await Assert.ThrowsAsync<AmazonClientException>(() => aws.Iam.GetRoleAsync("web", guard.Token));

        Assert.StartsWith("Could not assume role arn:aws:iam::111122223333:role/Auditor (sts:AssumeRole): request timed out after 1 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, silent.Connections);
    }

    [Fact]
    public void A_cancellation_wrapping_HttpClients_timeout_is_an_AWS_timeout_and_a_plain_one_is_not()
    {
        var httpClientTimeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException());

        Assert.True(AwsFailure.IsAwsError(httpClientTimeout));
        Assert.Equal(AwsFailureKind.TimedOut, AwsFailure.From(httpClientTimeout, AwsActions.GetRole, "web").Kind);
        Assert.False(AwsFailure.IsAwsError(new TaskCanceledException()));
    }
}
