using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Reporting.SecurityHub;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>
/// What <c>audit --format asff</c> prints (the same writer, on the demo account) goes into Security Hub unchanged with
/// the AWS CLI, one line per file, as docs/security-hub.md tells users to: every finding accepted by the fake's ASFF
/// checks ("Required attributes", "BatchImportFindings", AWS Security Hub User Guide), and read back as imported.
/// </summary>
public sealed class AsffThroughAwsCliTests
{
    private static string Demo(string file) => Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", file);

    private static async Task<string[]> AsffLinesAsync()
    {
        using var account = RecordedAccount.Read(JsonDocument.Parse(await File.ReadAllTextAsync(Demo("account.json"))).RootElement, "account.json");
        using var definitions = JsonDocument.Parse(await File.ReadAllTextAsync(Demo("task-definitions.json")));
        var auditor = Auditor.WithAllRules([]);
        var reports = new List<TaskDefinitionReport>();
        foreach (var definition in TaskDefinitionReader.Read(definitions.RootElement, "task-definitions.json"))
        {
            reports.Add(await auditor.AuditAsync(definition, account));
        }
        var output = new StringWriter();
        ReportWriters.Write(new AuditReport([.. reports]), [.. RuleCatalog.All.Select(r => r.Descriptor)], ReportFormat.Asff, output, new ReportOptions
        {
            ObservedAt = new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.Zero),
            SecurityHubLimits = Aws.Api.SecurityHubLimits.Import,
        });
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Every_batch_the_asff_format_prints_is_imported_whole_by_aws_securityhub_batch_import_findings()
    {
        var lines = await AsffLinesAsync();
        await using var aws = await FakeAwsServer.StartAsync(new FakeAccount { AccountId = "111122223333", Region = "eu-west-1" });
        var expected = lines.Sum(l => JsonNode.Parse(l)!.AsArray().Count);

        var accepted = 0;
        foreach (var line in lines)
        {
            var file = Path.GetTempFileName();
            try
            {
                await File.WriteAllTextAsync(file, line);
                var result = (await AwsCli.RunAsync(aws, "securityhub", "batch-import-findings", "--findings", $"file://{file}")).Json();
                Assert.Equal(0, result["FailedCount"]!.GetValue<int>());
                accepted += result["SuccessCount"]!.GetValue<int>();
            }
            finally
            {
                File.Delete(file);
            }
        }

        Assert.True(expected > 5, $"the demo should give several findings, got {expected}");
        Assert.Equal(expected, accepted);
        var held = aws.SecurityHub.Findings("111122223333", "eu-west-1");
        Assert.Equal(expected, held.Count);
        Assert.All(held, f => Assert.Equal("ACTIVE", f.Node["RecordState"]!.GetValue<string>()));
        Assert.All(held, f => Assert.StartsWith("ERA0", f.Node["GeneratorId"]!.GetValue<string>(), StringComparison.Ordinal));
        var read = (await AwsCli.RunAsync(aws, "securityhub", "get-findings", "--filters", """{"Id":[{"Value":"fp1-","Comparison":"PREFIX"}]}""")).Json();
        Assert.Equal(expected, read["Findings"]!.AsArray().Count);
    }
}
