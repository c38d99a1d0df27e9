using System.Text;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>The Security Hub client against the fake AWS: import, read back by filters and pages, update, and the fake's faults.</summary>
public sealed class SecurityHubTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    private const string ProductArn = $"arn:aws:securityhub:{FakeAwsFixture.Region}:{FakeAwsFixture.AccountId}:product/{FakeAwsFixture.AccountId}/default";
    private static readonly CancellationToken None = CancellationToken.None;

    private static ReadOnlyMemory<byte> Finding(string id, string rule, string fingerprint, string updatedAt = "2026-12-01T10:00:00Z") => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["SchemaVersion"] = "2018-10-08",
        ["Id"] = id,
        ["ProductArn"] = ProductArn,
        ["GeneratorId"] = rule,
        ["AwsAccountId"] = FakeAwsFixture.AccountId,
        ["Types"] = new JsonArray("Software and Configuration Checks/AWS Security Best Practices"),
        ["CreatedAt"] = "2026-12-01T10:00:00Z",
        ["UpdatedAt"] = updatedAt,
        ["Severity"] = new JsonObject { ["Label"] = "HIGH" },
        ["Title"] = $"{rule} on {id}",
        ["Description"] = "A finding of the auditor.",
        ["Resources"] = new JsonArray(new JsonObject { ["Type"] = "AwsIamRole", ["Id"] = $"arn:aws:iam::{FakeAwsFixture.AccountId}:role/{id}" }),
        ["ProductFields"] = new JsonObject { ["era/fingerprint"] = fingerprint },
        ["Compliance"] = new JsonObject { ["Status"] = "FAILED" },
    }.ToJsonString());

    private static SecurityHubFindingsQuery Ours(int maxResults = 100) => new([new("ProductArn", ProductArn)], [new("GeneratorId", "ERA")], [], maxResults);

    [Fact]
    public async Task Imported_findings_are_read_back_page_by_page_and_updated()
    {
        var server = fixture.Fresh();
        server.MaxPageSize = 1;
        using var aws = fixture.Connect();
        var broken = Encoding.UTF8.GetBytes("""{"SchemaVersion":"2018-10-08","Id":"broken"}""");

        var imported = await aws.SecurityHub.BatchImportFindingsAsync([Finding("web", "ERA030", "f-1"), Finding("worker", "ERA031", "f-2"), broken], None);
        var found = new List<SecurityHubFinding>();
        await foreach (var page in Pages.ReadAllAsync(AwsActions.GetFindings, (token, ct) => aws.SecurityHub.GetFindingsAsync(Ours(), token, ct), None))
        {
            found.AddRange(page.Findings);
        }
        var byFingerprint = await aws.SecurityHub.GetFindingsAsync(new SecurityHubFindingsQuery([], [], [new("era/fingerprint", "f-2")]), null, None);
        var updated = await aws.SecurityHub.BatchUpdateFindingsAsync(new SecurityHubFindingsUpdate([new("web", ProductArn), new("absent", ProductArn)], "RESOLVED", "fixed", "ecs-role-auditor"), None);

        Assert.Equal(2, imported.SuccessCount);
        Assert.Equal(("broken", "InvalidInput"), (Assert.Single(imported.Failed).Id, imported.Failed[0].ErrorCode));
        Assert.Equal(["web", "worker"], found.Select(f => f.Id));
        Assert.Equal(("ERA030", "ACTIVE", "FAILED", "NEW"), (found[0].GeneratorId, found[0].RecordState, found[0].ComplianceStatus, found[0].WorkflowStatus));
        Assert.Equal([$"arn:aws:iam::{FakeAwsFixture.AccountId}:role/web"], found[0].ResourceIds);
        Assert.Equal("worker", Assert.Single(byFingerprint.Findings).Id);
        Assert.Equal([new SecurityHubFindingId("web", ProductArn)], updated.Processed);
        Assert.Equal(("absent", "FindingNotFound"), (Assert.Single(updated.Unprocessed).Id, updated.Unprocessed[0].ErrorCode));
        var stored = server.SecurityHub.Findings(FakeAwsFixture.AccountId, FakeAwsFixture.Region).Single(f => f.Id == "web").Node;
        Assert.Equal(("RESOLVED", "ecs-role-auditor"), (stored["Workflow"]!["Status"]!.GetValue<string>(), stored["Note"]!["UpdatedBy"]!.GetValue<string>()));
        Assert.Equal(3, server.CallCount("GetFindings")); // two pages of one, then the fingerprint query
    }

    [Fact]
    public async Task A_throttled_import_is_retried_and_counted_per_attempt()
    {
        var server = fixture.Fresh();
        server.Faults.Throttle("BatchImportFindings", times: 1);
        using var aws = fixture.Connect();
        var counter = new ApiCallCounter();

        SecurityHubImportResult result;
        using (ApiCallCounting.Begin(counter))
        {
            result = await aws.SecurityHub.BatchImportFindingsAsync([Finding("web", "ERA030", "f-1")], None);
        }

        Assert.Equal(1, result.SuccessCount);
        Assert.Equal(2, server.CallCount("BatchImportFindings"));
        Assert.Equal("2 AWS API calls (securityhub:BatchImportFindings 2)", counter.ToString());
    }

    [Fact]
    public async Task Without_security_hub_reads_fail_once_as_invalid_access_and_imports_fail_per_finding()
    {
        var server = fixture.Fresh();
        server.SecurityHub.Disable(FakeAwsFixture.AccountId, FakeAwsFixture.Region);
        using var aws = fixture.Connect();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.SecurityHub.GetFindingsAsync(Ours(), null, None));
        var imported = await aws.SecurityHub.BatchImportFindingsAsync([Finding("web", "ERA030", "f-1")], None);

        Assert.Equal("InvalidAccessException", error.ErrorCode);
        Assert.Equal(AwsFailureKind.AccessDenied, AwsFailure.From(error, AwsActions.GetFindings, "findings").Kind);
        Assert.Equal(1, server.CallCount("GetFindings"));
        Assert.Equal((0, "InvalidAccess"), (imported.SuccessCount, Assert.Single(imported.Failed).ErrorCode));
    }

    [Fact]
    public async Task A_later_import_of_a_finding_updates_it_and_keeps_its_workflow()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        await aws.SecurityHub.BatchImportFindingsAsync([Finding("web", "ERA030", "f-1")], None);
        await aws.SecurityHub.BatchUpdateFindingsAsync(new SecurityHubFindingsUpdate([new("web", ProductArn)], "SUPPRESSED", null, null), None);

        await aws.SecurityHub.BatchImportFindingsAsync([Finding("web", "ERA030", "f-9", updatedAt: "2026-12-02T10:00:00Z")], None);
        var page = await aws.SecurityHub.GetFindingsAsync(Ours(), null, None);

        var finding = Assert.Single(page.Findings);
        Assert.Equal(("f-9", "SUPPRESSED", new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)), (finding.ProductFields["era/fingerprint"], finding.WorkflowStatus, finding.UpdatedAt));
        Assert.Equal(4, server.Calls.All.Count);
    }
}
