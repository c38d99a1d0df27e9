using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>The CLI's demo account files, the same inputs the offline audit reads, plus what the tests add to them.</summary>
public static class DemoAccount
{
    public static string AuthorizationDetailsPath => System.IO.Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", "account.json");

    public static string TaskDefinitionsPath => System.IO.Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", "task-definitions.json");

    public const string TopicName = "audit-alerts";

    /// <summary>The demo files, older orders-api revisions (5 inactive, 6 active), and the alert topic.</summary>
    public static FakeAccount Load()
    {
        var account = FakeAccount.Load(AuthorizationDetailsPath, TaskDefinitionsPath);
        account.AddTaskDefinition("orders-api", 5, null, null, status: "INACTIVE");
        account.AddTaskDefinition("orders-api", 6, null, null);
        account.AddTopic(TopicName);
        return account;
    }
}

/// <summary>One fake server on the demo account per test class.</summary>
public sealed class DemoServer : IAsyncLifetime
{
    public FakeAwsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FakeAwsServer.StartAsync(DemoAccount.Load());

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Clears faults, records and page caps left by an earlier test of the class.</summary>
    public FakeAwsServer Fresh() => Server.Reset();
}
