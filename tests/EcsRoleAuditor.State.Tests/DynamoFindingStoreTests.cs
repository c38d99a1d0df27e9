using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Dynalite;
using EcsRoleAuditor.State.Dynamo;

namespace EcsRoleAuditor.State.Tests;

/// <summary>
/// The contract on a real DynamoDB implementation (dynalite), on a table created from template.yaml's StateTable: the
/// conditions and update expressions the DynamoDB store sends must decide exactly as the in-memory store does. Each test
/// gets a table of its own.
/// </summary>
public sealed class DynamoFindingStoreTests(DynaliteFixture dynamo) : FindingStoreContract, IClassFixture<DynaliteFixture>, IAsyncLifetime
{
    private AwsConnection? _aws;
    private DynamoFindingStore? _store;

    protected override IFindingStore Store => _store ?? throw new InvalidOperationException("The table is created in InitializeAsync.");

    protected override Pipeline.IFamilyHeadIndex Heads(string account, string region) => _store!.HeadIndex(account, region);

    public async Task InitializeAsync()
    {
        var table = await dynamo.CreateTableAsync();
        _aws = dynamo.Connect();
        _store = new DynamoFindingStore(_aws.DynamoDb, table, Time);
    }

    public Task DisposeAsync()
    {
        _aws?.Dispose();
        return Task.CompletedTask;
    }
}
