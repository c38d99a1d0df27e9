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

    // Each DynamoDB request counts (the client's counting handler): recording a finding the store holds alerted is one
    // UpdateItem, not a claim that fails and then the record.
    [Fact]
    public async Task Refreshing_an_alerted_finding_is_one_request()
    {
        var finding = new Audit.Findings.Finding
        {
            Rule = Audit.Rules.ApplicationPermissionsOnExecutionRoleRule.Rule, Severity = Audit.Findings.Severity.High, RoleArn = null,
            RoleSlot = Audit.Findings.RoleSlot.Execution, Source = new Audit.Findings.FindingSource(Audit.Findings.SourceKind.InlinePolicy, "app"), Message = "m", Remediation = "r",
        };
        var ledger = new FindingLedger(Store, Time);
        var first = await ledger.RecordAsync(Report(1, finding), _ => true, "r1", mayResolve: true, CancellationToken.None);
        await ledger.DeliveredAsync(first!, CancellationToken.None);
        Time.Advance(StoreRules.LastSeenRefresh);
        var counter = new Aws.Resolution.ApiCallCounter();

        using (Aws.Resolution.ApiCallCounting.Begin(counter))
        {
            await ledger.RecordAsync(Report(1, finding), _ => true, "r2", mayResolve: true, CancellationToken.None);
        }

        Assert.Equal("2 AWS API calls (dynamodb:Query 1, dynamodb:UpdateItem 1)", counter.ToString());
    }

    public Task DisposeAsync()
    {
        _aws?.Dispose();
        return Task.CompletedTask;
    }
}
