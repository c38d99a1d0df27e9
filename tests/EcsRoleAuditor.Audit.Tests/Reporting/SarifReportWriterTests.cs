using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

public class SarifReportWriterTests
{
    private static readonly ReportOptions WithFiles = new()
    {
        ToolVersion = "1.2.3",
        ToolInformationUri = new Uri("https://example.com/ecs-role-auditor"),
        SourceFiles = ImmutableDictionary<string, string>.Empty
            .Add("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7", @"deploy\task definitions\web.json")
            .Add("worker", "/srv/repo/worker.json"),
    };

    private static JsonDocument Sarif(AuditReport report, ReportOptions? options = null) =>
        JsonDocument.Parse(ReportSamples.Render(report, ReportFormat.Sarif, options));

    private static JsonElement Run(JsonDocument sarif) => sarif.RootElement.GetProperty("runs")[0];

    private static JsonElement[] Results(JsonDocument sarif) => [.. Run(sarif).GetProperty("results").EnumerateArray()];

    [Theory]
    [MemberData(nameof(ReportSamples.ReportNames), MemberType = typeof(ReportSamples))]
    public void Logs_validate_against_the_SARIF_2_1_0_schema(string reportName)
    {
        var report = ReportSamples.Named(reportName);
        Assert.Empty(SchemaFile.Sarif.Errors(ReportSamples.Render(report, ReportFormat.Sarif)));
        Assert.Empty(SchemaFile.Sarif.Errors(ReportSamples.Render(report, ReportFormat.Sarif, WithFiles)));
    }

    [Fact]
    public void The_SARIF_schema_rejects_a_result_without_a_message()
    {
        var log = System.Text.Json.Nodes.JsonNode.Parse(ReportSamples.Render(ReportSamples.Mixed, ReportFormat.Sarif))!;
        log["runs"]![0]!["results"]![0]!.AsObject().Remove("message");
        Assert.NotEmpty(SchemaFile.Sarif.Errors(log.ToJsonString()));
    }

