using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.State.Memory;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.State.Tests;

public sealed class FindingStateFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("era-state-file-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_saved_store_loads_back_with_the_same_findings_history_and_days()
    {
        var path = Path.Combine(_folder, "state.json");
        var store = FindingStateFile.Load(path, _time);
        var finding = new Finding
        {
            Rule = ApplicationPermissionsOnExecutionRoleRule.Rule, Severity = Severity.High, RoleArn = "arn:aws:iam::111122223333:role/r", RoleSlot = RoleSlot.Execution,
            Source = new FindingSource(SourceKind.InlinePolicy, "app"), Message = "m", Remediation = "r",
        };
        var entry = await new FindingLedger(store, _time).RecordAsync(
            new TaskDefinitionReport("arn:aws:ecs:eu-west-1:111122223333:task-definition/f:1", "f", 1, null, null, [finding]), _ => true, "c", true, CancellationToken.None);

        FindingStateFile.Save(store, path);
        var loaded = FindingStateFile.Load(path, _time);

        Assert.Equal(store.Findings, loaded.Findings);
        Assert.Equal(store.History, loaded.History);
        Assert.Equal(store.Days, loaded.Days);
        Assert.Equal(FindingStatus.Open, Assert.Single(loaded.Findings).Status);
        Assert.Equal("Open", System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("findings")[0].GetProperty("status").GetString());
        Assert.NotNull(entry);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp-*"));
    }

    // Files saved before heads kept their time: they load, and their heads count as recorded long ago.
    [Fact]
    public async Task A_head_saved_without_its_time_loads_and_gives_way_to_a_complete_listing()
    {
        var path = Path.Combine(_folder, "state.json");
        File.WriteAllText(path, """{"version":1,"findings":[],"history":[],"days":[],"heads":[{"account":"111122223333","region":"eu-west-1","head":{"family":"billing","taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/billing:13","revision":13,"taskRoleArn":null,"executionRoleArn":null},"active":true}],"completeHeadIndexes":["111122223333/eu-west-1"]}""");
        var store = FindingStateFile.Load(path, _time);
        var billing12 = new Pipeline.FamilyHead("billing", "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing:12", 12, null, null);

        await store.HeadIndex("111122223333", "eu-west-1").RecordAsync([billing12], complete: true, _time.GetUtcNow(), known: null, CancellationToken.None);
        FindingStateFile.Save(store, path);

        var saved = Assert.Single(FindingStateFile.Load(path, _time).Heads);
        Assert.Equal((billing12, _time.GetUtcNow()), (saved.Head, saved.RecordedAt));
    }

    [Fact]
    public void A_fingerprint_given_twice_is_refused_naming_the_file()
    {
        var path = Path.Combine(_folder, "state.json");
        var finding = """{"fingerprint":"fp1-x","family":{"account":"1","region":"r","family":"f"},"ruleId":"ERA020","slot":"Execution","roleArn":null,"severity":"High","status":"Open","firstSeen":"2026-12-05T09:00:00+00:00","lastSeen":"2026-12-05T09:00:00+00:00","lastAlerted":null,"alertedSeverity":null,"evidenceRevision":1,"message":"m","source":"s","pendingClaim":null,"pendingReason":null,"pendingSince":null,"resolvedAt":null}""";
        File.WriteAllText(path, $$"""{"version":1,"findings":[{{finding}},{{finding}}],"history":[],"days":[]}""");

        var error = Assert.Throws<InputException>(() => FindingStateFile.Load(path, _time));

        Assert.Equal($"{path}: The finding fp1-x is given twice.", error.Message);
    }
}
