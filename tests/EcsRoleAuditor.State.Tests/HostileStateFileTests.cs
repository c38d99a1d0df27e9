using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.State.Memory;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.State.Tests;

/// <summary>
/// A state file written by hand, by another tool or by a careless user: each case here is a problem found by trying
/// the findings store as a hostile user would, pinned so it stays fixed.
/// </summary>
public sealed class HostileStateFileTests : IDisposable
{
    private const string Finding = """{"fingerprint":"fp1-x","family":{"account":"111122223333","region":"eu-west-1","family":"f"},"ruleId":"ERA020","slot":"Execution","roleArn":null,"severity":"High","status":"Open","firstSeen":"2026-12-05T09:00:00+00:00","lastSeen":"2026-12-05T09:00:00+00:00","lastAlerted":null,"alertedSeverity":null,"evidenceRevision":1,"message":"m","source":"s","pendingClaim":null,"pendingReason":null,"pendingSince":null,"resolvedAt":null}""";
    private readonly string _folder = Directory.CreateTempSubdirectory("era-hostile-state-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private StoredFinding OneFinding()
    {
        var path = Path.Combine(_folder, "one.json");
        File.WriteAllText(path, $$"""{"version":1,"findings":[{{Finding}}],"history":[],"days":[]}""");
        return Assert.Single(FindingStateFile.Load(path, _time).Findings);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_folder, "state.json");
        File.WriteAllText(path, json);
        return path;
    }

