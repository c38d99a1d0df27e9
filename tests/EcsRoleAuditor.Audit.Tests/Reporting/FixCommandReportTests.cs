using System.Collections.Immutable;
using System.Diagnostics;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

/// <summary>
/// The fix command the table and Markdown reports name once per task definition: only when fix settles one of its
/// findings (<see cref="FixCoverage"/>), from the source file when it is known, in the task definition's account in a run
/// of several, and quoted so that a pasted command runs nothing else.
/// </summary>
public sealed class FixCommandReportTests
{
    private const string Lead = "Write the least-privilege execution role";
    private const string Arn = "arn:aws:ecs:eu-central-1:444455556666:task-definition/web:3";

    private static Finding Finding(RuleDescriptor rule, RoleSlot slot) => new()
    {
        Rule = rule,
        Severity = Severity.High,
        RoleArn = slot == RoleSlot.Task ? "arn:aws:iam::444455556666:role/web-task" : "arn:aws:iam::444455556666:role/web-execution",
        RoleSlot = slot,
        Source = new FindingSource(SourceKind.InlinePolicy, "app"),
        Statement = "#0",
        Actions = ["s3:*"],
        Resources = ["*"],
        Message = "The role allows s3:*.",
        Remediation = "Name the actions the role needs.",
    };

    private static TaskDefinitionReport Report(string family, params Finding[] findings) =>
        new(Arn.Replace("/web:", $"/{family}:", StringComparison.Ordinal), family, 3,
            "arn:aws:iam::444455556666:role/web-task", "arn:aws:iam::444455556666:role/web-execution", [.. findings]);

    private static string Render(ReportFormat format, ReportOptions options, params TaskDefinitionReport[] reports) =>
        ReportSamples.Render(new AuditReport([.. reports]), format, options);

    [Theory]
    [InlineData("ERA042", RoleSlot.Execution, true)]
    [InlineData("ERA042", RoleSlot.Task, false)]
    [InlineData("ERA041", RoleSlot.TaskDefinition, false)]
    [InlineData("ERA001", RoleSlot.TaskDefinition, true)]
    [InlineData("ERA002", RoleSlot.Execution, true)]
    [InlineData("ERA002", RoleSlot.Task, false)]
    [InlineData("ERA012", RoleSlot.Execution, true)]
    [InlineData("ERA012", RoleSlot.Task, false)]
    [InlineData("ERA021", RoleSlot.Execution, true)]
    [InlineData("ERA030", RoleSlot.Task, false)]
    [InlineData("ERA005", RoleSlot.Execution, false)]
    [InlineData("ERA047", RoleSlot.Execution, false)]
    public void Fix_settles_findings_on_the_execution_role_and_a_shared_role_but_nothing_on_the_task_role(string rule, RoleSlot slot, bool settles)
    {
        var descriptor = RuleCatalog.All.Select(r => r.Descriptor).Single(d => d.Id == rule);

        Assert.Equal(settles, FixCoverage.Settles(Finding(descriptor, slot)));
    }

    [Fact]
    public void Every_rule_fix_settles_is_in_the_catalog_and_none_is_an_incomplete_audit()
    {
        var catalog = RuleCatalog.All.Select(r => r.Descriptor).ToHashSet();

        Assert.All(FixCoverage.OnExecutionRole.Concat(FixCoverage.OnTaskDefinition), d => Assert.Contains(d, catalog));
        Assert.DoesNotContain(FixCoverage.OnExecutionRole.Concat(FixCoverage.OnTaskDefinition), d => d.MarksAuditIncomplete);
    }

