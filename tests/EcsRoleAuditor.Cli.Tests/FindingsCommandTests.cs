using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// A findings state file as the function's handler leaves it, made by running <c>event --demo --state-file</c> twice:
/// the scheduled sweep opens the demo account's findings, then billing-worker:13 (its execution role replaced, as in
/// FindingsStoreAlertingTests) resolves two of them and opens one. Made once for the class: the tests only read it.
/// </summary>
public sealed class DemoFindingsState : IDisposable
{
    private readonly ScratchFolder _scratch = new("era-findings-state-");

    public DemoFindingsState()
    {
        Path = _scratch.PathOf("state.json");
        var sweep = CliRun.Of("event", System.IO.Path.Combine(SampleEvents.Folder, "scheduled-sweep.json"), "--demo", "--state-file", Path);
        Assert.True(File.Exists(Path), sweep.Stderr);
        var fixedEvent = JsonNode.Parse(SampleEvents.Read("register-task-definition-violating.json"))!;
        var definition = fixedEvent["detail"]!["responseElements"]!["taskDefinition"]!;
        definition["revision"] = 13;
        definition["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:13";
        definition["executionRoleArn"] = "arn:aws:iam::111122223333:role/service-role/orders-api-execution";
        var fixedRun = CliRun.Of("event", _scratch.Write("billing-worker-13.json", fixedEvent.ToJsonString()), "--demo", "--state-file", Path);
        Assert.Contains("[RESOLVED]", fixedRun.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>A copy of the state file whose first open finding of billing-worker got <paramref name="family"/> and <paramref name="message"/>.</summary>
    internal string Hostile(ScratchFolder scratch, string family, string message)
    {
        var state = JsonNode.Parse(File.ReadAllText(Path))!;
        var finding = state["findings"]!.AsArray().First(f => f!["status"]!.GetValue<string>() == "Open" && f["family"]!["family"]!.GetValue<string>() == "billing-worker")!;
        finding["family"]!["family"] = family;
        finding["message"] = message;
        return scratch.Write("hostile-state.json", state.ToJsonString());
    }

    public void Dispose() => _scratch.Dispose();
}

/// <summary><c>findings</c>: what the store holds, in each format, every stored value treated as input.</summary>
public sealed class FindingsCommandTests(DemoFindingsState state) : IClassFixture<DemoFindingsState>, IDisposable
{
    private const string Account = "111122223333";
    private const string Hostile = "=cmd|' /C calc'!A0 \u202Egnp.exe";
    private const string HostileMessage = "<script>alert(1)</script> | `rm` \u001b[31mred\r\nsecond line";
    private static readonly string[] Severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];
    private readonly ScratchFolder _scratch = new("era-findings-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void The_table_lists_the_open_findings_most_severe_first_and_counts_them()
    {
        var run = CliRun.Of("findings", "--state-file", state.Path);

        Assert.Equal(0, run.ExitCode);
        var heads = run.Stdout.Split('\n').Where(l => Severities.Any(s => l.StartsWith(s + " ", StringComparison.Ordinal))).ToList();
        Assert.Equal(8, heads.Count);
        Assert.All(heads, h => Assert.Contains(" OPEN ", h, StringComparison.Ordinal));
        var ranks = heads.Select(h => Array.IndexOf(Severities, h.Split(' ')[0])).ToList();
        Assert.Equal(ranks.Order(), ranks);
        Assert.StartsWith("CRITICAL  OPEN        legacy-reports  ERA041  Role can escalate its privileges", heads[0], StringComparison.Ordinal);
        Assert.Contains("    role:        execution role orders-api-execution (arn:aws:iam::111122223333:role/service-role/orders-api-execution)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("    fingerprint: fp1-", run.Stdout, StringComparison.Ordinal);
        Assert.Equal($"8 findings (1 CRITICAL, 2 HIGH, 3 MEDIUM, 2 LOW) open in {Account}; 8 open now", run.StdoutLines[^1]);
    }

    [Fact]
    public void Resolved_findings_are_the_ones_the_fixed_revision_no_longer_shows()
    {
        var run = CliRun.Of("findings", "--state-file", state.Path, "--status", "resolved");

        Assert.Equal(0, run.ExitCode);
        var heads = run.StdoutLines.Where(l => l.StartsWith("HIGH", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, heads.Count);
        Assert.All(heads, h => Assert.StartsWith("HIGH      RESOLVED    billing-worker  ERA020", h, StringComparison.Ordinal));
        Assert.Contains(", resolved 20", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_every_field_of_every_finding()
    {
        var run = CliRun.Of("findings", "--state-file", state.Path, "--status", "all", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal([Account], root.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("ALL", root.GetProperty("status").GetString());
        Assert.Equal(8, root.GetProperty("openNow").GetInt32());
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(10, findings.Count);
        string[] fields = ["fingerprint", "severity", "status", "account", "region", "family", "ruleId", "title", "roleSlot", "roleArn", "source", "message", "firstSeen", "lastSeen", "resolvedAt", "lastAlerted", "evidenceRevision"];
        Assert.All(findings, f => Assert.Equal(fields, f.EnumerateObject().Select(p => p.Name)));
        // Sorted by status first: the open ones, then the resolved ones.
        Assert.Equal([.. Enumerable.Repeat("OPEN", 8), "RESOLVED", "RESOLVED"], findings.Select(f => f.GetProperty("status").GetString()));
        var resolved = findings[^1];
        Assert.Equal(("billing-worker", "ERA020", 13), (resolved.GetProperty("family").GetString(), resolved.GetProperty("ruleId").GetString(), resolved.GetProperty("evidenceRevision").GetInt32()));
        Assert.Equal("Execution role grants permissions the ECS agent does not use", resolved.GetProperty("title").GetString());
        Assert.NotNull(resolved.GetProperty("resolvedAt").GetString());
        Assert.Equal(JsonValueKind.Null, findings[0].GetProperty("resolvedAt").ValueKind);
    }

    [Theory]
    [InlineData(new[] { "--family", "billing-worker", "--rule", "era022" }, 1)]
    [InlineData(new[] { "--min-severity", "high" }, 3)]
    [InlineData(new[] { "--since", "1d" }, 8)]
    [InlineData(new[] { "--since", "2999-01-01" }, 0)]
    [InlineData(new[] { "--since", "2000-01-01T00:00Z" }, 8)]
    [InlineData(new[] { "--account", "999999999999" }, 0)]
    [InlineData(new[] { "--account", Account, "--status", "all" }, 10)]
    public void Filters_narrow_the_listing(string[] filter, int expected)
    {
        var run = CliRun.Of(["findings", "--state-file", state.Path, "--format", "json", .. filter]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(expected, json.RootElement.GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public void History_shows_the_finding_open_then_resolved()
    {
        var fingerprint = ResolvedFingerprint();

        var table = CliRun.Of("findings", "history", fingerprint, "--state-file", state.Path);
        var json = CliRun.Of("findings", "history", fingerprint, "--state-file", state.Path, "--format", "json");

        Assert.Equal((0, 0), (table.ExitCode, json.ExitCode));
        Assert.Equal($"Finding {fingerprint}", table.StdoutLines[0]);
        Assert.Matches(@"^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC +OPEN +HIGH +12$", table.StdoutLines[2]);
        Assert.Matches(@"^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC +RESOLVED +HIGH +13$", table.StdoutLines[3]);
        using var document = JsonDocument.Parse(json.Stdout);
        var changes = document.RootElement.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal([("OPEN", 12), ("RESOLVED", 13)], changes.Select(c => (c.GetProperty("status").GetString(), c.GetProperty("revision").GetInt32())));
    }

    [Fact]
    public void Csv_quotes_every_field_defuses_formulas_and_shows_hidden_characters()
    {
        var path = state.Hostile(_scratch, Hostile, HostileMessage);

        var run = CliRun.Of("findings", "--state-file", path, "--format", "csv");

        Assert.Equal(0, run.ExitCode);
        var rows = run.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, rows.Length);
        Assert.StartsWith("\"severity\",\"status\",\"account\",", rows[0], StringComparison.Ordinal);
        Assert.Contains(",\"'=cmd|' /C calc'!A0 \\u202egnp.exe\",", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(",\"<script>alert(1)</script> | `rm` \\x1b[31mred\\r\\nsecond line\",", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stdout);
        // No field begins unquoted: the formula is inside the quotes, behind the apostrophe.
        Assert.DoesNotContain(",=", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_escapes_control_and_bidi_characters()
    {
        var path = state.Hostile(_scratch, Hostile, HostileMessage);

        var run = CliRun.Of("findings", "--state-file", path);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain('\u202E', run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.DoesNotContain('\r', run.Stdout);
        Assert.Contains("=cmd|' /C calc'!A0 \\u202egnp.exe", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("    message:     <script>alert(1)</script> | `rm` \\x1b[31mred\\r\\nsecond line\n", run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_escapes_pipes_backticks_and_line_breaks()
    {
        var path = state.Hostile(_scratch, Hostile, HostileMessage);

        var run = CliRun.Of("findings", "--state-file", path, "--format", "markdown");

        Assert.Equal(0, run.ExitCode);
        var row = Assert.Single(run.StdoutLines, l => l.Contains("calc", StringComparison.Ordinal));
        // Eleven cells: no pipe from the input opens another.
        Assert.Equal(11, row.Split(" | ").Length);
        Assert.Contains("=cmd\\|' /C calc'!A0 \\\\u202egnp.exe", row, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\`rm\\` \\\\x1b\\[31mred<br>second line", row, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', run.Stdout);
    }

    [Fact]
    public void The_html_page_encodes_everything_from_the_store_and_needs_nothing_outside_itself()
    {
        var path = state.Hostile(_scratch, Hostile, HostileMessage);

        var run = CliRun.Of("findings", "--state-file", path, "--status", "all", "--format", "html");

        Assert.Equal(0, run.ExitCode);
        var html = run.Stdout;
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\u202E', html);
        Assert.DoesNotContain('\u001b', html);
        Assert.Contains("=cmd|&#x27; /C calc&#x27;!A0 \\u202egnp.exe", html, StringComparison.Ordinal);
        // Self-contained: no stylesheet, script, image, font or frame to fetch.
        foreach (var external in new[] { "<link", "src=", "href=", "@import", "url(", "<iframe", "<img" })
        {
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("@page { size: A4;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_page_shows_the_counts_the_groups_the_trend_and_the_rules_advice()
    {
        var run = CliRun.Of("findings", "--state-file", state.Path, "--format", "html", "--days", "7");

        Assert.Equal(0, run.ExitCode);
        var html = run.Stdout;
        Assert.Contains($"<p class=\"meta\">Account {Account} · state file {state.Path}", html, StringComparison.Ordinal);
        Assert.Contains("<li>open now<span class=\"n\">8</span></li>", html, StringComparison.Ordinal);
        Assert.Contains("<li><span class=\"sev sev-high\">HIGH</span><span class=\"n\">2</span></li>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Open findings</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h3 class=\"sev sev-critical\">CRITICAL (1)</h3>", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("sev-critical\">CRITICAL (1)", StringComparison.Ordinal) < html.IndexOf("sev-medium\">MEDIUM (3)", StringComparison.Ordinal));
        Assert.Contains("<h4>billing-worker <span class=\"note\">(account 111122223333, eu-west-1)</span></h4>", html, StringComparison.Ordinal);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // The sweep opened 9 findings today, the fixed revision one more and resolved 2.
        Assert.Contains($"<tr><td>{today}</td><td class=\"num\">10</td><td class=\"num\">2</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("10 opened and 2 resolved in these 7 days; 8 open now.", html, StringComparison.Ordinal);
        Assert.Contains("<dt><strong>ERA041</strong> Role can escalate its privileges</dt><dd>", html, StringComparison.Ordinal);
        Assert.Contains("<code>ecs-role-auditor audit --live --task-definition FAMILY</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_state_file_is_a_one_line_error_naming_it()
    {
        var missing = _scratch.PathOf("missing.json");

        var run = CliRun.Of("findings", "--state-file", missing);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{missing}: no such findings state file", line, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Theory]
    [InlineData(new[] { "--status", "closed" }, "--status must be open, resolved, suppressed or all, not 'closed'")]
    [InlineData(new[] { "--since", "last week" }, "--since must be an ISO date (2026-12-01), a time with its offset (2026-12-01T08:00Z) or a duration (7d, 12h, 2w), not 'last week'")]
    [InlineData(new[] { "--since", "2026-13-40" }, "--since must be an ISO date")]
    [InlineData(new[] { "--since", "2026-12-01T08:00" }, "--since must be an ISO date")]
    [InlineData(new[] { "--format", "pdf" }, "--format must be table, json, csv, markdown or html, not 'pdf'")]
    [InlineData(new[] { "--rule", "20" }, "--rule must be a rule ID such as ERA020, not '20'")]
    [InlineData(new[] { "--min-severity", "urgent" }, "--min-severity must be CRITICAL, HIGH, MEDIUM, LOW or INFO, not 'urgent'")]
    [InlineData(new[] { "--account", "1234" }, "--account must be a 12-digit AWS account ID, not '1234'")]
    [InlineData(new[] { "--days", "0", "--format", "html" }, "--days must be from 1 to 400, not 0")]
    [InlineData(new[] { "--live" }, "findings needs one store: --state-file FILE, or --live")]
    [InlineData(new[] { "--region", "eu-west-1" }, "--state-table, --region, --profile, --assume-role and --request-timeout go with --live")]
    public void Bad_options_are_one_line_errors_with_exit_code_2(string[] options, string expected)
    {
        var run = CliRun.Of(["findings", "--state-file", state.Path, .. options]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Live_needs_the_table_and_the_account_before_anything_is_read()
    {
        var noAccount = CliRun.Of("findings", "--live", "--state-table", "ecs-role-auditor-state");
        var unknown = CliRun.Of("findings", "history", "fp1-00000000000000000000000000000000", "--state-file", state.Path);

        Assert.Equal(2, noAccount.ExitCode);
        Assert.Contains("findings --live needs --account ID", noAccount.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no history of finding 'fp1-00000000000000000000000000000000'", unknown.Stderr, StringComparison.Ordinal);
    }

    private string ResolvedFingerprint()
    {
        using var json = JsonDocument.Parse(CliRun.Of("findings", "--state-file", state.Path, "--status", "resolved", "--format", "json").Stdout);
        return json.RootElement.GetProperty("findings")[0].GetProperty("fingerprint").GetString()!;
    }
}
