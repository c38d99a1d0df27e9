using System.Text.Json.Nodes;
using static EcsRoleAuditor.FakeAws.Tests.SecurityHubServer;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>
/// Security Hub through the AWS CLI (botocore's restJson1 client of securityhub 2018-10-26): the CLI's requests reach the
/// fake's routes and the CLI reads its answers and errors. Commands: "batch-import-findings", "get-findings",
/// "batch-update-findings" (AWS CLI Command Reference, https://docs.aws.amazon.com/cli/latest/reference/securityhub/).
/// </summary>
public sealed class SecurityHubCliTests
{
    [Fact]
    public async Task Batch_import_findings_from_a_file_then_get_findings_reads_them_back()
    {
        await using var aws = await StartAsync();
        var file = Path.GetTempFileName();
        try
        {
            var broken = Finding("broken");
            broken["Title"] = new string('t', 257); // the CLI checks only what its model says; the 256 limit is the service's
            await File.WriteAllTextAsync(file, new JsonArray(Finding(), broken).ToJsonString());

            var imported = (await AwsCli.RunAsync(aws, "securityhub", "batch-import-findings", "--findings", $"file://{file}")).Json();
            var found = (await AwsCli.RunAsync(
                aws, "securityhub", "get-findings",
                "--filters", """{"GeneratorId":[{"Value":"ERA0","Comparison":"PREFIX"}],"ProductFields":[{"Key":"era/rule","Value":"ERA030","Comparison":"EQUALS"}]}""",
                "--max-items", "10")).Json();

            Assert.Equal((1, 1), (imported["SuccessCount"]!.GetValue<int>(), imported["FailedCount"]!.GetValue<int>()));
            Assert.Equal(("broken", "InvalidInput"), (imported["FailedFindings"]![0]!["Id"]!.GetValue<string>(), imported["FailedFindings"]![0]!["ErrorCode"]!.GetValue<string>()));
            var finding = Assert.Single(found["Findings"]!.AsArray())!;
            Assert.Equal(("era/ERA030/orders-api", ProductArn, "NEW"), (finding["Id"]!.GetValue<string>(), finding["ProductArn"]!.GetValue<string>(), finding["Workflow"]!["Status"]!.GetValue<string>()));
            var import = aws.Calls.All[0];
            Assert.Equal(("securityhub", "BatchImportFindings", Region, "securityhub"), (import.Service, import.Operation, import.Scope!.Region, import.Scope.Service));
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The CLI pages GetFindings itself (NextToken) unless told not to; the fake's small pages make it follow them.
    [Fact]
    public async Task Get_findings_through_the_cli_follows_next_tokens()
    {
        await using var aws = await StartAsync();
        for (var i = 0; i < 5; i++)
        {
            aws.SecurityHub.Seed(Account, Region, Finding($"f{i}").ToJsonString());
        }
        aws.MaxPageSize = 2;

        var found = (await AwsCli.RunAsync(aws, "securityhub", "get-findings")).Json();

        Assert.Equal(["f0", "f1", "f2", "f3", "f4"], found["Findings"]!.AsArray().Select(f => f!["Id"]!.GetValue<string>()));
        Assert.Equal(3, aws.CallCount("GetFindings"));
    }

    [Fact]
    public async Task Batch_update_findings_and_errors_read_by_the_cli()
    {
        await using var aws = await StartAsync();
        aws.SecurityHub.Seed(Account, Region, Finding().ToJsonString());

        var updated = (await AwsCli.RunAsync(
            aws, "securityhub", "batch-update-findings",
            "--finding-identifiers", $"Id=era/ERA030/orders-api,ProductArn={ProductArn}",
            "--workflow", "Status=SUPPRESSED",
            "--note", "Text=accepted,UpdatedBy=cli")).Json();
        aws.SecurityHub.Disable(Account, Region);
        var refused = await AwsCli.RunAsync(aws, "securityhub", "get-findings");

        Assert.Equal("era/ERA030/orders-api", Assert.Single(updated["ProcessedFindings"]!.AsArray())!["Id"]!.GetValue<string>());
        Assert.Equal("SUPPRESSED", aws.SecurityHub.Findings(Account, Region)[0].Node["Workflow"]!["Status"]!.GetValue<string>());
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("InvalidAccessException", refused.Stderr, StringComparison.Ordinal);
    }
}
