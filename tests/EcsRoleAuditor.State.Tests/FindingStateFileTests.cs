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
