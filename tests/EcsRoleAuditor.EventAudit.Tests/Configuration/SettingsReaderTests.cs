using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Configuration;

public sealed class SettingsReaderTests
{
    private const string Topic = "arn:aws:sns:eu-west-1:111122223333:ecs-role-auditor-alerts";

    private static AuditorSettings Read(params (string Name, string Value)[] variables) =>
        SettingsReader.Read(name => variables.FirstOrDefault(v => v.Name == name).Value);

    private static ConfigurationException Fails(params (string Name, string Value)[] variables) =>
        Assert.Throws<ConfigurationException>(() => Read(variables));

    [Fact]
    public void Only_the_topic_is_required_and_the_rest_have_defaults()
    {
        var settings = Read(("ALERT_TOPIC_ARN", Topic));

        Assert.Equal(new AuditorSettings(Topic, Severity.Medium, [], false, LogLevel.Info) with { Suppressions = settings.Suppressions }, settings);
        Assert.Empty(settings.Suppressions);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("TRUE", true)]
    [InlineData(" true ", true)]
    public void SECURITY_HUB_turns_the_Security_Hub_sink_on(string? value, bool expected)
    {
        var settings = value is null ? Read(("ALERT_TOPIC_ARN", Topic)) : Read(("ALERT_TOPIC_ARN", Topic), ("SECURITY_HUB", value));

        Assert.Equal(expected, settings.SecurityHub);
    }

    [Fact]
    public void A_SECURITY_HUB_that_is_not_a_boolean_is_an_init_error_naming_the_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(("ALERT_TOPIC_ARN", Topic), ("SECURITY_HUB", "ENABLED")));

        Assert.Contains("SECURITY_HUB", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ENABLED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var settings = Read(("ALERT_TOPIC_ARN", Topic), ("MIN_SEVERITY", "high"), ("SWEEP_ALL_REVISIONS", "TRUE"), ("LOG_LEVEL", "debug"),
            ("SUPPRESSIONS", """[{"rule":"ERA012","family":"legacy-*","reason":"migrating"}]"""));

        Assert.Equal((Severity.High, true, LogLevel.Debug), (settings.MinSeverity, settings.SweepAllRevisions, settings.LogLevel));
        Assert.Same(NoConfusedDeputyGuardRule.Rule, Assert.Single(settings.Suppressions).Rule);
    }

    [Fact]
    public void The_findings_store_variables_are_read_and_off_by_default()
    {
        var off = Read(("ALERT_TOPIC_ARN", Topic), ("REMIND_AFTER_DAYS", "0"));
        var on = Read(("ALERT_TOPIC_ARN", Topic), ("STATE_TABLE", " stack-StateTable-1A2B.x_y "), ("HISTORY_DAYS", "30"), ("REMIND_AFTER_DAYS", "7"));

        Assert.Equal((null, 400, null), (off.StateTable, off.HistoryDays, off.RemindAfterDays));
        Assert.Equal(("stack-StateTable-1A2B.x_y", 30, 7), (on.StateTable, on.HistoryDays, on.RemindAfterDays));
    }

    // Table names: 3-255 characters of a-z, A-Z, 0-9, _, -, . (Amazon DynamoDB Developer Guide, "Supported data types
    // and naming rules in Amazon DynamoDB").
    [Theory]
    [InlineData("STATE_TABLE", "ab", "STATE_TABLE is not a DynamoDB table name")]
    [InlineData("STATE_TABLE", "arn:aws:dynamodb:eu-west-1:111122223333:table/t", "STATE_TABLE is not a DynamoDB table name")]
    [InlineData("HISTORY_DAYS", "0", "HISTORY_DAYS must be a whole number of days from 1 to 3650")]
    [InlineData("HISTORY_DAYS", "-5", "HISTORY_DAYS must be")]
    [InlineData("REMIND_AFTER_DAYS", "366", "REMIND_AFTER_DAYS must be a whole number of days from 0 (never) to 365")]
    [InlineData("REMIND_AFTER_DAYS", "1.5", "REMIND_AFTER_DAYS must be")]
    public void Findings_store_variables_out_of_range_are_refused_without_quoting_them(string name, string value, string expected)
    {
        var message = Fails(("ALERT_TOPIC_ARN", Topic), (name, value)).Message;

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, message.Replace(expected, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    // SNS topic ARNs are arn:PARTITION:sns:REGION:ACCOUNT:TOPIC in every partition (Amazon SNS Developer Guide, and
    // https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html, https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html).
    [Theory]
    [InlineData("arn:aws-cn:sns:cn-north-1:111122223333:ecs-role-auditor-alerts")]
    [InlineData("arn:aws-us-gov:sns:us-gov-west-1:111122223333:ecs-role-auditor-alerts")]
    [InlineData(" arn:aws:sns:eu-west-1:111122223333:ecs-role-auditor-alerts ")]
    public void A_topic_in_any_partition_is_accepted(string topic)
    {
        Assert.Equal(topic.Trim(), Read(("ALERT_TOPIC_ARN", topic)).AlertTopicArn);
    }

    [Theory]
    [InlineData("arn:aws-cn:sns::111122223333:alerts")]
    [InlineData("arn:aws:sns:eu-west-1:11112222333:alerts")]
    [InlineData("arn:aws:sns:eu-west-1:111122223333:alerts:extra")]
    [InlineData("arn:aws:sns:eu-west-1:111122223333:")]
    [InlineData("arn::sns:eu-west-1:111122223333:alerts")]
    [InlineData("arn:aws:sns:eu-west-1:111122223333:my alerts")]
    public void A_topic_arn_without_region_twelve_digit_account_or_plain_name_is_refused(string topic)
    {
        Assert.Contains("ALERT_TOPIC_ARN is not an SNS topic ARN", Fails(("ALERT_TOPIC_ARN", topic)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_topic_is_named()
    {
        var error = Fails();

        Assert.Contains("ALERT_TOPIC_ARN is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALERT_TOPIC_ARN", "arn:aws:sqs:eu-west-1:111122223333:s3cr3t-value")]
    [InlineData("ALERT_TOPIC_ARN", "s3cr3t-value")]
    [InlineData("MIN_SEVERITY", "s3cr3t-value")]
    [InlineData("SWEEP_ALL_REVISIONS", "s3cr3t-value")]
    [InlineData("LOG_LEVEL", "s3cr3t-value")]
    [InlineData("LOG_LEVEL", "2")]
    [InlineData("SUPPRESSIONS", "s3cr3t-value")]
    [InlineData("SUPPRESSIONS", """[{"rule":"ERA012","reason":"r","famly":"s3cr3t-value"}]""")]
    [InlineData("SUPPRESSIONS", """[{"rule":"s3cr3t-value","reason":"r"}]""")]
    [InlineData("SUPPRESSIONS", """[{"rule":"ERA012","reason":"r","s3cr3t-value":"x"}]""")]
    [InlineData("SUPPRESSIONS", """[{"rule":"ERA012","reason":"r","role":"x","role":"s3cr3t-value"}]""")]
    [InlineData("SUPPRESSIONS", """[{"rule":"ERA012","reason":"r"},s3cr3t-value]""")]
    public void A_wrong_value_is_named_by_its_variable_and_never_repeated(string name, string value)
    {
        var variables = name == "ALERT_TOPIC_ARN" ? new[] { (name, value) } : [("ALERT_TOPIC_ARN", Topic), (name, value)];

        var error = Fails(variables);

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_problems_are_reported_at_once()
    {
        var error = Fails(("MIN_SEVERITY", "urgent"), ("LOG_LEVEL", "loud"));

        Assert.Equal(3, error.Problems.Count);
    }
}
