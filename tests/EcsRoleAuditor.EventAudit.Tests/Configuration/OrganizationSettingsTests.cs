using EcsRoleAuditor.EventAudit.Configuration;

namespace EcsRoleAuditor.EventAudit.Tests.Configuration;

public sealed class OrganizationSettingsTests
{
    private const string Topic = "arn:aws:sns:eu-west-1:111122223333:ecs-role-auditor-alerts";
    private const string Queue = "https://sqs.eu-west-1.amazonaws.com/111122223333/ecs-role-auditor-sweep";

    private static AuditorSettings Read(params (string Name, string Value)[] variables) =>
        SettingsReader.Read(name => name == "ALERT_TOPIC_ARN" ? Topic : variables.FirstOrDefault(v => v.Name == name).Value);

    private static IReadOnlyList<string> Problems(params (string Name, string Value)[] variables) =>
        Assert.Throws<ConfigurationException>(() => Read(variables)).Problems;

    [Fact]
    public void Without_ORGANIZATION_ID_the_function_audits_its_own_account()
    {
        Assert.Null(Read(("AWS_REGION", "eu-west-1"), ("READER_ROLE_NAME", "EcsRoleAuditorReader")).Organization);
    }

    [Fact]
    public void Organization_mode_reads_every_variable_and_defaults_the_role_and_the_regions()
    {
        var defaults = Read(("ORGANIZATION_ID", "o-a1b2c3d4e5"), ("AWS_REGION", "eu-west-1"), ("SWEEP_QUEUE_URL", Queue)).Organization;
        var all = Read(("ORGANIZATION_ID", "o-a1b2c3d4e5"), ("AWS_REGION", "eu-west-1"), ("SWEEP_QUEUE_URL", Queue), ("READER_ROLE_NAME", "Auditor"),
            ("AUDIT_REGIONS", "us-east-1, eu-west-1"), ("ACCOUNTS", "444455556666,111122223333"), ("EXCLUDED_ACCOUNTS", "777788889999")).Organization;

        Assert.Equal(("o-a1b2c3d4e5", "EcsRoleAuditorReader", "eu-west-1", "", Queue),
            (defaults!.OrganizationId, defaults.ReaderRoleName, string.Join(',', defaults.Regions), string.Join(',', defaults.Accounts), defaults.SweepQueueUrl));
        Assert.Equal(("Auditor", "us-east-1,eu-west-1", "444455556666,111122223333", "777788889999"),
            (all!.ReaderRoleName, string.Join(',', all.Regions), string.Join(',', all.Accounts), string.Join(',', all.ExcludedAccounts)));
        Assert.Empty(defaults.ExcludedAccounts);
    }

    [Fact]
    public void Every_problem_is_named_without_quoting_the_value()
    {
        var problems = Problems(("ORGANIZATION_ID", "o-SECRET"), ("READER_ROLE_NAME", "role/with/slashes"), ("AUDIT_REGIONS", "eu-west-1,,cn-north-1"),
            ("ACCOUNTS", "444455556666,12,444455556666"), ("AWS_REGION", "eu-west-1"));

        Assert.Equal(
        [
            "ORGANIZATION_ID is not an organization id (o- and 10 to 32 lowercase letters or digits).",
            "READER_ROLE_NAME is not an IAM role name (1 to 64 letters, digits or +=,.@_-).",
            "AUDIT_REGIONS item 2 is not a region.",
            "AUDIT_REGIONS item 3 is in another partition than the function's region: its accounts' roles cannot be assumed from here.",
            "ACCOUNTS item 2 is not a 12-digit account id.",
            "ACCOUNTS item 3 repeats an earlier item.",
            "SWEEP_QUEUE_URL is required in organization mode: the queue the sweep is fanned out over.",
        ], problems);
        Assert.DoesNotContain(problems, p => p.Contains("SECRET", StringComparison.Ordinal) || p.Contains("slashes", StringComparison.Ordinal));
    }

    [Fact]
    public void Organization_variables_without_ORGANIZATION_ID_are_a_problem_not_silently_ignored()
    {
        Assert.Equal(
        [
            "ACCOUNTS is set but ORGANIZATION_ID is empty: it applies to organization mode only.",
            "EXCLUDED_ACCOUNTS is set but ORGANIZATION_ID is empty: it applies to organization mode only.",
            "SWEEP_QUEUE_URL is set but ORGANIZATION_ID is empty: it applies to organization mode only.",
        ], Problems(("ACCOUNTS", "444455556666"), ("EXCLUDED_ACCOUNTS", "111122223333"), ("SWEEP_QUEUE_URL", Queue)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://sqs.eu-west-1.amazonaws.com/1/q")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com")]
    [InlineData("sqs-queue-name")]
    public void A_queue_that_is_no_URL_is_refused(string url)
    {
        var problem = Assert.Single(Problems(("ORGANIZATION_ID", "o-a1b2c3d4e5"), ("AWS_REGION", "eu-west-1"), ("SWEEP_QUEUE_URL", url)));
        Assert.StartsWith("SWEEP_QUEUE_URL", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_AUDIT_REGIONS_and_without_a_function_region_there_is_nowhere_to_audit()
    {
        Assert.Equal(["AUDIT_REGIONS is empty and AWS_REGION names no region to default to."],
            Problems(("ORGANIZATION_ID", "o-a1b2c3d4e5"), ("SWEEP_QUEUE_URL", Queue)));
    }

    [Fact]
    public void An_account_both_listed_and_excluded_is_a_problem_not_a_silent_choice()
    {
        Assert.Equal(["EXCLUDED_ACCOUNTS item 2 is also in ACCOUNTS."],
            Problems(("ORGANIZATION_ID", "o-a1b2c3d4e5"), ("AWS_REGION", "eu-west-1"), ("SWEEP_QUEUE_URL", Queue),
                ("ACCOUNTS", "444455556666,111122223333"), ("EXCLUDED_ACCOUNTS", "777788889999,111122223333")));
    }
}
