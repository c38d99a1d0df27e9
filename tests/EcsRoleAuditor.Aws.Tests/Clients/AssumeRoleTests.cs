using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.Util.Internal;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Sts;

namespace EcsRoleAuditor.Aws.Tests.Clients;

public sealed class AssumeRoleTests
{
    private const string RoleArn = "arn:aws:iam::210987654321:role/EcsRoleAuditor";

    private static AwsConnection Assuming(RecordingResponder responder) => AwsConnection.Open(new AwsConnectionOptions
    {
        Region = "eu-west-1",
        Credentials = TestConnections.Keys,
        RoleArn = RoleArn,
        ExternalId = "audit-2026",
        EndpointUrls = new ServiceEndpointUrls(responder.Url, responder.Url, responder.Url, responder.Url),
    });

    [Fact]
    public async Task A_session_token_travels_as_the_security_token_header()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetRole);
        using var aws = TestConnections.To(responder, credentials: new SessionAWSCredentials("ASIAEXAMPLE", "secret", "FwoGZXIvYXdzEXAMPLE//token="));

        await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal("FwoGZXIvYXdzEXAMPLE//token=", responder.OnlyRequest.Header("X-Amz-Security-Token"));
        Assert.Equal("ASIAEXAMPLE", responder.OnlyRequest.CredentialScope.AccessKey);
    }

    [Fact]
    public async Task With_a_role_arn_the_clients_sign_with_the_assumed_session()
    {
        using var responder = new RecordingResponder()
            .Xml(AwsExamples.AssumeRole("ASIAASSUMED1", "session-token-1", DateTime.UtcNow.AddHours(1)))
            .Xml(AwsExamples.GetRole);
        using var aws = Assuming(responder);

        await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);
        await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal(3, responder.Requests.Count);
        var assume = responder.Requests[0];
        Assert.Equal(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRole",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = RoleArn,
            ["RoleSessionName"] = AssumeRoleOptions.DefaultSessionName,
            ["ExternalId"] = "audit-2026",
            ["DurationSeconds"] = "3600",
        }, assume.Form);
        Assert.Equal((TestConnections.AccessKey, "eu-west-1", "sts"), assume.CredentialScope);
        Assert.All(responder.Requests.Skip(1), call =>
        {
            Assert.Equal(("ASIAASSUMED1", "us-east-1", "iam"), call.CredentialScope);
            Assert.Equal("session-token-1", call.Header("X-Amz-Security-Token"));
        });
    }

    [Fact]
    public async Task Within_five_minutes_of_expiry_the_session_is_renewed_in_the_background_and_then_used()
    {
        var clock = new MovableClock(DateTime.UtcNow);
        using var responder = new RecordingResponder()
            .Xml(AwsExamples.AssumeRole("ASIAASSUMED1", "session-token-1", clock.Now.AddHours(1)))
            .Xml(AwsExamples.AssumeRole("ASIAASSUMED2", "session-token-2", clock.Now.AddHours(2)));
        using var sts = StsTo(responder);
        using var credentials = new AssumedRoleCredentials(sts, new AssumeRoleOptions(RoleArn, "s", null, TimeSpan.FromHours(1)), clock);

        var first = await credentials.GetCredentialsAsync();
        clock.Now = clock.Now.AddMinutes(50);
        var beforeWindow = await credentials.GetCredentialsAsync();
        Assert.Single(responder.Requests);
        clock.Now = clock.Now.AddMinutes(6);
        var inWindow = await credentials.GetCredentialsAsync();
        var renewed = await NextSessionAsync(credentials, inWindow.AccessKey);

        Assert.Equal(("ASIAASSUMED1", "ASIAASSUMED1", "ASIAASSUMED1"), (first.AccessKey, beforeWindow.AccessKey, inWindow.AccessKey));
        Assert.Equal(("ASIAASSUMED2", "session-token-2"), (renewed.AccessKey, renewed.Token));
        Assert.Equal(2, responder.Requests.Count);
    }

    /// <summary>The credentials once the background renewal has replaced <paramref name="current"/> (at most ten seconds).</summary>
    private static async Task<ImmutableCredentials> NextSessionAsync(AWSCredentials credentials, string current)
    {
        var next = await credentials.GetCredentialsAsync();
        for (var waited = 0; next.AccessKey == current && waited < 10_000; waited += 10)
        {
            await Task.Delay(10);
            next = await credentials.GetCredentialsAsync();
        }

        return next;
    }

    [Fact]
    public async Task An_expired_session_is_renewed_before_the_call_goes_out()
    {
        var clock = new MovableClock(DateTime.UtcNow);
        using var responder = new RecordingResponder()
            .Xml(AwsExamples.AssumeRole("ASIAASSUMED1", "session-token-1", clock.Now.AddMinutes(30)))
            .Xml(AwsExamples.AssumeRole("ASIAASSUMED2", "session-token-2", clock.Now.AddHours(2)));
        using var sts = StsTo(responder);
        using var credentials = new AssumedRoleCredentials(sts, new AssumeRoleOptions(RoleArn, "s", null, TimeSpan.FromMinutes(30)), clock);

        await credentials.GetCredentialsAsync();
        clock.Now = clock.Now.AddMinutes(31);
        var renewed = await credentials.GetCredentialsAsync();

        Assert.Equal("ASIAASSUMED2", renewed.AccessKey);
        Assert.Equal(["1800", "1800"], responder.Requests.Select(r => r.Form["DurationSeconds"]));
    }

    private static AmazonSecurityTokenServiceClient StsTo(RecordingResponder responder) =>
        new(TestConnections.Keys, new AmazonSecurityTokenServiceConfig { ServiceURL = responder.Url, AuthenticationRegion = "eu-west-1" });

    private sealed class MovableClock(DateTime now) : ITimeProvider
    {
        public DateTime Now { get; set; } = now;

        public DateTime CorrectedUtcNow => Now;
    }
}
