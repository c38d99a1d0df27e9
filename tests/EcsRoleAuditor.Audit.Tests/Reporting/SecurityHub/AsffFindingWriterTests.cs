using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Reporting.SecurityHub;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Tests.Reporting.SecurityHub;

/// <summary>
/// The ASFF mapping field by field. AWS's rules cited here: AWS Security Hub API Reference, "AwsSecurityFinding"
/// (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html) and "Resource"; User Guide,
/// "Required top-level ASFF attributes" (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html).
/// </summary>
public sealed class AsffFindingWriterTests
{
    private static readonly DateTimeOffset First = new(2026, 11, 30, 8, 15, 0, 123, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset Last = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 1, 500, TimeSpan.Zero);
    private static readonly AsffTimes Times = new(First, Last, Now);

    internal static JsonElement Parse(AsffFinding finding)
    {
        using var document = JsonDocument.Parse(finding.Json);
        return document.RootElement.Clone();
    }

    private static JsonElement Write(TaskDefinitionReport report, Finding finding) => Parse(AsffFindingWriter.Active(report, finding, Times, "1.2.3"));

    private static string Text(JsonElement element, params string[] path) =>
        path.Aggregate(element, (e, name) => e.GetProperty(name)).GetString()!;

    [Fact]
    public void An_open_finding_maps_every_field()
    {
        var report = ReportSamples.Web;
        var finding = ReportSamples.ConditionalSecrets;

        var written = AsffFindingWriter.Active(report, finding, Times, "1.2.3");
        var asff = Parse(written);

        Assert.Equal("2018-10-08", Text(asff, "SchemaVersion"));
        Assert.Equal(FindingFingerprint.Of(report, finding), Text(asff, "Id"));
        Assert.Equal(written.Id, Text(asff, "Id"));
        Assert.Equal("arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default", Text(asff, "ProductArn"));
        Assert.Equal(written.ProductArn, Text(asff, "ProductArn"));
        Assert.Equal("ecs-role-auditor", Text(asff, "ProductName"));
        Assert.Equal(ReportSamples.SecretsRule.Id, Text(asff, "GeneratorId"));
        Assert.Equal("123456789012", Text(asff, "AwsAccountId"));
        Assert.Equal("eu-west-1", Text(asff, "Region"));
        Assert.Equal([AsffFindingWriter.FindingType], asff.GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([AsffFindingWriter.FindingType], asff.GetProperty("FindingProviderFields").GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("2026-11-30T06:15:00.123Z", Text(asff, "CreatedAt"));
        Assert.Equal("2026-11-30T06:15:00.123Z", Text(asff, "FirstObservedAt"));
        Assert.Equal("2026-12-05T09:00:00.000Z", Text(asff, "LastObservedAt"));
        Assert.Equal("2026-12-05T09:00:01.500Z", Text(asff, "UpdatedAt"));
        Assert.Equal("HIGH", Text(asff, "Severity", "Label"));
        Assert.Equal("HIGH", Text(asff, "Severity", "Original"));
        Assert.Equal("HIGH", Text(asff, "FindingProviderFields", "Severity", "Label"));
        Assert.Equal("HIGH", Text(asff, "FindingProviderFields", "Severity", "Original"));
        Assert.Equal("ERA021 Execution role cannot do what the task definition needs", Text(asff, "Title"));
        Assert.Equal("The execution role can read the secret only through one VPC endpoint. Only when: aws:SourceVpce = vpce-1a2b3c. "
            + "Where: managed policy arn:aws:iam::123456789012:policy/SecretsRead (v3), statement #0.", Text(asff, "Description"));
        Assert.Equal(finding.Remediation, Text(asff, "Remediation", "Recommendation", "Text"));
        Assert.Equal("FAILED", Text(asff, "Compliance", "Status"));
        Assert.Equal("NEW", Text(asff, "Workflow", "Status"));
        Assert.Equal("ACTIVE", Text(asff, "RecordState"));

        var fields = asff.GetProperty("ProductFields");
        Assert.Equal("web", Text(fields, AsffProductFields.Family));
        Assert.Equal(report.TaskDefinitionArn, Text(fields, AsffProductFields.TaskDefinitionArn));
        Assert.Equal("ERA021", Text(fields, AsffProductFields.RuleId));
        Assert.Equal("execution", Text(fields, AsffProductFields.RoleSlot));
        Assert.Equal("managed policy arn:aws:iam::123456789012:policy/SecretsRead (v3), statement #0", Text(fields, AsffProductFields.Source));
        Assert.Equal("secretsmanager:GetSecretValue", Text(fields, AsffProductFields.Actions));
        Assert.Equal("1.2.3", Text(fields, AsffProductFields.ToolVersion));

        var resources = asff.GetProperty("Resources").EnumerateArray().ToList();
        Assert.Equal(2, resources.Count);
        Assert.Equal("AwsEcsTaskDefinition", Text(resources[0], "Type"));
        Assert.Equal(report.TaskDefinitionArn, Text(resources[0], "Id"));
        Assert.Equal("aws", Text(resources[0], "Partition"));
        Assert.Equal("eu-west-1", Text(resources[0], "Region"));
        Assert.Equal("web", Text(resources[0], "Details", "AwsEcsTaskDefinition", "Family"));
        Assert.Equal(ReportSamples.TaskRole, Text(resources[0], "Details", "AwsEcsTaskDefinition", "TaskRoleArn"));
        Assert.Equal(ReportSamples.ExecutionRole, Text(resources[0], "Details", "AwsEcsTaskDefinition", "ExecutionRoleArn"));
        Assert.Equal("AwsIamRole", Text(resources[1], "Type"));
        Assert.Equal(ReportSamples.ExecutionRole, Text(resources[1], "Id"));
        Assert.Equal("aws", Text(resources[1], "Partition"));
        Assert.False(resources[1].TryGetProperty("Region", out _)); // IAM is global: its ARN names no region
        Assert.Equal("web-execution", Text(resources[1], "Details", "AwsIamRole", "RoleName"));
        Assert.Equal("/", Text(resources[1], "Details", "AwsIamRole", "Path"));
    }

    [Fact]
    public void The_written_finding_is_one_line_of_valid_json_and_says_what_it_is_about()
    {
        var written = AsffFindingWriter.Active(ReportSamples.Web, ReportSamples.Admin, Times, "1.2.3");

        Assert.DoesNotContain((byte)'\n', written.Json.ToArray());
        Assert.Equal("123456789012", written.AwsAccountId);
        Assert.Equal("eu-west-1", written.Region);
        Assert.Equal("ERA001 of web:7", written.Subject);
    }

    [Fact]
    public void Every_sample_finding_satisfies_the_documented_attributes()
    {
        var written = ReportSamples.Web.Findings.Select(f => AsffFindingWriter.Active(ReportSamples.Web, f, Times, "1.2.3"))
            .Append(AsffFindingWriter.Resolved(Resolution(), Times, "1.2.3"));

        foreach (var finding in written)
        {
            var errors = SchemaFile.Asff.Errors(Encoding.UTF8.GetString(finding.Json.Span));
            Assert.True(errors.Count == 0, string.Join('\n', errors));
        }
    }

    [Theory]
    [InlineData("Title")]
    [InlineData("Resources")]
    [InlineData("AwsAccountId")]
    public void The_schema_rejects_a_finding_without_a_required_attribute(string attribute)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(AsffFindingWriter.Active(ReportSamples.Web, ReportSamples.Admin, Times, "1").Json.Span)!.AsObject();
        json.Remove(attribute);

        Assert.NotEmpty(SchemaFile.Asff.Errors(json.ToJsonString()));
    }

    [Theory]
    [InlineData(Severity.Critical, "CRITICAL", "CRITICAL")]
    [InlineData(Severity.High, "HIGH", "HIGH")]
    [InlineData(Severity.Medium, "MEDIUM", "MEDIUM")]
    [InlineData(Severity.Low, "LOW", "LOW")]
    [InlineData(Severity.Info, "INFORMATIONAL", "INFO")]
    public void Severities_map_to_the_asff_labels_and_keep_their_own_name(Severity severity, string label, string original)
    {
        var asff = Write(ReportSamples.Web, ReportSamples.Admin with { Severity = severity });

        Assert.Equal(label, Text(asff, "Severity", "Label"));
        Assert.Equal(label, Text(asff, "FindingProviderFields", "Severity", "Label"));
        Assert.Equal(original, Text(asff, "FindingProviderFields", "Severity", "Original"));
    }

    [Fact]
    public void A_suppressed_finding_is_created_suppressed_and_still_failed()
    {
        var asff = Write(ReportSamples.Web, ReportSamples.SuppressedBroadRead);

        Assert.Equal("SUPPRESSED", Text(asff, "Workflow", "Status"));
        Assert.Equal("FAILED", Text(asff, "Compliance", "Status"));
        Assert.Equal("ACTIVE", Text(asff, "RecordState"));
        Assert.Contains("Suppressed: tag ecs-role-auditor:suppress=ERA001", Text(asff, "Description"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_that_could_not_read_something_is_a_warning_not_a_failure()
    {
        var incomplete = ReportSamples.Admin with { Rule = IncompleteAuditRule.Rule };

        Assert.Equal("WARNING", Text(Write(ReportSamples.Web, incomplete), "Compliance", "Status"));
        Assert.Equal("FAILED", AsffFindingWriter.ComplianceStatus(ReportSamples.Admin));
    }

    [Fact]
    public void Only_findings_above_info_are_imported()
    {
        Assert.False(AsffFindingWriter.IsImported(ReportSamples.NoTaskRole));
        Assert.True(AsffFindingWriter.IsImported(ReportSamples.NoTaskRole with { Severity = Severity.Low }));
    }

    [Fact]
    public void The_remediation_links_to_the_rules_help_page_as_sarif_does()
    {
        var asff = Write(ReportSamples.Web, ReportSamples.Admin);

        Assert.Equal(ReportSamples.AdminRule.HelpUri, Text(asff, "Remediation", "Recommendation", "Url"));
        Assert.Equal(ReportSamples.AdminRule.Links[0], ReportSamples.AdminRule.HelpUri);
        // A rule without links gives no Url rather than an empty one.
        Assert.False(Write(ReportSamples.Web, ReportSamples.ConditionalSecrets).GetProperty("Remediation").GetProperty("Recommendation").TryGetProperty("Url", out _));
    }

    [Fact]
    public void A_finding_about_no_role_names_only_the_task_definition()
    {
        var report = ReportSamples.Web with { TaskRoleArn = null };
        var asff = Write(report, ReportSamples.NoTaskRole);

        var resource = Assert.Single(asff.GetProperty("Resources").EnumerateArray());
        Assert.Equal("AwsEcsTaskDefinition", Text(resource, "Type"));
        Assert.False(resource.GetProperty("Details").GetProperty("AwsEcsTaskDefinition").TryGetProperty("TaskRoleArn", out _));
        Assert.False(asff.GetProperty("ProductFields").TryGetProperty(AsffProductFields.Actions, out _));
    }

    [Fact]
    public void A_role_with_a_path_gives_its_name_and_path()
    {
        var finding = ReportSamples.Admin with { RoleArn = "arn:aws:iam::123456789012:role/service-role/teams/web-task" };

        var role = Write(ReportSamples.Web, finding).GetProperty("Resources")[1].GetProperty("Details").GetProperty("AwsIamRole");

        Assert.Equal("web-task", role.GetProperty("RoleName").GetString());
        Assert.Equal("/service-role/teams/", role.GetProperty("Path").GetString());
    }

    [Theory]
    [InlineData("aws-cn", "cn-north-1")]
    [InlineData("aws-us-gov", "us-gov-west-1")]
    public void The_partition_comes_from_the_task_definition_and_role_arns(string partition, string region)
    {
        var report = ReportSamples.Web with { TaskDefinitionArn = $"arn:{partition}:ecs:{region}:123456789012:task-definition/web:7" };
        var finding = ReportSamples.Admin with { RoleArn = $"arn:{partition}:iam::123456789012:role/web-task" };

        var asff = Write(report, finding);

        Assert.Equal($"arn:{partition}:securityhub:{region}:123456789012:product/123456789012/default", Text(asff, "ProductArn"));
        Assert.Equal(region, Text(asff, "Region"));
        Assert.All(asff.GetProperty("Resources").EnumerateArray(), r => Assert.Equal(partition, Text(r, "Partition")));
        Assert.Empty(SchemaFile.Asff.Errors(asff.GetRawText()));
    }

    [Fact]
    public void The_id_is_stable_across_revisions_of_a_family_and_differs_between_families()
    {
        var revision8 = ReportSamples.Web with { TaskDefinitionArn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8", Revision = 8 };
        var other = ReportSamples.Web with { TaskDefinitionArn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:8", Family = "api", Revision = 8 };
        var reworded = ReportSamples.Admin with { Message = "Reworded.", Severity = Severity.High };

        var id7 = AsffFindingWriter.Active(ReportSamples.Web, ReportSamples.Admin, Times, "1").Id;

        Assert.Equal(id7, AsffFindingWriter.Active(revision8, ReportSamples.Admin, Times, "1").Id);
        Assert.Equal(id7, AsffFindingWriter.Active(revision8, reworded, Times, "1").Id);
        Assert.NotEqual(id7, AsffFindingWriter.Active(other, ReportSamples.Admin, Times, "1").Id);
        // The revision written is the newest one: the task definition resource follows it.
        Assert.Equal(revision8.TaskDefinitionArn, Write(revision8, ReportSamples.Admin).GetProperty("Resources")[0].GetProperty("Id").GetString());
    }

    [Fact]
    public void A_resolved_finding_is_reimported_passed_and_archived_under_the_same_id()
    {
        var open = AsffFindingWriter.Active(ReportSamples.Web, ReportSamples.Admin, Times, "1.2.3");
        var later = new AsffTimes(First, Last, Now.AddMinutes(5));

        var resolved = AsffFindingWriter.Resolved(Resolution(), later, "1.2.3");
        var asff = Parse(resolved);

        Assert.Equal(open.Id, resolved.Id);
        Assert.Equal(open.ProductArn, resolved.ProductArn);
        Assert.Equal("PASSED", Text(asff, "Compliance", "Status"));
        Assert.Equal("ARCHIVED", Text(asff, "RecordState"));
        Assert.False(asff.TryGetProperty("Workflow", out _)); // Security Hub ignores a provider's workflow on an existing finding
        Assert.Equal("CRITICAL", Text(asff, "FindingProviderFields", "Severity", "Label"));
        Assert.Equal(ReportSamples.AdminRule.Remediation, Text(asff, "Remediation", "Recommendation", "Text"));
        Assert.Equal("2026-12-05T09:05:01.500Z", Text(asff, "UpdatedAt"));
        Assert.Equal(Text(Parse(open), "CreatedAt"), Text(asff, "CreatedAt"));
        Assert.Equal("AwsIamRole", Text(asff.GetProperty("Resources")[1], "Type"));
        Assert.StartsWith("The task role grants every action", Text(asff, "Description"), StringComparison.Ordinal);
    }

    private static AsffResolution Resolution() => new(
        FindingFingerprint.Of(ReportSamples.Web, ReportSamples.Admin), "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8", "web",
        ReportSamples.AdminRule, Severity.Critical, RoleSlot.Task, ReportSamples.TaskRole, ReportSamples.Admin.Message, ReportSamples.Admin.Location());

    [Fact]
    public void Times_that_run_backwards_are_refused()
    {
        Assert.Throws<ArgumentException>(() => AsffFindingWriter.Active(ReportSamples.Web, ReportSamples.Admin, new AsffTimes(Now, Last, Now), "1"));
        Assert.Throws<ArgumentException>(() => AsffFindingWriter.Active(ReportSamples.Web, ReportSamples.Admin, new AsffTimes(First, Now, Last), "1"));
        var once = AsffTimes.SeenOnlyAt(Now);
        Assert.Equal((Now, Now, Now), (once.FirstObservedAt, once.LastObservedAt, once.UpdatedAt));
    }

    [Fact]
    public void A_report_without_a_task_definition_arn_cannot_map_and_is_named()
    {
        var e = Assert.Throws<AsffMappingException>(() => AsffFindingWriter.Active(ReportSamples.Worker, ReportSamples.NoTaskRole, Times, "1"));

        Assert.Contains("task definition worker has no ARN", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:lambda:eu-west-1:123456789012:function:web")]
    [InlineData("arn:aws:ecs:eu-west-1:1234:task-definition/web:7")]
    [InlineData("arn:aws:ecs::123456789012:task-definition/web:7")]
    [InlineData("arn:aws:ecs:eu-west-1-and-far-too-long:123456789012:task-definition/web:7")]
    [InlineData("web:7")]
    public void An_arn_naming_no_task_definition_account_and_region_is_refused(string arn)
    {
        var e = Assert.Throws<AsffMappingException>(() => Write(ReportSamples.Web with { TaskDefinitionArn = arn }, ReportSamples.Admin));

        Assert.Contains("web:7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identifier_longer_than_aws_allows_is_refused_not_cut()
    {
        var longRole = "arn:aws:iam::123456789012:role/" + new string('p', 2030);
        Assert.Equal(2061, longRole.Length);

        var e = Assert.Throws<AsffMappingException>(() => Write(ReportSamples.Web, ReportSamples.Admin with { RoleArn = longRole }));

        Assert.Contains("ERA001 of web:7", e.Message, StringComparison.Ordinal);
        Assert.Contains("2061 characters", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 400, "the message shows the identifier bounded");
        // At the limit it is taken whole.
        var atLimit = longRole[..2048];
        Assert.Equal(atLimit, Write(ReportSamples.Web, ReportSamples.Admin with { RoleArn = atLimit }).GetProperty("Resources")[1].GetProperty("Id").GetString());
    }

    [Theory]
    [InlineData(256, 256)]
    [InlineData(257, 256)]
    [InlineData(5000, 256)]
    public void Titles_are_cut_to_256_characters(int titleLength, int expected)
    {
        var prefix = "ERA001 ".Length;
        var rule = ReportSamples.AdminRule with { Title = new string('t', titleLength - prefix) };

        var title = Text(Write(ReportSamples.Web, ReportSamples.Admin with { Rule = rule }), "Title");

        Assert.Equal(expected, title.Length);
        Assert.Equal(titleLength > 256, title.EndsWith('\u2026'));
    }

    [Fact]
    public void Descriptions_and_remediations_are_cut_to_their_limits_at_a_character_boundary()
    {
        // A 4-byte character (a surrogate pair) straddles each limit: it is left out whole, never split.
        var message = new string('m', 1022) + "\U0001F510" + "tail";
        var remediation = new string('r', 510) + "\U0001F527" + "tail";

        var asff = Write(ReportSamples.Web, ReportSamples.Admin with { Message = message, Remediation = remediation });

        var description = Text(asff, "Description");
        Assert.Equal(new string('m', 1022) + "\u2026", description);
        var text = Text(asff, "Remediation", "Recommendation", "Text");
        Assert.Equal(new string('r', 510) + "\u2026", text);
        Assert.Empty(SchemaFile.Asff.Errors(asff.GetRawText()));
    }

    [Fact]
    public void A_remediation_of_exactly_512_characters_is_kept_whole()
    {
        var remediation = new string('r', 511) + "!";

        Assert.Equal(remediation, Text(Write(ReportSamples.Web, ReportSamples.Admin with { Remediation = remediation }), "Remediation", "Recommendation", "Text"));
    }

    [Fact]
    public void A_blank_remediation_falls_back_to_the_rules()
    {
        Assert.Equal(ReportSamples.AdminRule.Remediation, Text(Write(ReportSamples.Web, ReportSamples.Admin with { Remediation = "  " }), "Remediation", "Recommendation", "Text"));
    }

    [Fact]
    public void A_finding_naming_thousands_of_actions_stays_far_below_240_kb()
    {
        var actions = Enumerable.Range(0, 20_000).Select(i => $"service{i}:VeryLongActionNameNumber{i}").ToList();
        var huge = new string('\u0001', 100_000); // control characters: 6 bytes each once escaped
        var finding = ReportSamples.Admin with
        {
            Actions = [.. actions],
            Resources = [.. actions],
            Message = huge,
            Remediation = huge,
            Conditional = huge,
            Source = new FindingSource(SourceKind.InlinePolicy, huge),
            Statement = huge,
        };

        var written = AsffFindingWriter.Active(ReportSamples.Web, finding, Times, huge);
        var asff = Parse(written);

        Assert.True(written.Json.Length < 64 * 1024, $"{written.Json.Length} bytes");
        var listed = Text(asff, "ProductFields", AsffProductFields.Actions);
        Assert.True(listed.Length <= 2048);
        Assert.Matches(@"service\d+:VeryLongActionNameNumber\d+ \(\+\d+ more\)$", listed);
        Assert.Equal(huge[..1023] + "\u2026", Text(asff, "Description")[..1024]);
        Assert.Empty(SchemaFile.Asff.Errors(asff.GetRawText()));
    }

    [Fact]
    public void Text_from_input_is_escaped_and_reads_back_the_same()
    {
        const string Hostile = "\"},\"RecordState\":\"ARCHIVED\" \u202Eevil\u200B \\ \n<script>";
        var finding = ReportSamples.Admin with { Message = Hostile, Source = new FindingSource(SourceKind.InlinePolicy, Hostile) };

        var written = AsffFindingWriter.Active(ReportSamples.Web, finding, Times, "1");
        var raw = Encoding.UTF8.GetString(written.Json.Span);
        var asff = Parse(written);

        Assert.Equal("ACTIVE", Text(asff, "RecordState"));
        Assert.StartsWith(Hostile, Text(asff, "Description"), StringComparison.Ordinal);
        Assert.Equal("inline policy " + Hostile + ", statement AllowEverything", Text(asff, "ProductFields", AsffProductFields.Source));
        Assert.DoesNotContain('\u202E', raw); // the bidi override is a \u escape: the same value, nothing hidden
        Assert.Contains("\\u202E", raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Product_field_keys_are_within_the_documented_limits()
    {
        Assert.All(AsffProductFields.All, key => Assert.InRange(key.Length, 1, 128));
        Assert.InRange(AsffProductFields.All.Count, 1, 50);
        Assert.Equal(AsffProductFields.All.Count, AsffProductFields.All.Distinct(StringComparer.Ordinal).Count());
        var written = Write(ReportSamples.Web, ReportSamples.Admin).GetProperty("ProductFields").EnumerateObject().Select(p => p.Name);
        Assert.Equal(AsffProductFields.All, written);
    }

    [Fact]
    public void Timestamps_are_utc_with_milliseconds()
    {
        Assert.Equal("2026-01-02T03:04:05.006Z", AsffFindingWriter.Timestamp(new DateTimeOffset(2026, 1, 2, 4, 4, 5, 6, TimeSpan.FromHours(1))));
    }
}
