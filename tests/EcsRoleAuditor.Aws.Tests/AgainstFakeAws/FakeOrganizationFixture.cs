using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Tests.Clients;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>
/// One fake AWS per test class serving an organization: the central account (the primary, whose keys the connections
/// sign with), member A with the reader role trusting the central account and a task definition family of its own in
/// each of two regions, member B without the reader role, and member C whose reader role trusts another account only.
/// </summary>
public sealed class FakeOrganizationFixture : IAsyncLifetime
{
    public const string Central = "111122223333";
    public const string MemberA = "444455556666";
    public const string MemberB = "777788889999";
    public const string MemberC = "222233334444";
    public const string Europe = "eu-west-1";
    public const string Virginia = "us-east-1";
    public const string Reader = "EcsRoleAuditorReader";

    public static string ReaderArn(string account) => $"arn:aws:iam::{account}:role/{Reader}";

    public static string Trust(string principal) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{principal}}"},"Action":"sts:AssumeRole"}]}""";

    /// <summary>The family each account has in each region, so a listing shows which account and region answered.</summary>
    public static string Family(string account, string region) => $"app-{account}-{region}";

    public FakeAwsServer Server { get; private set; } = null!;

    private int _connections;

    public async Task InitializeAsync()
    {
        var central = new FakeAccount { AccountId = Central, Region = Europe };
        central.AddTaskDefinition(Family(Central, Europe), 1, null, null);
        var memberAEurope = new FakeAccount { AccountId = MemberA, Region = Europe };
        memberAEurope.AddRole(Reader, Trust($"arn:aws:iam::{Central}:root"));
        memberAEurope.AddRole("web-task", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        memberAEurope.AddTaskDefinition(Family(MemberA, Europe), 1, $"arn:aws:iam::{MemberA}:role/web-task", null);
        var memberAVirginia = new FakeAccount { AccountId = MemberA, Region = Virginia };
        memberAVirginia.AddTaskDefinition(Family(MemberA, Virginia), 1, $"arn:aws:iam::{MemberA}:role/web-task", null);
        var memberB = new FakeAccount { AccountId = MemberB, Region = Europe };
        memberB.AddTaskDefinition(Family(MemberB, Europe), 1, null, null);
        var memberC = new FakeAccount { AccountId = MemberC, Region = Europe };
        memberC.AddRole(Reader, Trust("arn:aws:iam::999988887777:root"));
        memberC.AddTaskDefinition(Family(MemberC, Europe), 1, null, null);
        Server = await FakeAwsServer.StartAsync([central, memberAEurope, memberAVirginia, memberB, memberC]);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The server without the faults, records and session lifetime an earlier test of the class left.</summary>
    public FakeAwsServer Fresh() => Server.Reset();

    /// <summary>
    /// A connection in the central account, in <see cref="Europe"/>, with every endpoint at the fake (a path of its own,
    /// as <see cref="FakeAwsFixture.NewEndpoint"/> explains), one attempt per call unless asked.
    /// </summary>
    public AwsConnection Connect(int maxAttempts = FakeAwsFixture.MaxAttempts)
    {
        var endpoint = $"{Server.Endpoint}o{Interlocked.Increment(ref _connections)}/";
        return AwsConnection.Open(new AwsConnectionOptions
        {
            Region = Europe,
            Credentials = TestConnections.Keys,
            EndpointUrls = new ServiceEndpointUrls(endpoint, endpoint, endpoint, endpoint, endpoint, endpoint, endpoint),
            MaxAttempts = maxAttempts,
        });
    }
}
