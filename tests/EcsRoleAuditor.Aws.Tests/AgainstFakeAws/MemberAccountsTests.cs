using System.Diagnostics;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Sts;
using EcsRoleAuditor.Aws.Tests.Clients;
using EcsRoleAuditor.FakeAws;
using static EcsRoleAuditor.Aws.Tests.AgainstFakeAws.FakeOrganizationFixture;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>
/// <see cref="MemberAccounts"/> against the fake AWS serving an organization: which calls go to STS, which keys and
/// which region sign each member's ECS and IAM calls, what a member without a usable reader role costs.
/// </summary>
public sealed class MemberAccountsTests(FakeOrganizationFixture fixture) : IClassFixture<FakeOrganizationFixture>
{
    // Read from the SDK rather than restated: the renewal test's timing depends on it.
    private static readonly TimeSpan SdkExpirationBuffer = ExpirationBufferOfTheSdk();

    private static TimeSpan ExpirationBufferOfTheSdk()
    {
        using var sts = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(TestConnections.Keys, Amazon.RegionEndpoint.EUWest1);
        using var probe = new AssumedRoleCredentials(sts, new AssumeRoleOptions(ReaderArn(MemberA), "probe", null, AssumeRoleOptions.DefaultSessionDuration));
        return probe.ExpirationBuffer;
    }

    private static async Task<IReadOnlyList<string>> FamiliesAsync(MemberAccess access, CancellationToken cancellationToken = default) =>
        (await access.Ecs.ListTaskDefinitionFamiliesAsync(null, TaskDefinitionStatus.Active, null, cancellationToken)).Items;

    private static IEnumerable<RecordedCall> Calls(FakeAwsServer server, string operation) =>
        server.Calls.All.Where(c => c.Operation == operation);

    [Fact]
    public async Task A_member_is_assumed_once_however_many_regions_and_opens_and_each_region_is_signed_for_itself()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        using var members = aws.OpenMemberAccounts(Reader, Central);

        var europe = await members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-1", CancellationToken.None);
        var virginia = await members.OpenAsync(MemberA, Virginia, "EcsRoleAuditor-request-2", CancellationToken.None);
        var europeAgain = await members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-3", CancellationToken.None);
        var families = new[] { await FamiliesAsync(europe), await FamiliesAsync(virginia), await FamiliesAsync(europeAgain) };
        var role = await virginia.Iam.GetRoleAsync("web-task", CancellationToken.None);