    [Fact]
    public void Driver_names_the_tool_and_lists_every_rule_once()
    {
        var rules = ReportSamples.Rules.Append(ReportSamples.AdminRule with { Title = "a repeated ID" }).ToList();
        using var sarif = JsonDocument.Parse(ReportSamples.Render(ReportSamples.Mixed, ReportFormat.Sarif, WithFiles, rules));
        var driver = Run(sarif).GetProperty("tool").GetProperty("driver");
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        Assert.Equal("ecs-role-auditor", driver.GetProperty("name").GetString());
        Assert.Equal("1.2.3", driver.GetProperty("version").GetString());
        Assert.Equal("https://example.com/ecs-role-auditor", driver.GetProperty("informationUri").GetString());
        Assert.Equal(["ERA001", "ERA021", "ERA030"], driver.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public void Information_uri_is_left_out_when_the_caller_has_none()
    {
        using var sarif = Sarif(ReportSamples.Clean);
        Assert.False(Run(sarif).GetProperty("tool").GetProperty("driver").TryGetProperty("informationUri", out _));
    }

    [Fact]
    public void Rules_carry_descriptions_help_and_severity()
    {
        using var sarif = Sarif(ReportSamples.Mixed);
        var rules = Run(sarif).GetProperty("tool").GetProperty("driver").GetProperty("rules");
        var admin = rules[0];
        Assert.Equal("TaskRoleHasFullAdministratorAccess", admin.GetProperty("name").GetString());
        Assert.Equal(ReportSamples.AdminRule.Title, admin.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal(ReportSamples.AdminRule.Rationale, admin.GetProperty("fullDescription").GetProperty("text").GetString());
        Assert.Equal(ReportSamples.AdminRule.Remediation, admin.GetProperty("help").GetProperty("text").GetString());
        Assert.Equal(ReportSamples.AdminRule.Links[0], admin.GetProperty("helpUri").GetString());
        Assert.Equal("error", admin.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.Equal("9.5", admin.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.False(rules[1].TryGetProperty("helpUri", out _));
        Assert.Equal("1.0", rules[2].GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal("note", rules[2].GetProperty("defaultConfiguration").GetProperty("level").GetString());
    }

    [Theory]
    [InlineData(Severity.Critical, "error", "9.5")]
    [InlineData(Severity.High, "error", "8.0")]
    [InlineData(Severity.Medium, "warning", "5.5")]
    [InlineData(Severity.Low, "note", "3.0")]
    [InlineData(Severity.Info, "note", "1.0")]
    public void Severities_map_to_levels_and_security_severity_scores(Severity severity, string level, string score)
    {
        Assert.Equal(level, SarifReportWriter.Level(severity));
        Assert.Equal(score, SarifReportWriter.SecuritySeverity(severity));
    }

    [Fact]
    public void Results_point_at_their_rule_and_carry_the_finding_level_and_message()
    {
        using var sarif = Sarif(ReportSamples.Mixed);
        var results = Results(sarif);
        Assert.Equal(4, results.Length);
        Assert.Equal(["ERA001", "ERA021", "ERA001", "ERA030"], results.Select(r => r.GetProperty("ruleId").GetString()));
        Assert.Equal([0, 1, 0, 2], results.Select(r => r.GetProperty("ruleIndex").GetInt32()));
        // The level follows the finding's severity, not the rule's default (the suppressed ERA001 finding is MEDIUM).
        Assert.Equal(["error", "error", "warning", "note"], results.Select(r => r.GetProperty("level").GetString()));
        Assert.Equal(ReportSamples.Admin.Message, results[0].GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public void A_result_whose_rule_was_not_described_has_no_rule_index()
    {
        using var sarif = JsonDocument.Parse(ReportSamples.Render(ReportSamples.Mixed, ReportFormat.Sarif, rules: [ReportSamples.SecretsRule]));
        var results = Results(sarif);
        Assert.False(results[0].TryGetProperty("ruleIndex", out _));
        Assert.Equal(0, results[1].GetProperty("ruleIndex").GetInt32());
    }

    [Fact]
    public void Logical_locations_name_the_task_definition_and_the_role()
    {
        using var sarif = Sarif(ReportSamples.Mixed);
        var results = Results(sarif);
        var admin = results[0].GetProperty("locations")[0].GetProperty("logicalLocations");
        Assert.Equal("web:7", admin[0].GetProperty("name").GetString());
        Assert.Equal(ReportSamples.Web.TaskDefinitionArn, admin[0].GetProperty("fullyQualifiedName").GetString());
        Assert.Equal(ReportSamples.TaskRole, admin[1].GetProperty("fullyQualifiedName").GetString());
        Assert.Contains("statement AllowEverything", admin[1].GetProperty("name").GetString(), StringComparison.Ordinal);

        var roleless = results[3].GetProperty("locations")[0].GetProperty("logicalLocations");
        Assert.Equal(1, roleless.GetArrayLength());
        Assert.Equal("worker", roleless[0].GetProperty("fullyQualifiedName").GetString());
    }

    [Fact]
    public void Physical_locations_appear_only_for_task_definitions_with_a_known_file()
    {
        using var without = Sarif(ReportSamples.Mixed);
        Assert.All(Results(without), r => Assert.False(r.GetProperty("locations")[0].TryGetProperty("physicalLocation", out _)));

        using var with = Sarif(ReportSamples.Mixed, WithFiles);
        var uris = Results(with).Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(["deploy/task%20definitions/web.json", "deploy/task%20definitions/web.json", "deploy/task%20definitions/web.json", "file:///srv/repo/worker.json"], uris);
    }

    [Fact]
    public void Suppressed_findings_carry_an_external_suppression_with_the_reason()
    {
        using var sarif = Sarif(ReportSamples.Mixed);
        var results = Results(sarif);
        var suppression = Assert.Single(results[2].GetProperty("suppressions").EnumerateArray());
        Assert.Equal("external", suppression.GetProperty("kind").GetString());
        Assert.Equal(ReportSamples.SuppressedBroadRead.SuppressionReason, suppression.GetProperty("justification").GetString());
        Assert.False(results[0].TryGetProperty("suppressions", out _));
    }

    [Fact]
    public void Fingerprints_are_stable_across_runs_and_distinct_per_finding()
    {
        using var first = Sarif(ReportSamples.Mixed);
        using var second = Sarif(ReportSamples.Mixed, WithFiles);
        static string[] Prints(JsonDocument d) =>
            [.. Results(d).Select(r => r.GetProperty("partialFingerprints").GetProperty(SarifReportWriter.FingerprintKey).GetString()!)];
        Assert.Equal(Prints(first), Prints(second));
        Assert.Equal(4, Prints(first).Distinct().Count());
    }

    [Fact]
    public void Fingerprint_ignores_message_wording_but_not_the_statement()
    {
        var web = ReportSamples.Web;
        var admin = ReportSamples.Admin;
        Assert.Equal(SarifReportWriter.Fingerprint(web, admin), SarifReportWriter.Fingerprint(web, admin with { Message = "reworded", Severity = Severity.High }));
        Assert.NotEqual(SarifReportWriter.Fingerprint(web, admin), SarifReportWriter.Fingerprint(web, admin with { Statement = "Other" }));
        Assert.NotEqual(SarifReportWriter.Fingerprint(web, admin), SarifReportWriter.Fingerprint(web, admin with { RoleArn = ReportSamples.ExecutionRole }));
    }

    [Fact]
    public void Role_less_findings_of_different_task_definitions_get_different_fingerprints()
    {
        var finding = ReportSamples.NoTaskRole;
        Assert.NotEqual(
            SarifReportWriter.Fingerprint(ReportSamples.Worker, finding),
            SarifReportWriter.Fingerprint(ReportSamples.Worker with { Family = "batch" }, finding));
    }

    [Fact]
    public void Clean_report_has_one_run_with_no_results_but_the_rules()
    {
        using var sarif = Sarif(ReportSamples.Clean);
        Assert.Equal(1, sarif.RootElement.GetProperty("runs").GetArrayLength());
        Assert.Empty(Results(sarif));
        Assert.Equal(3, Run(sarif).GetProperty("tool").GetProperty("driver").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public void Special_characters_survive_in_results()
    {
        using var sarif = Sarif(ReportSamples.Mixed);
        var properties = Results(sarif)[0].GetProperty("properties");
        Assert.Contains(ReportSamples.AwkwardPolicyName, properties.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Contains(ReportSamples.NonAscii, Results(sarif)[0].GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
