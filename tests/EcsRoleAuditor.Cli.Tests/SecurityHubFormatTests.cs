using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>audit --format asff</c> end to end: lines that <c>aws securityhub batch-import-findings --findings file://…</c>
/// takes, within BatchImportFindings' limits (AWS Security Hub API Reference, "BatchImportFindings":
/// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html).
/// </summary>
public sealed class SecurityHubFormatTests : IDisposable
{
    private readonly ScratchFolder _dir = new("era-asff-");

    public void Dispose() => _dir.Dispose();

    private static List<JsonElement[]> Batches(CliRun run) =>
        [.. run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone().EnumerateArray().ToArray())];

    private static IEnumerable<(string Family, string Rule)> JsonFindings(CliRun json, Func<JsonElement, bool> where) =>
        JsonDocument.Parse(json.Stdout).RootElement.GetProperty("reports").EnumerateArray()
            .SelectMany(r => r.GetProperty("findings").EnumerateArray().Where(where).Select(f => (r.GetProperty("family").GetString()!, f.GetProperty("ruleId").GetString()!)));

    [Fact]
    public void The_demo_files_import_every_finding_above_info_in_one_call()
    {
        var asff = CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--format", "asff");
        var json = CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--format", "json");

        Assert.Equal(json.ExitCode, asff.ExitCode); // the format changes what is printed, not the verdict
        var batch = Assert.Single(Batches(asff));
        var expected = JsonFindings(json, f => f.GetProperty("severity").GetString() != "INFO").Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, batch.Select(f => (f.GetProperty("ProductFields").GetProperty("ecs-role-auditor/family").GetString()!, f.GetProperty("GeneratorId").GetString()!)).Order());
        Assert.All(batch, f =>
        {
            Assert.Equal("arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default", f.GetProperty("ProductArn").GetString());
            Assert.Equal("ACTIVE", f.GetProperty("RecordState").GetString());
            Assert.NotEqual("INFORMATIONAL", f.GetProperty("Severity").GetProperty("Label").GetString());
            Assert.StartsWith("fp1-", f.GetProperty("Id").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(batch.Length, batch.Select(f => f.GetProperty("Id").GetString()).Distinct().Count());
    }

    [Fact]
    public void The_demo_command_takes_the_format_too()
    {
        var run = CliRun.Of("demo", "--format", "asff");

        Assert.Equal(0, run.ExitCode);
        Assert.Single(Batches(run));
    }

    [Fact]
    public void More_findings_than_one_call_takes_split_into_lines_of_at_most_100()
    {
        // The demo's legacy-reports under many family names: the same findings, each family its own ids.
        var template = JsonNode.Parse(File.ReadAllText(DemoFiles.TaskDefinitions))!.AsArray()[2]!;
        var copies = new JsonArray();
        for (var i = 0; i < 30; i++)
        {
            var copy = template.DeepClone();
            copy["taskDefinition"]!["family"] = $"legacy-reports-{i}";
            copy["taskDefinition"]!["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:111122223333:task-definition/legacy-reports-{i}:3";
            copies.Add(copy);
        }
        var file = _dir.Write("many.json", copies.ToJsonString());
        var single = Batches(CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--format", "asff"))[0]
            .Count(f => f.GetProperty("ProductFields").GetProperty("ecs-role-auditor/family").GetString() == "legacy-reports");

        var run = CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", file, "--format", "asff");

        var batches = Batches(run);
        Assert.True(30 * single > SecurityHubLimits.MaxFindingsPerImport, $"{30 * single} findings");
        Assert.Equal(30 * single, batches.Sum(b => b.Length));
        Assert.All(batches.SkipLast(1), b => Assert.Equal(SecurityHubLimits.MaxFindingsPerImport, b.Length));
        Assert.All(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= SecurityHubLimits.MaxImportBytes));
    }

    [Theory]
    [InlineData("--cloudformation")]
    [InlineData("--terraform-plan")]
    public void Infrastructure_code_is_refused_in_one_line(string option)
    {
        var run = CliRun.Of("audit", option, "does-not-matter.yaml", "--format", "asff");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--format asff", line, StringComparison.Ordinal);
        Assert.Contains("infrastructure code is not deployed", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_definition_without_an_arn_is_a_one_line_error_naming_it()
    {
        var definitions = JsonNode.Parse(File.ReadAllText(DemoFiles.TaskDefinitions))!.AsArray();
        definitions[2]!["taskDefinition"]!.AsObject().Remove("taskDefinitionArn");
        var file = _dir.Write("no-arn.json", definitions.ToJsonString());

        var run = CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", file, "--format", "asff");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("task definition legacy-reports", line, StringComparison.Ordinal);
        Assert.Contains("has no ARN", line, StringComparison.Ordinal);
    }
}