    // A null element in any list crashes Load with a NullReferenceException (the CLI aborts, exit 134, stack trace)
    // instead of an InputException naming the file (exit 2). "history": [null] loads, then crashes 'findings history'.
    [Theory]
    [InlineData("findings")]
    [InlineData("days")]
    [InlineData("heads")]
    [InlineData("completeHeadIndexes")]
    [InlineData("history")]
    public void A_null_entry_in_a_list_is_refused_naming_the_file(string list)
    {
        var lists = new Dictionary<string, string> { ["findings"] = $"[{Finding}]", ["history"] = "[]", ["days"] = "[]", ["heads"] = "[]", ["completeHeadIndexes"] = "[]" };
        lists[list] = "[null]";
        var path = Write($$"""{"version":1,{{string.Join(',', lists.Select(l => $"\"{l.Key}\":{l.Value}"))}}}""");

        var error = Assert.Throws<InputException>(() =>
        {
            var store = FindingStateFile.Load(path, _time);
            _ = store.History.Count; // what 'findings history' reads
        });

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    // UseStringEnumConverter also takes numbers: "severity": 42 loads as (Severity)42 and 'findings' shows it as INFO;
    // "status": 7 loads and is listed as OPEN. A name outside the enum ("Nope") is refused, a number should be too.
    [Theory]
    [InlineData("\"severity\":\"High\"", "\"severity\":42")]
    [InlineData("\"severity\":\"High\"", "\"severity\":\"42\"")]
    [InlineData("\"status\":\"Open\"", "\"status\":7")]
    [InlineData("\"slot\":\"Execution\"", "\"slot\":99")]
    public void An_enum_value_outside_its_names_is_refused(string field, string hostile)
    {
        var path = Write($$"""{"version":1,"findings":[{{Finding.Replace(field, hostile, StringComparison.Ordinal)}}],"history":[],"days":[]}""");

        Assert.Throws<InputException>(() => FindingStateFile.Load(path, _time));
    }

    // docs/state.md: message and source are "at most 1,024 characters each", and the store bounds what it writes
    // (StoreRules.MaxExcerptLength); the file loader takes a 1 MB message and family as they are, and 'findings' prints them.
    [Fact]
    public void A_stored_message_longer_than_the_stores_bound_is_not_taken_as_it_is()
    {
        var path = Write($$"""{"version":1,"findings":[{{Finding.Replace("\"message\":\"m\"", $"\"message\":\"{new string('M', 1_000_000)}\"", StringComparison.Ordinal)}}],"history":[],"days":[]}""");

        try
        {
            var store = FindingStateFile.Load(path, _time);
            Assert.True(Assert.Single(store.Findings).Message.Length <= StoreRules.MaxExcerptLength, "a 1 MB message was loaded whole");
        }
        catch (InputException)
        {
            // Refusing the file is as good.
        }
    }

    // Every other input is refused above 256 MiB before it is read (README, "Exit codes and limits"); the state file
    // is read whole whatever its size: a 300 MB file is parsed (3.2 GB resident in 'findings --format csv').
    [Fact]
    public void A_state_file_larger_than_256_MiB_is_refused_before_it_is_read()
    {
        var path = Path.Combine(_folder, "huge.json");
        using (var stream = File.Create(path))
        {
            stream.Write("{\"version\":1,"u8);
            stream.SetLength(300L * 1024 * 1024); // sparse: cheap on disk
        }

        var error = Assert.Throws<InputException>(() => FindingStateFile.Load(path, _time));

        Assert.Contains("256 MiB", error.Message, StringComparison.Ordinal);
    }

    // Two 'event --state-file' runs on one file: each loads, runs, then replaces the file whole, so the later save
    // silently drops what the earlier one recorded (seen with the CLI: 2 of 5 concurrent runs lost a resolution the
    // user had been shown as a [RESOLVED] notice). Nothing locks the file or detects the conflict.
    [Fact]
    public void A_save_does_not_silently_drop_what_another_run_saved_after_this_one_loaded()
    {
        var path = Write($$"""{"version":1,"findings":[],"history":[],"days":[]}""");
        var first = FindingStateFile.Load(path, _time);
        var second = FindingStateFile.Load(path, _time);
        first.Load([OneFinding()], [], []);
        FindingStateFile.Save(first, path);

        try
        {
            FindingStateFile.Save(second, path);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InputException)
        {
            // Refusing the stale save is as good as merging.
        }

        Assert.Contains(FindingStateFile.Load(path, _time).Findings, f => f.Fingerprint == "fp1-x");
    }

    // A state file a user made private (chmod 600) comes back world-readable (0644) after one run: Save creates a new
    // file with the default mode and renames it over the old one.
    [Fact]
    public void Saving_keeps_the_state_files_permissions()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var path = Write($$"""{"version":1,"findings":[],"history":[],"days":[]}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        FindingStateFile.Save(FindingStateFile.Load(path, _time), path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    // A state file that is a symbolic link (to a shared or backed-up location) is replaced by a regular file: the
    // link's target is never updated again.
    [Fact]
    public void Saving_through_a_symbolic_link_updates_its_target()
    {
        var target = Write($$"""{"version":1,"findings":[],"history":[],"days":[]}""");
        var link = Path.Combine(_folder, "link.json");
        File.CreateSymbolicLink(link, target);
        var store = FindingStateFile.Load(link, _time);
        store.Load([OneFinding()], [], []);

        FindingStateFile.Save(store, link);

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Single(FindingStateFile.Load(target, _time).Findings);
    }

    // 'event --state-file DIR': the save fails (exit 2) but leaves DIR.tmp-PID behind, a full copy of the store.
    [Fact]
    public void A_failed_save_leaves_no_temporary_file()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_folder, "state")).FullName;
        var store = new InMemoryFindingStore(_time);

        Assert.ThrowsAny<Exception>(() => FindingStateFile.Save(store, directory));

        Assert.Empty(Directory.GetFiles(_folder, "*.tmp-*"));
    }

    // Daily counts are loaded as they are: "opened": -5 draws an SVG bar of negative height in 'findings --format html',
    // and counts near int.MaxValue make the page's totals overflow (OverflowException, exit 134; see the CLI test).
    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, -2147483648)]
    public void A_negative_daily_count_is_refused(int opened, int resolved)
    {
        var path = Write($$"""{"version":1,"findings":[],"history":[],"days":[{"account":"111122223333","day":"2026-12-05","opened":{{opened}},"resolved":{{resolved}},"expiresAt":"2099-01-01T00:00:00+00:00"}]}""");

        Assert.Throws<InputException>(() => FindingStateFile.Load(path, _time));
    }

    // A head recorded far in the future would never give way to an older revision when its own is deregistered: every
    // role event would audit the deregistered revision until then.
    [Fact]
    public void A_head_recorded_in_the_future_is_refused()
    {
        var head = """{"account":"111122223333","region":"eu-west-1","head":{"family":"billing","taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/billing:13","revision":13,"taskRoleArn":null,"executionRoleArn":null},"active":true,"recordedAt":"2099-01-01T00:00:00+00:00"}""";
        var path = Write($$"""{"version":1,"findings":[],"history":[],"days":[],"heads":[{{head}}],"completeHeadIndexes":[]}""");

        var error = Assert.Throws<InputException>(() => FindingStateFile.Load(path, _time));

        Assert.Equal($"{path}: $.heads[0] has a recordedAt later than now.", error.Message);
    }
}
