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
        // A week: the longest a lastSeen is left unwritten.
        Time.Advance(TimeSpan.FromDays(7));
        var counter = new Aws.Resolution.ApiCallCounter();

        using (Aws.Resolution.ApiCallCounting.Begin(counter))
        {
            await ledger.RecordAsync(Report(1, finding), _ => true, "r2", mayResolve: true, CancellationToken.None);
        }

        Assert.Equal("2 AWS API calls (dynamodb:Query 1, dynamodb:UpdateItem 1)", counter.ToString());
    }

    // A kept answer is an optimisation: an item no longer readable (written by hand, or by a future version) costs its
    // family a describe, never the whole cache or the sweep.
    [Fact]
    public async Task A_malformed_revision_item_is_read_as_not_kept_and_the_others_are()
    {
        var cache = Store.RevisionCache("111122223333", "eu-west-1");
        var at = Time.GetUtcNow();
        await cache.KeepAsync([new Pipeline.CachedRevision("orders", "arn:aws:ecs:eu-west-1:111122223333:task-definition/orders:7", 7, "{}", at)], CancellationToken.None);
        var malformed = Aws.Api.DynamoItem.Of(
            ("PK", new Aws.Api.DynamoValue.S("REVISIONS#111122223333#eu-west-1")), ("SK", new Aws.Api.DynamoValue.S("FAMILY#billing")),
            ("taskDefinitionArn", new Aws.Api.DynamoValue.S("arn:aws:ecs:eu-west-1:111122223333:task-definition/billing:3")),
            ("revision", new Aws.Api.DynamoValue.S("three")), ("answer", new Aws.Api.DynamoValue.S("{}")), ("describedAt", new Aws.Api.DynamoValue.S("yesterday")));
        await _aws!.DynamoDb.PutItemAsync(new Aws.Api.DynamoPut(_store!.TableName, malformed, null, Aws.Api.DynamoExpressionTerms.None), CancellationToken.None);

        Assert.Equal(["orders"], (await cache.ReadAsync(CancellationToken.None)).Select(k => k.Family));
    }

    // A describedAt that is not a time string ("yesterday" sorts after every time; a number compares with none) would
    // fail the later-wins condition for ever: the family would be described every sweep and its item never expire.
    [Theory]
    [InlineData("S")]
    [InlineData("N")]
    public async Task A_malformed_revision_item_is_replaced_by_the_next_description(string describedAtType)
    {
        var cache = Store.RevisionCache("111122223333", "eu-west-1");
        var arn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing:3";
        var malformed = Aws.Api.DynamoItem.Of(
            ("PK", new Aws.Api.DynamoValue.S("REVISIONS#111122223333#eu-west-1")), ("SK", new Aws.Api.DynamoValue.S("FAMILY#billing")),
            ("taskDefinitionArn", new Aws.Api.DynamoValue.S(arn)), ("revision", Aws.Api.DynamoValue.N.Of(3)), ("answer", new Aws.Api.DynamoValue.S("{}")),
            ("describedAt", describedAtType == "S" ? new Aws.Api.DynamoValue.S("yesterday") : Aws.Api.DynamoValue.N.Of(Time.GetUtcNow().ToUnixTimeSeconds())));
        await _aws!.DynamoDb.PutItemAsync(new Aws.Api.DynamoPut(_store!.TableName, malformed, null, Aws.Api.DynamoExpressionTerms.None), CancellationToken.None);

        await cache.KeepAsync([new Pipeline.CachedRevision("billing", arn, 3, "{}", Time.GetUtcNow())], CancellationToken.None);

        Assert.Equal([arn], (await cache.ReadAsync(CancellationToken.None)).Select(k => k.TaskDefinitionArn));
    }

    // Heads written before heads kept their time have no "at": read as recorded long ago, so a listing lowers them.
    [Fact]
    public async Task A_head_written_without_its_time_gives_way_to_a_complete_listing()
    {
        var heads = Heads("111122223333", "eu-west-1");
        await heads.RecordAsync([new Pipeline.FamilyHead("orders", "arn:aws:ecs:eu-west-1:111122223333:task-definition/orders:7", 7, null, null)], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);
        var untimed = Aws.Api.DynamoItem.Of(
            ("PK", new Aws.Api.DynamoValue.S("HEADS#111122223333#eu-west-1")), ("SK", new Aws.Api.DynamoValue.S("FAMILY#billing")),
            ("taskDefinitionArn", new Aws.Api.DynamoValue.S("arn:aws:ecs:eu-west-1:111122223333:task-definition/billing:13")),
            ("revision", Aws.Api.DynamoValue.N.Of(13)), ("taskRoleArn", new Aws.Api.DynamoValue.Null()), ("executionRoleArn", new Aws.Api.DynamoValue.Null()),
            ("active", new Aws.Api.DynamoValue.Bool(true)));
        await _aws!.DynamoDb.PutItemAsync(new Aws.Api.DynamoPut(_store!.TableName, untimed, null, Aws.Api.DynamoExpressionTerms.None), CancellationToken.None);

        var billing12 = new Pipeline.FamilyHead("billing", "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing:12", 12, null, null);
        await heads.RecordAsync([billing12], complete: false, Time.GetUtcNow(), known: null, CancellationToken.None);
        var afterRegistration = await heads.HeadsAsync(CancellationToken.None);
        await heads.RecordAsync([billing12], complete: true, Time.GetUtcNow(), known: null, CancellationToken.None);

        Assert.Equal(13, Assert.Single(afterRegistration!, h => h.Family == "billing").Revision);
        Assert.Equal([billing12], await heads.HeadsAsync(CancellationToken.None));
    }

    public Task DisposeAsync()
    {
        _aws?.Dispose();
        return Task.CompletedTask;
    }
}
