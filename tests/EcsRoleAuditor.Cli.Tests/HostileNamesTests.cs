using System.Text.Json;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// Names from input holding terminal controls and bidi overrides (a family, its roles, a policy name, a Sid, a
/// suppression reason, a file name, an argument) never reach standard output or standard error raw.
/// </summary>
public sealed class HostileNamesTests : IDisposable
{
    private const string Hostile = "\u001b[31m\u0007\u0000\r\n\u202e\u2066\u009b2J";
    private const string HostileInJson = @"\u001b[31m\u0007\u0000\r\n\u202e\u2066\u009b2J";

    private readonly ScratchFolder _scratch = new("era-hostile-tests-");

    public void Dispose() => _scratch.Dispose();

    /// <summary>Control characters other than the line feed that ends a line, and the bidi formatting characters.</summary>
    private static bool IsHidden(char c) => (char.IsControl(c) && c != '\n') || c is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f' or '\u061c';

    private static void AssertNothingHidden(CliRun run)
    {
        foreach (var (stream, text) in new[] { ("stdout", run.Stdout), ("stderr", run.Stderr) })
        {
            var hidden = text.Where(IsHidden).Select(c => $"U+{(int)c:X4}").Distinct().ToList();
            Assert.True(hidden.Count == 0, $"raw {string.Join(", ", hidden)} on {stream}:\n{text}");
        }
    }

    // Every name of the billing and legacy task definitions, their roles, a policy and a Sid made hostile alike in
    // every file, so references between the files still hold.
    private static readonly string[] AllNames = ["billing-worker", "legacy-reports", "make-it-work", "\"RunReports\""];

    // The billing roles alone: the auditor refuses an event naming a task definition ECS would not accept.
    private static readonly string[] RoleNames = ["billing-worker-task", "billing-worker-execution"];

    private string Hostilely(string path, string[]? names = null)
    {
        var text = File.ReadAllText(path);
        foreach (var name in names ?? AllNames)
        {
            text = text.Replace(name, name.TrimEnd('"') + HostileInJson + (name.EndsWith('"') ? "\"" : ""), StringComparison.Ordinal);
        }
        return _scratch.Write(Path.GetFileName(path), text);
    }

    private string[] HostileFiles => ["--iam", Hostilely(DemoFiles.Account), "--task-definitions", Hostilely(DemoFiles.TaskDefinitions)];

    private string HostileSuppressions => _scratch.Write("suppressions.json",
        $$"""[{"rule": "ERA030", "family": "legacy*", "reason": "accepted{{HostileInJson}}"}, {"rule": "ERA001", "family": "legacy*", "reason": "accepted{{HostileInJson}}"}]""");

    [Theory]
    [InlineData("table")]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("markdown")]
    public void An_audit_prints_no_raw_control_or_bidi_character_in_any_format(string format)
    {
        var run = CliRun.Of(["audit", .. HostileFiles, "--suppressions", HostileSuppressions, "--format", format]);

        Assert.Equal(1, run.ExitCode);
        AssertNothingHidden(run);
    }

    [Fact]
    public void The_json_report_keeps_the_hostile_names_exactly()
    {
        var run = CliRun.Of(["audit", .. HostileFiles, "--suppressions", HostileSuppressions, "--format", "json"]);

        using var report = JsonDocument.Parse(run.Stdout);
        var families = report.RootElement.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("family").GetString()).ToList();
        Assert.Contains("legacy-reports" + Hostile, families);
        var findings = report.RootElement.GetProperty("reports").EnumerateArray().SelectMany(r => r.GetProperty("findings").EnumerateArray()).ToList();
        Assert.Contains(findings, f => f.GetProperty("source").GetProperty("name").GetString() == "make-it-work" + Hostile);
        Assert.Contains(findings, f => f.GetProperty("suppressionReason").GetString()?.EndsWith(": accepted" + Hostile, StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_incomplete_audit_message_escapes_the_task_definition_names()
    {
        var iam = _scratch.Write("empty-iam.json", """{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}""");

        var run = CliRun.Of("audit", "--iam", iam, "--task-definitions", Hostilely(DemoFiles.TaskDefinitions));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(@"billing-worker\x1b[31m\x07\x00\r\n\u202e\u2066\x9b2J:12", run.Stderr, StringComparison.Ordinal);
        AssertNothingHidden(run);
    }

    [Fact]
    public void A_file_name_is_escaped_in_the_error_that_names_it()
    {
        var missing = _scratch.PathOf("roles\u001b]0;owned\u0007\u202e.json");

        var run = CliRun.Of("audit", "--iam", missing, "--task-definitions", DemoFiles.TaskDefinitions);

        Assert.Equal(CommandLineApp.ExitUsage, run.ExitCode);
        Assert.Contains(@"roles\x1b]0;owned\x07\u202e.json", run.Stderr, StringComparison.Ordinal);
        AssertNothingHidden(run);
    }

    [Theory]
    [InlineData("audit", "--format", "table\u001b[2J")]
    [InlineData("audit", "--demo\u001b[2J\r\u202e", "")]
    [InlineData("rules", "ERA\u001b[31m001", "")]
    public void A_hostile_argument_is_escaped_in_the_usage_error(string command, string option, string value)
    {
        var run = CliRun.Of([command, option, .. value.Length > 0 ? new[] { value } : []]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(@"\x1b", run.Stderr, StringComparison.Ordinal);
        AssertNothingHidden(run);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public void The_event_command_prints_no_raw_control_or_bidi_character(string format)
    {
        var sample = Hostilely(Path.Combine(RepositoryPaths.Root, "events", "register-task-definition-violating.json"), RoleNames);
        string[] files = ["--iam", Hostilely(DemoFiles.Account, RoleNames), "--task-definitions", Hostilely(DemoFiles.TaskDefinitions, RoleNames)];

        var run = CliRun.Of(["event", sample, .. files, "--format", format, "--log-level", "DEBUG"]);

        Assert.Equal(1, run.ExitCode);
        AssertNothingHidden(run);
        if (format == "json")
        {
            using var printed = JsonDocument.Parse(run.Stdout);
            var report = printed.RootElement.GetProperty("messages")[0].GetProperty("bodies").GetProperty("default");
            Assert.Equal("arn:aws:iam::111122223333:role/billing-worker-execution" + Hostile, report.GetProperty("reports")[0].GetProperty("executionRoleArn").GetString());
        }
    }

    [Fact]
    public void Expand_escapes_a_pattern_it_quotes()
    {
        var text = CliRun.Of("expand", "s3:\u001b[2J\u202e");
        var json = CliRun.Of("expand", "s3:\u001b[2J\u202e", "--json");

        Assert.Contains(@"s3:\x1b[2J\u202e", text.Stdout, StringComparison.Ordinal);
        AssertNothingHidden(text);
        AssertNothingHidden(json);
    }

    [Fact]
    public void Evaluate_keeps_a_hostile_case_id_as_an_escaped_json_value()
    {
        var cases = _scratch.Write("cases.json", $$"""{"cases": [{"id": "case{{HostileInJson}}", "identityPolicies": [], "action": "s3:GetObject", "resource": "*"}]}""");

        var run = CliRun.Of("evaluate", "--cases", cases);

        AssertNothingHidden(run);
        using var line = JsonDocument.Parse(run.Stdout);
        Assert.Equal("case" + Hostile, line.RootElement.GetProperty("id").GetString());
    }
}
