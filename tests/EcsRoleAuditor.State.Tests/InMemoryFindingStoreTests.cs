using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.State.Memory;

namespace EcsRoleAuditor.State.Tests;

public sealed class InMemoryFindingStoreTests : FindingStoreContract
{
    private readonly InMemoryFindingStore _store;

    public InMemoryFindingStoreTests() => _store = new InMemoryFindingStore(Time, historyDays: 30);

    protected override IFindingStore Store => _store;

    protected override Pipeline.IFamilyHeadIndex Heads(string account, string region) => _store.HeadIndex(account, region);

    [Fact]
    public async Task A_sweep_of_an_unchanged_family_reads_one_snapshot_and_writes_nothing_until_last_seen_is_due()
    {
        var counting = new CountingStore(_store);
        var ledger = new FindingLedger(counting, Time);
        var finding = new Finding
        {
            Rule = Audit.Rules.ApplicationPermissionsOnExecutionRoleRule.Rule, Severity = Severity.High, RoleArn = null, RoleSlot = RoleSlot.Execution,
            Source = new FindingSource(SourceKind.InlinePolicy, "app"), Message = "m", Remediation = "r",
        };
        var first = await ledger.RecordAsync(Report(3, finding), _ => true, "sweep-1", mayResolve: true, CancellationToken.None);
        await ledger.DeliveredAsync(first!, CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(1));
        var (reads, writes) = (counting.Reads, counting.Writes);

        await ledger.SnapshotAsync("111122223333", CancellationToken.None);
        var unchanged = await ledger.RecordAsync(Report(3, finding), _ => true, "sweep-2", mayResolve: true, CancellationToken.None);
        var afterUnchanged = (counting.Reads - reads, counting.Writes - writes);
        // A week: the longest a lastSeen is left unwritten.
        Time.Advance(TimeSpan.FromDays(7));
        await ledger.RecordAsync(Report(3, finding), _ => true, "sweep-3", mayResolve: true, CancellationToken.None);

        Assert.Equal((1, 0), afterUnchanged);
        Assert.Single(unchanged!.StillOpen);
        Assert.Equal(writes + 1, counting.Writes);
        Assert.Equal(Time.GetUtcNow(), Assert.Single(_store.Findings).LastSeen);
    }

    // DynamoDB deletes an item some time after its TTL attribute passes (DynamoDB Developer Guide, "Using time to live
    // (TTL) in DynamoDB"); the in-memory store stands for the result: past expiresAt, history is gone.
    [Fact]
    public async Task History_expires_after_the_configured_days()
    {
        var ledger = new FindingLedger(_store, Time);
        var entry = await ledger.RecordAsync(Report(1, new Finding
        {
            Rule = Audit.Rules.ApplicationPermissionsOnExecutionRoleRule.Rule, Severity = Severity.High, RoleArn = null, RoleSlot = RoleSlot.Execution,
            Source = new FindingSource(SourceKind.InlinePolicy, "app"), Message = "m", Remediation = "r",
        }), _ => true, "c", mayResolve: true, CancellationToken.None);
        var fingerprint = entry!.ToAlert[0].Fingerprint;

        Time.Advance(TimeSpan.FromDays(29));
        var kept = await _store.HistoryAsync(fingerprint, CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(2));
        var expired = await _store.HistoryAsync(fingerprint, CancellationToken.None);

        Assert.Single(kept);
        Assert.Empty(expired);
        Assert.Single(_store.Findings);
    }
}
