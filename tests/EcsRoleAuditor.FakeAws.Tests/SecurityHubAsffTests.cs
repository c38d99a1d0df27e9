using System.Text.Json.Nodes;
using static EcsRoleAuditor.FakeAws.Tests.SecurityHubServer;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>
/// The fake's BatchImportFindings checks each finding against the AWS Security Finding Format. Sources: "Required
/// top-level ASFF attributes" (Security Hub User Guide, https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html),
/// "AwsSecurityFinding" (API Reference, https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html:
/// the length constraints), "Resource", "Recommendation", "Note", "Severity", "FindingProviderFields" (API Reference)
/// and the types taxonomy of "AWS Security Finding Format (ASFF)". Each rule is pinned on both sides: the limit
/// accepted, one past it refused, so loosening or tightening a rule turns a test red.
/// </summary>
public sealed class SecurityHubAsffTests
{
    private static string Text(int length) => new('x', length);

    private static JsonArray Resources(int count) =>
        [.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["Type"] = "AwsIamRole", ["Id"] = $"arn:aws:iam::{Account}:role/r{i}" })];

    private static JsonObject Pairs(int count, int keyLength, int valueLength) =>
        new(Enumerable.Range(0, count).Select(i => KeyValuePair.Create($"{i:D3}{Text(keyLength - 3)}", (JsonNode?)Text(valueLength))));

    private static readonly Dictionary<string, Action<JsonObject>> Broken = new()
    {
        ["SchemaVersion other than 2018-10-08"] = f => f["SchemaVersion"] = "2018-10-09",
        ["no SchemaVersion"] = f => f.Remove("SchemaVersion"),
        ["no Id"] = f => f.Remove("Id"),
        ["Id of 513 characters"] = f => f["Id"] = Text(513),
        ["no GeneratorId"] = f => f.Remove("GeneratorId"),
        ["GeneratorId of 513 characters"] = f => f["GeneratorId"] = Text(513),
        ["no AwsAccountId"] = f => f.Remove("AwsAccountId"),
        ["AwsAccountId of 11 characters"] = f => f["AwsAccountId"] = "11112222333",
        ["no CreatedAt"] = f => f.Remove("CreatedAt"),
        ["CreatedAt not a timestamp"] = f => f["CreatedAt"] = "2026-12-01 10:00:00",
        ["CreatedAt with 10 fractional digits"] = f => f["CreatedAt"] = "2026-12-01T10:00:00.1234567890Z",
        ["no UpdatedAt"] = f => f.Remove("UpdatedAt"),
        ["UpdatedAt without a zone"] = f => f["UpdatedAt"] = "2026-12-01T10:00:00",
        ["no Title"] = f => f.Remove("Title"),
        ["blank Title"] = f => f["Title"] = "  ",
        ["Title of 257 characters"] = f => f["Title"] = Text(257),
        ["no Description"] = f => f.Remove("Description"),
        ["Description of 1025 characters"] = f => f["Description"] = Text(1025),
        ["no Resources"] = f => f.Remove("Resources"),
        ["no resource in Resources"] = f => f["Resources"] = new JsonArray(),
        ["33 Resources"] = f => f["Resources"] = Resources(33),
        ["a resource without Type"] = f => f["Resources"]![0]!.AsObject().Remove("Type"),
        ["a resource without Id"] = f => f["Resources"]![0]!.AsObject().Remove("Id"),
        ["a resource Type of 257 characters"] = f => f["Resources"]![0]!["Type"] = Text(257),
        ["no Types anywhere"] = f => f.Remove("Types"),
        ["empty Types"] = f => f["Types"] = new JsonArray(),
        ["a type outside the five namespaces"] = f => f["Types"] = new JsonArray("Policy Checks/IAM/Task role"),
        ["a type of four parts"] = f => f["Types"] = new JsonArray("Effects/Data Exposure/a/b"),
        ["51 Types"] = f => f["Types"] = new JsonArray([.. Enumerable.Range(0, 51).Select(i => (JsonNode)$"Effects/Data Exposure/{i}")]),
        ["empty FindingProviderFields.Types"] = f => f["FindingProviderFields"] = new JsonObject { ["Types"] = new JsonArray() },
        ["no Severity anywhere"] = f => f.Remove("Severity"),
        ["Severity without Label or Normalized"] = f => f["Severity"] = new JsonObject { ["Original"] = "8.1" },
        ["Severity.Label unknown"] = f => f["Severity"] = new JsonObject { ["Label"] = "SEVERE" },
        ["Severity.Normalized 101"] = f => f["Severity"] = new JsonObject { ["Normalized"] = 101 },
        ["FindingProviderFields.Severity without a Label"] = f => f["FindingProviderFields"] = new JsonObject { ["Severity"] = new JsonObject { ["Original"] = "high" } },
        ["51 ProductFields"] = f => f["ProductFields"] = Pairs(51, 10, 10),
        ["a ProductFields key of 129 characters"] = f => f["ProductFields"] = Pairs(1, 129, 10),
        ["a ProductFields value of 2049 characters"] = f => f["ProductFields"] = Pairs(1, 10, 2049),
        ["a ProductFields value that is not a string"] = f => f["ProductFields"] = new JsonObject { ["era/count"] = 3 },
        ["a UserDefinedFields value of 1025 characters"] = f => f["UserDefinedFields"] = Pairs(1, 10, 1025),
        ["Remediation.Recommendation.Text of 513 characters"] = f => f["Remediation"] = new JsonObject { ["Recommendation"] = new JsonObject { ["Text"] = Text(513) } },
        ["Note.Text of 513 characters"] = f => f["Note"] = new JsonObject { ["Text"] = Text(513), ["UpdatedBy"] = "me", ["UpdatedAt"] = "2026-12-01T10:00:00Z" },
        ["Workflow.Status unknown"] = f => f["Workflow"] = new JsonObject { ["Status"] = "DONE" },
        ["RecordState unknown"] = f => f["RecordState"] = "DELETED",
        ["Compliance.Status unknown"] = f => f["Compliance"] = new JsonObject { ["Status"] = "OK" },
    };

    private static readonly Dictionary<string, Action<JsonObject>> AtTheLimit = new()
    {
        ["Id of 512 characters"] = f => f["Id"] = Text(512),
        ["GeneratorId of 512 characters"] = f => f["GeneratorId"] = Text(512),
        ["Title of 256 characters"] = f => f["Title"] = Text(256),
        ["Description of 1024 characters"] = f => f["Description"] = Text(1024),
        ["32 Resources"] = f => f["Resources"] = Resources(32),
        ["a resource Type of 256 characters"] = f => f["Resources"]![0]!["Type"] = Text(256),
        ["50 Types"] = f => f["Types"] = new JsonArray([.. Enumerable.Range(0, 50).Select(i => (JsonNode)$"Effects/Data Exposure/{i}")]),
        ["a type of namespace only"] = f => f["Types"] = new JsonArray("Sensitive Data Identifications"),
        ["Types only in FindingProviderFields"] = f => { f.Remove("Types"); f["FindingProviderFields"] = new JsonObject { ["Types"] = new JsonArray("TTPs/Privilege Escalation") }; },
        ["Severity only in FindingProviderFields"] = f => { f.Remove("Severity"); f["FindingProviderFields"] = new JsonObject { ["Severity"] = new JsonObject { ["Label"] = "LOW" } }; },
        ["Severity.Normalized only"] = f => f["Severity"] = new JsonObject { ["Normalized"] = 100 },
        ["50 ProductFields of 128-character keys and 2048-character values"] = f => f["ProductFields"] = Pairs(50, 128, 2048),
        ["a UserDefinedFields value of 1024 characters"] = f => f["UserDefinedFields"] = Pairs(50, 128, 1024),
        ["Remediation.Recommendation.Text of 512 characters"] = f => f["Remediation"] = new JsonObject { ["Recommendation"] = new JsonObject { ["Text"] = Text(512) } },
        ["Note.Text of 512 characters"] = f => f["Note"] = new JsonObject { ["Text"] = Text(512), ["UpdatedBy"] = "me", ["UpdatedAt"] = "2026-12-01T10:00:00Z" },
        ["timestamps with nanoseconds"] = f => (f["CreatedAt"], f["UpdatedAt"]) = ("2026-12-01T10:00:00.123456789Z", "2026-12-01T10:00:00.123456789Z"),
        ["timestamps with offsets +HH:MM and -HHMM"] = f => (f["CreatedAt"], f["UpdatedAt"]) = ("2024-01-04T15:25:10+17:59", "2024-01-04T15:25:10-1759"),
        ["RecordState ARCHIVED and Compliance.Status NOT_AVAILABLE"] = f => (f["RecordState"], f["Compliance"]) = ("ARCHIVED", new JsonObject { ["Status"] = "NOT_AVAILABLE" }),
    };

    public static TheoryData<string> BrokenRules => [.. Broken.Keys];

    public static TheoryData<string> LimitsMet => [.. AtTheLimit.Keys];

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task A_finding_that_breaks_the_format_fails_alone_as_invalid_input(string rule)
    {
        await using var aws = await StartAsync();
        var broken = Finding("broken");
        Broken[rule](broken);

        var answer = await SecurityHubWire.ImportAsync(aws, broken, Finding("valid"));

        Assert.Equal((1, 1), (answer["SuccessCount"]!.GetValue<int>(), answer["FailedCount"]!.GetValue<int>()));
        var failed = Assert.Single(answer["FailedFindings"]!.AsArray())!;
        Assert.Equal("InvalidInput", failed["ErrorCode"]!.GetValue<string>());
        Assert.StartsWith("Finding does not adhere to Amazon Finding Format.", failed["ErrorMessage"]!.GetValue<string>());
        Assert.Equal(["valid"], aws.SecurityHub.Findings(Account, Region).Select(f => f.Id));
    }

    [Theory]
    [MemberData(nameof(LimitsMet))]
    public async Task A_finding_at_a_documented_limit_is_imported(string limit)
    {
        await using var aws = await StartAsync();
        var finding = Finding("at-the-limit");
        AtTheLimit[limit](finding);

        var answer = await SecurityHubWire.ImportAsync(aws, finding);

        Assert.True(answer["FailedCount"]!.GetValue<int>() == 0, answer.ToJsonString());
        Assert.Single(aws.SecurityHub.Findings(Account, Region));
    }

    // "BatchImportFindings for finding providers" (User Guide): "The identifier of the associated account must match the
    // value of the AwsAccountId attribute"; "Required top-level ASFF attributes", ProductArn: a private product is
    // product/ACCOUNT/default in the account and region; failures are FailedFindings entries, the call succeeds.
    [Theory]
    [InlineData("arn:aws:securityhub:eu-west-1:444455556666:product/444455556666/default", Account)]
    [InlineData("arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default", Account)]
    [InlineData("arn:aws:securityhub:eu-west-1::product/aws/guardduty", Account)]
    [InlineData("arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/other", Account)]
    [InlineData(ProductArn, "444455556666")]
    public async Task A_finding_for_another_product_or_account_fails_as_invalid_access(string productArn, string accountId)
    {
        await using var aws = await StartAsync();
        var finding = Finding("elsewhere");
        finding["ProductArn"] = productArn;
        finding["AwsAccountId"] = accountId;

        var answer = await SecurityHubWire.ImportAsync(aws, finding);

        Assert.Equal("InvalidAccess", Assert.Single(answer["FailedFindings"]!.AsArray())!["ErrorCode"]!.GetValue<string>());
        Assert.Empty(aws.SecurityHub.Findings(Account, Region));
    }

    [Fact]
    public async Task The_default_product_is_the_one_of_the_signing_region_and_its_partition()
    {
        await using var aws = await StartAsync();

        var china = Finding("cn", region: "cn-north-1");
        china["ProductArn"] = $"arn:aws-cn:securityhub:cn-north-1:{Account}:product/{Account}/default";
        var chinaAnswer = await SecurityHubWire.ImportAsync(aws, [china], region: "cn-north-1");
        var useast = await SecurityHubWire.ImportAsync(aws, [Finding("us", region: "us-east-1")], region: "us-east-1");

        Assert.Equal((0, 0), (chinaAnswer["FailedCount"]!.GetValue<int>(), useast["FailedCount"]!.GetValue<int>()));
        Assert.Equal(["cn"], aws.SecurityHub.Findings(Account, "cn-north-1").Select(f => f.Id));
        Assert.Equal(["us"], aws.SecurityHub.Findings(Account, "us-east-1").Select(f => f.Id));
        Assert.Empty(aws.SecurityHub.Findings(Account, Region));
    }
}