    [Theory]
    [InlineData(ReportFormat.Table)]
    [InlineData(ReportFormat.Markdown)]
    public void A_task_role_only_breadth_finding_names_no_fix_command(ReportFormat format)
    {
        var output = Render(format, ReportOptions.Default, Report("web", Finding(ServiceWideWildcardRule.Rule, RoleSlot.Task)));

        Assert.Contains("ERA042", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Lead, output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_names_the_command_once_after_the_findings_of_each_task_definition_it_settles()
    {
        var output = Render(ReportFormat.Table, ReportOptions.Default,
            Report("web", Finding(ServiceWideWildcardRule.Rule, RoleSlot.Execution), Finding(WriteOnAnyResourceRule.Rule, RoleSlot.Execution)),
            Report("api", Finding(ServiceWideWildcardRule.Rule, RoleSlot.Task)));

        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var at = Array.IndexOf(lines, $"  {Lead}:");
        Assert.Equal(at, Array.LastIndexOf(lines, $"  {Lead}:"));
        Assert.Equal("    ecs-role-auditor fix --live --task-definition web:3 --region eu-central-1", lines[at + 1]);
        Assert.Equal("", lines[at + 2]);
        Assert.StartsWith("api:3", lines[at + 3], StringComparison.Ordinal);
    }

    [Fact]
    public void A_suppressed_finding_alone_names_no_command()
    {
        var suppressed = Finding(ServiceWideWildcardRule.Rule, RoleSlot.Execution) with { Suppressed = true, SuppressionReason = "accepted" };

        Assert.DoesNotContain(Lead, Render(ReportFormat.Table, ReportOptions.Default, Report("web", suppressed)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_definition_read_from_a_file_names_the_offline_command_with_that_file()
    {
        var options = new ReportOptions { SourceFiles = ImmutableDictionary<string, string>.Empty.Add(Arn, "task defs/web.json") };

        var table = Render(ReportFormat.Table, options, Report("web", Finding(MissingNeededPermissionRule.Rule, RoleSlot.Execution)));

        Assert.Contains("\n    ecs-role-auditor fix --task-definitions 'task defs/web.json' --task-definition web:3\n", table.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_run_of_several_accounts_the_command_assumes_the_reader_role_in_the_task_definitions_account()
    {
        var options = new ReportOptions { ReaderRoleName = "EcsRoleAuditorReader" };

        var markdown = Render(ReportFormat.Markdown, options, Report("web", Finding(SameRoleForTaskAndExecutionRule.Rule, RoleSlot.TaskDefinition)));

        Assert.Contains(
            $"\n**{Lead}:**\n\n```sh\n"
            + "ecs-role-auditor fix --live --task-definition web:3 --region eu-central-1 --assume-role arn:aws:iam::444455556666:role/EcsRoleAuditorReader\n"
            + "```\n",
            markdown.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_results_fix_settles_carry_the_command_in_their_property_bag_and_the_others_do_not()
    {
        var sarif = Render(ReportFormat.Sarif, ReportOptions.Default,
            Report("web", Finding(ServiceWideWildcardRule.Rule, RoleSlot.Execution), Finding(ServiceWideWildcardRule.Rule, RoleSlot.Task)));

        using var document = System.Text.Json.JsonDocument.Parse(sarif);
        var properties = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r => r.GetProperty("properties")).ToList();
        Assert.Equal("ecs-role-auditor fix --live --task-definition web:3 --region eu-central-1", properties[0].GetProperty("fixCommand").GetString());
        Assert.False(properties[1].TryGetProperty("fixCommand", out _));
    }

    [Fact]
    public void ERA005s_audit_again_command_comes_from_the_same_home()
    {
        Assert.Equal("ecs-role-auditor audit --live", CommandLines.AuditLive(null, null));
        Assert.Equal("ecs-role-auditor audit --live --accounts 444455556666 --region eu-central-1", CommandLines.AuditLive("444455556666", "eu-central-1"));
    }

    [Theory]
    [InlineData("web:3", "web:3")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", @"'it'\''s'")]
    [InlineData("$(touch x)", "'$(touch x)'")]
    [InlineData("`id`;rm -rf ~", "'`id`;rm -rf ~'")]
    public void Arguments_are_quoted_for_a_posix_shell_only_when_they_need_it(string argument, string quoted)
    {
        Assert.Equal(quoted, CommandLines.Quote(argument));
    }

    [Theory]
    [InlineData(ReportFormat.Table)]
    [InlineData(ReportFormat.Markdown)]
    public void A_hostile_family_pasted_into_a_shell_is_one_argument_and_runs_nothing(ReportFormat format)
    {
        var folder = Directory.CreateTempSubdirectory("fix-quoting");
        try
        {
            var marker = Path.Combine(folder.FullName, "pwned");
            var family = $"web $(touch {marker})'s \"x\" `touch {marker}` ;touch {marker}";
            var output = Render(format, ReportOptions.Default, Report(family, Finding(ServiceWideWildcardRule.Rule, RoleSlot.Execution)));
            var command = output.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("ecs-role-auditor fix ", StringComparison.Ordinal));

            // The command as pasted, with printf in place of the tool: the shell hands it the arguments it parsed.
            var words = Shell("printf '%s\\n'" + command["ecs-role-auditor fix".Length..]);

            Assert.Equal(["--live", "--task-definition", $"{family}:3", "--region", "eu-central-1"], words);
            Assert.False(File.Exists(marker));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string[] Shell(string script)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true })!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();
        Assert.Equal(0, shell.ExitCode);
        return output.TrimEnd('\n').Split('\n');
    }
}