        // The session is kept: the first open's name is the one STS saw, and no open after it asked again.
        var session = Assert.Single(server.AssumedRoles);
        Assert.Equal((ReaderArn(MemberA), "EcsRoleAuditor-request-1"), (session.RoleArn, session.RoleSessionName));
        Assert.Equal(1, server.CallCount("AssumeRole"));
        Assert.Same(europe.Ecs, europeAgain.Ecs);
        Assert.Same(europe.Iam, virginia.Iam);
        // The fake answers ECS for the account of the signing key and the region of the credential scope.
        Assert.Equal([[Family(MemberA, Europe)], [Family(MemberA, Virginia)], [Family(MemberA, Europe)]], families);
        Assert.Equal(
            [(session.AccessKeyId, Europe), (session.AccessKeyId, Virginia), (session.AccessKeyId, Europe)],
            Calls(server, "ListTaskDefinitionFamilies").Select(c => (c.Scope!.AccessKeyId, c.Scope.Region)));
        Assert.Equal($"arn:aws:iam::{MemberA}:role/web-task", role.Arn);
        Assert.Equal(session.AccessKeyId, Assert.Single(Calls(server, "GetRole")).Scope!.AccessKeyId);
    }

    [Fact]
    public async Task Beyond_its_capacity_the_least_recently_opened_account_is_dropped_and_assumed_again_when_next_opened()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        using var members = aws.OpenMemberAccounts(Reader, Central, capacity: 1);

        var first = await members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-1", CancellationToken.None);
        await members.OpenAsync(Central, Europe, "EcsRoleAuditor-request-2", CancellationToken.None);
        var again = await members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-3", CancellationToken.None);

        Assert.NotSame(first.Ecs, again.Ecs);
        Assert.Equal(["EcsRoleAuditor-request-1", "EcsRoleAuditor-request-3"], server.AssumedRoles.Select(r => r.RoleSessionName));
        // A client dropped while in use still answers: it is not disposed, only forgotten.
        Assert.Equal([Family(MemberA, Europe)], await FamiliesAsync(first));
    }

    [Fact]
    public async Task The_callers_own_account_is_read_with_its_own_keys_and_never_assumed()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        using var members = aws.OpenMemberAccounts(Reader, Central);

        var europe = await members.OpenAsync(Central, Europe, "EcsRoleAuditor-request-1", CancellationToken.None);
        var families = await FamiliesAsync(europe);

        Assert.Equal(0, server.CallCount("AssumeRole"));
        Assert.Equal([Family(Central, Europe)], families);
        var call = Assert.Single(Calls(server, "ListTaskDefinitionFamilies"));
        Assert.Equal((TestConnections.AccessKey, Europe), (call.Scope!.AccessKeyId, call.Scope.Region));
    }

    // AWS answers AccessDenied both when the role does not exist and when its trust policy does not admit the caller
    // (STS API Reference, AssumeRole, Errors; IAM User Guide, "Troubleshooting IAM roles": "I can't assume a role").
    [Theory]
    [InlineData(MemberB)] // no reader role: member.yaml not deployed
    [InlineData(MemberC)] // a reader role trusting another account
    public async Task A_member_whose_reader_role_cannot_be_assumed_fails_with_access_denied_before_any_read(string account)
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        using var members = aws.OpenMemberAccounts(Reader, Central);

        var failure = await Assert.ThrowsAsync<AccountAccessException>(() => members.OpenAsync(account, Europe, "EcsRoleAuditor-request-1", CancellationToken.None));

        Assert.Equal((account, ReaderArn(account), "AccessDenied"), (failure.AccountId, failure.RoleArn, failure.Reason));
        Assert.Empty(server.AssumedRoles);
        Assert.NotEmpty(server.Calls.All);
        Assert.All(server.Calls.All, c => Assert.Equal(("AssumeRole", "AccessDenied"), (c.Operation, c.ErrorCode)));
    }

    [Fact]
    public async Task A_session_near_its_expiry_is_renewed_under_the_latest_name_and_its_keys_sign_what_follows()
    {
        var server = fixture.Fresh();
        // MemberAccounts asks STS for an hour, and STS's shortest session is 15 minutes (DurationSeconds, 900 to the
        // role's maximum; STS API Reference, AssumeRole): the fake issues sessions that enter the renewal margin two
        // seconds after they are issued instead. The margin is RenewBeforeExpiry plus the time AWSSDK.Core's
        // RefreshingAWSCredentials takes off every expiration (its ExpirationBuffer, a minute).
        server.SessionLifetime = AssumedRoleCredentials.RenewBeforeExpiry + SdkExpirationBuffer + TimeSpan.FromSeconds(2);
        using var aws = fixture.Connect();
        using var members = aws.OpenMemberAccounts(Reader, Central);
        var first = await members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-1", CancellationToken.None);
        await FamiliesAsync(first);
        var firstKey = Assert.Single(server.AssumedRoles).AccessKeyId;

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = await members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-2", CancellationToken.None);
        // The SDK renews in the background while the old session is still valid: calls move to the new keys soon after.
        var watch = Stopwatch.StartNew();
        string signedWith;
        do
        {
            await FamiliesAsync(second);
            signedWith = Calls(server, "ListTaskDefinitionFamilies").Last().Scope!.AccessKeyId;
        }
        while (signedWith == firstKey && watch.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Same(first.Ecs, second.Ecs);
        Assert.True(server.AssumedRoles.Count >= 2, "the session was not renewed");
        var renewed = server.AssumedRoles[1];
        Assert.Equal((ReaderArn(MemberA), "EcsRoleAuditor-request-2"), (renewed.RoleArn, renewed.RoleSessionName));
        Assert.Contains(signedWith, server.AssumedRoles.Skip(1).Select(r => r.AccessKeyId));
    }

    [Fact]
    public async Task Cancellation_stops_waiting_for_sts_without_calling_it_an_access_failure()
    {
        var server = fixture.Fresh();
        server.Faults.Latency(TimeSpan.FromSeconds(10), "AssumeRole");
        using var aws = fixture.Connect();
        using var members = aws.OpenMemberAccounts(Reader, Central);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-1", cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(0, server.CallCount("ListTaskDefinitionFamilies"));
    }

    [Fact]
    public async Task A_cancelled_read_of_an_opened_member_stops_its_call()
    {
        var server = fixture.Fresh();
        server.Faults.Latency(TimeSpan.FromSeconds(10), "ListTaskDefinitionFamilies");
        using var aws = fixture.Connect();
        using var members = aws.OpenMemberAccounts(Reader, Central);
        var access = await members.OpenAsync(MemberA, Europe, "EcsRoleAuditor-request-1", CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FamiliesAsync(access, cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
