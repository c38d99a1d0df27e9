using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

public class JsonReportWriterTests
{
    private static string Json(string reportName = "Mixed") => ReportSamples.Render(ReportSamples.Named(reportName), ReportFormat.Json);

    [Theory]
    [MemberData(nameof(ReportSamples.ReportNames), MemberType = typeof(ReportSamples))]
    public void Reports_validate_against_the_published_schema(string reportName)
    {
        Assert.Empty(SchemaFile.AuditReport.Errors(Json(reportName)));
    }

    [Theory]
    [InlineData("suppressed")]
    [InlineData("roleArn")]
    [InlineData("source")]
    [InlineData("severity")]
    public void A_finding_missing_a_required_field_fails_validation(string field)
    {
        var document = JsonNode.Parse(Json())!;
        document["reports"]![0]!["findings"]![0]!.AsObject().Remove(field);
        Assert.NotEmpty(SchemaFile.AuditReport.Errors(document.ToJsonString()));
    }

    [Theory]
    [InlineData("severity", "SEVERE")]
    [InlineData("roleSlot", "container")]
    [InlineData("extra", "a property the contract does not have")]
    public void A_finding_with_a_value_outside_the_contract_fails_validation(string field, string value)
    {
        var document = JsonNode.Parse(Json())!;
        document["reports"]![0]!["findings"]![0]![field] = value;
        Assert.NotEmpty(SchemaFile.AuditReport.Errors(document.ToJsonString()));
    }

    [Fact]
    public void A_report_without_schema_version_fails_validation()
    {
        var document = JsonNode.Parse(Json())!;
        document.AsObject().Remove("schemaVersion");
        Assert.NotEmpty(SchemaFile.AuditReport.Errors(document.ToJsonString()));
    }

    [Fact]
    public void Findings_carry_exactly_the_properties_the_schema_requires()
    {
        var required = SchemaFile.AuditReport.Document["$defs"]!["finding"]!["required"]!.AsArray().Select(n => n!.GetValue<string>());
        using var document = JsonDocument.Parse(Json());
        foreach (var finding in document.RootElement.GetProperty("reports").EnumerateArray().SelectMany(r => r.GetProperty("findings").EnumerateArray()))
        {
            Assert.Equal(required.Order(), finding.EnumerateObject().Select(p => p.Name).Order());
        }
    }

    [Fact]
    public void Header_names_the_schema_version_and_the_tool()
    {
        using var document = JsonDocument.Parse(Json());
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("ecs-role-auditor", root.GetProperty("tool").GetProperty("name").GetString());
        Assert.Equal("1.2.3", root.GetProperty("tool").GetProperty("version").GetString());
        Assert.Equal(["web", "worker", "api"], root.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("family").GetString()));
    }

    [Fact]
    public void Finding_fields_use_the_documented_names_and_values()
    {
        using var document = JsonDocument.Parse(Json());
        var web = document.RootElement.GetProperty("reports")[0];
        Assert.Equal(7, web.GetProperty("revision").GetInt32());
        var admin = web.GetProperty("findings")[0];
        Assert.Equal("CRITICAL", admin.GetProperty("severity").GetString());
        Assert.Equal("task", admin.GetProperty("roleSlot").GetString());
        Assert.Equal("inlinePolicy", admin.GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal(ReportSamples.AwkwardPolicyName, admin.GetProperty("source").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("source").GetProperty("arn").ValueKind);
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("conditional").ValueKind);
        Assert.False(admin.GetProperty("suppressed").GetBoolean());

        var secrets = web.GetProperty("findings")[1];
        Assert.Equal("execution", secrets.GetProperty("roleSlot").GetString());
        Assert.Equal("managedPolicy", secrets.GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal("v3", secrets.GetProperty("source").GetProperty("versionId").GetString());
        Assert.Equal("aws:SourceVpce = vpce-1a2b3c", secrets.GetProperty("conditional").GetString());

        var suppressed = web.GetProperty("findings")[2];
        Assert.True(suppressed.GetProperty("suppressed").GetBoolean());
        Assert.Equal(ReportSamples.SuppressedBroadRead.SuppressionReason, suppressed.GetProperty("suppressionReason").GetString());
        Assert.Equal(12, suppressed.GetProperty("actions").GetArrayLength());
        Assert.Equal(0, suppressed.GetProperty("resources").GetArrayLength());
    }

    [Fact]
    public void Unknown_values_are_explicit_nulls()
    {
        using var document = JsonDocument.Parse(Json());
        var worker = document.RootElement.GetProperty("reports")[1];
        Assert.Equal(JsonValueKind.Null, worker.GetProperty("taskDefinitionArn").ValueKind);
        Assert.Equal(JsonValueKind.Null, worker.GetProperty("revision").ValueKind);
        Assert.Equal(JsonValueKind.Null, worker.GetProperty("taskRoleArn").ValueKind);
        var finding = worker.GetProperty("findings")[0];
        Assert.Equal(JsonValueKind.Null, finding.GetProperty("roleArn").ValueKind);
        Assert.Equal("taskDefinition", finding.GetProperty("roleSlot").GetString());
        Assert.Equal(JsonValueKind.Null, finding.GetProperty("statement").ValueKind);
    }

    [Fact]
    public void Text_is_escaped_readably_and_round_trips()
    {
        var json = Json();
        Assert.Contains("pipe|tick`quote\\\"apos'<lt>gt", json, StringComparison.Ordinal);
        Assert.Contains(ReportSamples.NonAscii, json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var message = document.RootElement.GetProperty("reports")[0].GetProperty("findings")[0].GetProperty("message").GetString();
        Assert.Equal(ReportSamples.Admin.Message, message);
    }

    [Fact]
    public void Empty_report_has_an_empty_reports_array()
    {
        using var document = JsonDocument.Parse(Json("Empty"));
        Assert.Equal(0, document.RootElement.GetProperty("reports").GetArrayLength());
    }
}
