using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Tests.Clients;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>
/// One fake AWS per test class, serving the example account of this folder (<c>account.json</c>,
/// <c>task-definitions.json</c>, the <c>audit-alerts</c> topic) in eu-west-1; connections sign with fixed test keys.
/// </summary>
public sealed class FakeAwsFixture : IAsyncLifetime
{
    public const string Region = "eu-west-1";
    public const string AccountId = "111122223333";
    public const string AuditorRoleArn = "arn:aws:iam::111122223333:role/EcsRoleAuditor";

    /// <summary>Attempts per call unless a test says otherwise (the SDK's standard default, stated so the environment cannot change it).</summary>
    public const int MaxAttempts = 3;

    public static string FilePath(string name) => Path.Combine(AppContext.BaseDirectory, "AgainstFakeAws", name);

    /// <summary>The account the server serves; expected values are read from it.</summary>
    public FakeAccount Account { get; } = Load();

    public FakeAwsServer Server { get; private set; } = null!;

    private int _connections;

    public static FakeAccount Load()
    {
        var account = FakeAccount.Load(FilePath("account.json"), FilePath("task-definitions.json"));
        account.Region = Region;
        account.AddTopic("audit-alerts");
        return account;
    }

    public async Task InitializeAsync() => Server = await FakeAwsServer.StartAsync(Account);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The server without the faults, records and page cap an earlier test of the class left.</summary>
    public FakeAwsServer Fresh() => Server.Reset();

    /// <summary>
    /// An endpoint URL of the fake that no other connection uses. The SDK keeps one retry quota per endpoint for the
    /// process (standard mode: 500 tokens, 5 per retry, repaid on success), so tests failing on purpose through one URL
    /// would soon stop being retried at all; a path of its own gives each connection the quota of a fresh process.
    /// </summary>
    public string NewEndpoint() => $"{Server.Endpoint}c{Interlocked.Increment(ref _connections)}/";

    /// <summary>
    /// A connection with every endpoint at the fake (DynamoDB's at <paramref name="dynamoDbEndpoint"/> when given, e.g.
    /// dynalite's: the fake does not serve DynamoDB); <paramref name="roleArn"/> makes it assume that role first.
    /// </summary>
    public AwsConnection Connect(string region = Region, string? roleArn = null, int maxAttempts = MaxAttempts, TimeSpan? requestTimeout = null, string? dynamoDbEndpoint = null)
    {
        var endpoint = NewEndpoint();
        return AwsConnection.Open(new AwsConnectionOptions
        {
            Region = region,
            Credentials = TestConnections.Keys,
            RoleArn = roleArn,
            EndpointUrls = new ServiceEndpointUrls(endpoint, endpoint, endpoint, endpoint, dynamoDbEndpoint ?? endpoint, SecurityHub: endpoint, SecretsManager: endpoint, Ssm: endpoint),
            MaxAttempts = maxAttempts,
            RequestTimeout = requestTimeout,
        });
    }
}
