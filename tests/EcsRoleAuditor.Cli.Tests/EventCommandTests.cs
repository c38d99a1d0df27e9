using System.Text.Json.Nodes;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary><c>event FILE</c> in this process: the Lambda's handler on each sample event, offline (the demo account or its files).</summary>
public sealed class EventCommandTests : IDisposable
{
    private const string Violating = "register-task-definition-violating.json";
    private const string BillingAlert = "[HIGH] 2 ECS role violations in billing-worker:12";
    private const string LegacyAlert = "[CRITICAL] 5 ECS role violations in legacy-reports:3";
    private const string OrdersAlert = "[CRITICAL] 3 ECS role violations in orders-api:7";
    private const string DryRunTopic = "arn:aws:sns:eu-west-1:111122223333:ecs-role-auditor-dry-run";

    private readonly ScratchFolder _scratch = new("era-event-tests-");

    public void Dispose() => _scratch.Dispose();

    private static string[] Files => ["--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions];

    /// <summary>Sample, the handler's response status ("report" for the direct invocation's report), exit code, subjects.</summary>
    public static TheoryData<string, string, int, string[]> SampleEvents => new()
    {
        { "attach-role-policy.json", "audited", 1, [LegacyAlert] },
        // The demo account still lists billing-worker:12 ACTIVE, as ECS may for a moment after the call: nothing to audit.
        { "deregister-task-definition.json", "audited", 0, [] },
        { "direct-invocation.json", "report", 1, [BillingAlert] },
        { "put-role-policy.json", "audited", 1, [BillingAlert] },
        { "register-task-definition-clean.json", "audited", 0, [] },
        { "register-task-definition-failed.json", "ignored", 0, [] },
        { "register-task-definition-truncated.json", "audited", 1, [LegacyAlert] },
        { Violating, "audited", 1, [BillingAlert] },
        { "run-task-with-role-overrides.json", "audited", 1, [OrdersAlert] },
        { "scheduled-sweep.json", "audited", 1, [BillingAlert, LegacyAlert] },
        // The demo's billing-worker:12 carries no tag: the re-audit of its family still finds ERA020.
        { "tag-task-definition-suppress.json", "audited", 1, [BillingAlert] },
        { "unrelated-event.json", "ignored", 0, [] },
    };

    public static TheoryData<string> SampleNames => [.. TestData.SampleEvents.Names];

    [Fact]
    public void Every_sample_event_has_an_expectation()
    {
        Assert.Equal(TestData.SampleEvents.Names, SampleEvents.Select(row => (string)row[0]));
    }

    [Theory]
    [MemberData(nameof(SampleEvents))]
    public void Each_sample_event_on_the_demo_account_prints_its_alerts_and_exits_by_them(string sample, string status, int exitCode, string[] subjects)
    {
        var run = EventOutput.Run(sample, "--demo");

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal(subjects, run.Subjects);
        Assert.All(run.Messages, message =>
        {
            // A dry run addresses a placeholder topic in the event's account and region (IAM events arrive in us-east-1).
            Assert.EndsWith(":ecs-role-auditor-dry-run", message.TopicArn, StringComparison.Ordinal);
            Assert.Equal((false, null), (message.Published, message.MessageId));
            message.AssertWellFormed();
        });
        if (status == "report")
        {
            Assert.Equal(1, run.Response.GetProperty("schemaVersion").GetInt32());
        }
        else
        {
            Assert.Equal(status, run.Response.GetProperty("status").GetString());
        }
        Assert.Contains($"{run.Messages.Count} message{(run.Messages.Count == 1 ? "" : "s")} not published (dry run)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_violating_registration_alerts_the_execution_role_holding_the_task_roles_permissions()
    {
        var message = Assert.Single(EventOutput.Run(Violating, "--demo").Messages);

        Assert.Equal(["ERA020"], message.RuleIds);
        Assert.Equal(("HIGH", "3", "billing-worker", "111122223333", "eu-west-1"),
            (message.Attribute("severity"), message.Attribute("severityRank"), message.Attribute("family"), message.Attribute("accountId"), message.Attribute("region")));
        Assert.Contains("Fix: Move this statement to the task role billing-worker-task", message.Email, StringComparison.Ordinal);
        Assert.Contains("billing-worker:12", message.Chat.GetProperty("content").GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_shows_the_subject_the_attributes_and_the_three_bodies()
    {
        var run = CliRun.Of("event", Path.Combine(TestData.SampleEvents.Folder, Violating), "--demo");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"=== SNS message 1 of 1 to {DryRunTopic}: not published (add --publish to send it)", run.StdoutLines);
        Assert.Contains($"Subject: {BillingAlert}", run.StdoutLines);
        Assert.Contains("severityRank (Number): 3", run.StdoutLines);
        Assert.Contains("ruleIds (String.Array): [\"ERA020\"]", run.StdoutLines);
        Assert.Equal(["--- default ---", "--- email ---", "--- https ---"], run.StdoutLines.Where(l => l.StartsWith("--- ", StringComparison.Ordinal)));
        Assert.Contains("=== Handler response", run.StdoutLines);
    }

    [Fact]
    public void Without_alerts_the_text_output_says_so()
    {
        var run = CliRun.Of("event", Path.Combine(TestData.SampleEvents.Folder, "unrelated-event.json"), "--demo");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No SNS message.", run.StdoutLines[0]);
    }

    [Theory]
    [InlineData("*", "111122223333")]
    [InlineData("eu-west-1\u001b[2J", "111122223333")]
    [InlineData("eu-west-1", "1111\u202e22223333")]
    public void An_event_with_a_region_or_account_AWS_would_not_write_gets_the_files_placeholder_not_a_crash(string region, string account)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.SampleEvents.Folder, "register-task-definition-failed.json")))!;
        sample["region"] = region;
        sample["account"] = account;

        var run = CliRun.Of("event", _scratch.Write("hostile-envelope.json", sample.ToJsonString()), "--demo", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Stdout + run.Stderr);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void The_demo_accounts_files_give_what_the_demo_gives(string sample)
    {
        var demo = EventOutput.Run(sample, "--demo");
        var files = EventOutput.Run(sample, Files);

        Assert.Equal(demo.ExitCode, files.ExitCode);
        Assert.Equal(demo.Subjects, files.Subjects);
        Assert.Equal(demo.Messages.Select(m => m.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)), files.Messages.Select(m => m.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)));
        Assert.Equal(demo.Messages.Select(m => m.Report.GetRawText()), files.Messages.Select(m => m.Report.GetRawText()));
        Assert.Equal(demo.Messages.Select(m => m.Email), files.Messages.Select(m => m.Email));
    }

    [Theory]
    [InlineData(Violating, "1 task definition not audited")]
    [InlineData("direct-invocation.json", "1 task definition not audited")]
    // A role event lists ACTIVE task definitions first: the deadline leaves that step, not one task definition, unaudited.
    [InlineData("put-role-policy.json", "ECS role audit incomplete: ACTIVE task definitions")]
    [InlineData("scheduled-sweep.json", "")]
    public void A_timeout_within_the_publish_reserve_alerts_the_audit_incomplete_and_exits_3(string sample, string subjectEnd)
    {
        // 1 s is less than the 3 s the handler keeps for publishing: auditing is over before it starts, whatever the machine's speed.
        var run = EventOutput.Run(sample, "--demo", "--timeout", "1");

        Assert.Equal(3, run.ExitCode);
        var message = Assert.Single(run.Messages);
        Assert.StartsWith("[MEDIUM] ECS role audit incomplete", message.Subject, StringComparison.Ordinal);
        Assert.EndsWith(subjectEnd, message.Subject, StringComparison.Ordinal);
        Assert.Equal(["ERA005"], message.RuleIds);
        Assert.Contains("reached its deadline", message.Email, StringComparison.Ordinal);
        Assert.Contains("audit incomplete", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--demo")]
    [InlineData("--files")]
    public void A_dry_run_of_an_event_naming_no_account_addresses_the_account_and_region_of_the_files(string source)
    {
        // A direct invocation names neither account nor region; an incomplete audit's alert has no task definition ARN to take them from.
        var run = EventOutput.Run("direct-invocation.json", [.. source == "--demo" ? ["--demo"] : Files, "--timeout", "1"]);

        var message = Assert.Single(run.Messages);
        Assert.Equal(DryRunTopic, message.TopicArn);
        Assert.Equal("111122223333", message.Attribute("accountId"));
        Assert.Equal("eu-west-1", message.Attribute("region"));
    }

    /// <summary>
    /// Partition, region and console host of the China and GovCloud (US) partitions: ARNs begin arn:aws-cn
    /// (https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html) and arn:aws-us-gov
    /// (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html); the Amazon ECS Developer Guide
    /// links their consoles as https://cn-north-1.console.amazonaws.cn/...?region=cn-north-1 and
    /// https://console.amazonaws-us-gov.com/...?region=us-gov-west-1
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html).
    /// </summary>
    public static TheoryData<string, string, string> OtherPartitions => new()
    {
        { "aws-cn", "cn-north-1", "https://cn-north-1.console.amazonaws.cn" },
        { "aws-us-gov", "us-gov-west-1", "https://console.amazonaws-us-gov.com" },
    };

    [Theory]
    [MemberData(nameof(OtherPartitions))]
    public void In_china_and_govcloud_a_dry_run_alerts_as_in_the_standard_partition_on_that_partitions_topic_and_console(string partition, string region, string console)
    {
        var (sample, files) = MovedTo(partition, region, Violating);

        var message = Assert.Single(EventOutput.Of(CliRun.Of([.. EventOutput.Arguments(sample, files)])).Messages);

        Assert.Equal(BillingAlert, message.Subject);
        Assert.Equal(["ERA020"], message.RuleIds);
        Assert.Equal($"arn:{partition}:sns:{region}:111122223333:ecs-role-auditor-dry-run", message.TopicArn);
        Assert.Contains($"{console}/ecs/v2/task-definitions/billing-worker/12?region={region}", message.Email, StringComparison.Ordinal);
        Assert.Contains($"{console}/iam/home?region={region}#/roles/details/billing-worker-execution", message.Email, StringComparison.Ordinal);
        Assert.DoesNotContain("console.aws.amazon.com", message.Email, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OtherPartitions))]
    public void In_china_and_govcloud_an_incomplete_audit_naming_no_task_definition_arn_links_that_partitions_console(string partition, string region, string console)
    {
        // A direct invocation names no region: the region, and so the partition, come from the files' task definition ARNs.
        var (sample, files) = MovedTo(partition, region, "direct-invocation.json");

        var message = Assert.Single(EventOutput.Of(CliRun.Of([.. EventOutput.Arguments(sample, [.. files, "--timeout", "1"])])).Messages);

        Assert.Equal(["ERA005"], message.RuleIds);
        Assert.Equal($"arn:{partition}:sns:{region}:111122223333:ecs-role-auditor-dry-run", message.TopicArn);
        Assert.Contains($"{console}/ecs/v2/task-definitions/billing-worker/12?region={region}", message.Email, StringComparison.Ordinal);
        Assert.DoesNotContain("console.aws.amazon.com", message.Email, StringComparison.Ordinal);
    }

    /// <summary>The sample event and the demo account's files with every ARN, region and ECR host moved to <paramref name="partition"/> and <paramref name="region"/>.</summary>
    private (string Sample, string[] Files) MovedTo(string partition, string region, string sample)
    {
        string Move(string text) => text
            .Replace("arn:aws:", $"arn:{partition}:", StringComparison.Ordinal)
            .Replace("arn%3Aaws%3A", $"arn%3A{partition}%3A", StringComparison.Ordinal)
            .Replace(".dkr.ecr.eu-west-1.amazonaws.com/", partition == "aws-cn" ? $".dkr.ecr.{region}.amazonaws.com.cn/" : $".dkr.ecr.{region}.amazonaws.com/", StringComparison.Ordinal)
            .Replace("eu-west-1", region, StringComparison.Ordinal);
        var moved = Move(File.ReadAllText(Path.Combine(TestData.SampleEvents.Folder, sample)));
        Assert.DoesNotContain("arn:aws:", moved, StringComparison.Ordinal);
        return (_scratch.Write($"{partition}-{sample}", moved),
            ["--iam", _scratch.Write($"{partition}-account.json", Move(File.ReadAllText(DemoFiles.Account))),
             "--task-definitions", _scratch.Write($"{partition}-task-definitions.json", Move(File.ReadAllText(DemoFiles.TaskDefinitions)))]);
    }

    [Fact]
    public void Min_severity_critical_leaves_out_the_high_alert_and_keeps_the_critical_one()
    {
        var violating = EventOutput.Run(Violating, "--demo", "--min-severity", "CRITICAL");
        var runTask = EventOutput.Run("run-task-with-role-overrides.json", "--demo", "--min-severity", "critical");

        Assert.Equal((0, 0), (violating.ExitCode, violating.Messages.Count));
        Assert.Equal(1, runTask.ExitCode);
        var message = Assert.Single(runTask.Messages);
        Assert.All(message.Findings, f => Assert.Equal("CRITICAL", f.GetProperty("severity").GetString()));
    }

    [Fact]
    public void Min_severity_low_adds_the_low_finding_the_default_leaves_out()
    {
        var message = Assert.Single(EventOutput.Run(Violating, "--demo", "--min-severity", "LOW").Messages);

        Assert.Equal(["ERA020", "ERA030"], message.RuleIds);
        Assert.Equal("HIGH", message.Attribute("severity"));
    }

    [Fact]
    public void A_suppressions_file_suppresses_and_the_log_says_why()
    {
        var suppressions = _scratch.Write("suppressions.json", """[{"rule":"ERA020","family":"billing-*","reason":"moving in Q3"}]""");

        var run = EventOutput.Run(Violating, "--demo", "--suppressions", suppressions, "--log-level", "INFO");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Messages);
        Assert.Contains("ERA020 HIGH suppressed (configured suppression: moving in Q3)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_task_whose_task_definition_is_not_in_the_files_is_an_incomplete_audit_not_a_crash()
    {
        var run = EventOutput.Run("run-task-with-role-overrides.json", "--iam", DemoFiles.Account);

        Assert.Equal(3, run.ExitCode);
        var message = Assert.Single(run.Messages);
        Assert.Equal(["ERA005"], message.RuleIds);
        Assert.Contains("orders-api", message.Email, StringComparison.Ordinal);
        Assert.Contains("DescribeTaskDefinition failed (ClientException)", message.Email, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "event needs one source for ECS and IAM")]
    [InlineData("--demo --live", "event needs one source for ECS and IAM")]
    [InlineData("--demo --iam {account}", "event needs one source for ECS and IAM")]
    [InlineData("--task-definitions {taskDefinitions}", "--task-definitions goes with --iam FILE")]
    [InlineData("--demo --publish", "--publish needs the topic: --topic-arn ARN or ALERT_TOPIC_ARN")]
    [InlineData("--publish --topic-arn arn:aws:sns:eu-west-1:111122223333:alerts", "event needs one source for ECS and IAM")]
    [InlineData("--demo --timeout 0", "--timeout must be more than 0 and at most 900 seconds (Lambda's limit), not 0")]
    [InlineData("--demo --timeout 901", "--timeout must be more than 0 and at most 900 seconds (Lambda's limit), not 901")]
    [InlineData("--demo --min-severity SEVERE", "MIN_SEVERITY must be CRITICAL, HIGH, MEDIUM, LOW or INFO")]
    [InlineData("--demo --log-level LOUD", "LOG_LEVEL")]
    [InlineData("--demo --region eu-west-1", "--region, --profile, --assume-role and --request-timeout go with --live or --publish")]
    [InlineData("--demo --request-timeout 5", "--region, --profile, --assume-role and --request-timeout go with --live or --publish")]
    [InlineData("--live --request-timeout 0", "--request-timeout must be from 1 to 300 seconds, not 0")]
    [InlineData("--live --request-timeout 301", "--request-timeout must be from 1 to 300 seconds, not 301")]
    [InlineData("--demo --publish --topic-arn arn:aws:sns:eu-west-1:111122223333:alerts --region us-east-1", "--region goes with --live (SNS is called in the topic's region)")]
    [InlineData("--demo --format xml", "--format must be text or json, not 'xml'")]
    public void A_usage_error_says_what_is_wrong_and_exits_2(string options, string message)
    {
        var args = options.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Replace("{account}", DemoFiles.Account, StringComparison.Ordinal).Replace("{taskDefinitions}", DemoFiles.TaskDefinitions, StringComparison.Ordinal));

        var run = CliRun.Of(["event", Path.Combine(TestData.SampleEvents.Folder, Violating), .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void An_event_that_is_not_JSON_is_a_usage_error_naming_line_and_column()
    {
        var path = _scratch.Write("broken.json", "{\n  \"source\": \"aws.ecs\",\n  detail\n}");

        var run = CliRun.Of("event", path, "--demo");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{path}: the event is not valid JSON at line 3, column 3", run.Stderr, StringComparison.Ordinal);
    }
}

/// <summary><c>event --state-file</c>: the findings store in a local file, so dedup and resolution show without AWS.</summary>
public sealed class EventStateFileTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("era-event-state-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void The_second_run_of_a_standing_violation_sends_nothing_and_says_why_in_the_log()
    {
        var state = _scratch.PathOf("state.json");

        var first = EventOutput.Run("scheduled-sweep.json", "--demo", "--state-file", state);
        var second = EventOutput.Run("put-role-policy.json", "--demo", "--state-file", state, "--log-level", "INFO");

        Assert.Equal(2, first.Messages.Count);
        Assert.Empty(second.Messages);
        Assert.Contains("ERA020 HIGH open, alerted earlier", second.Stderr, StringComparison.Ordinal);
        // The exit code still reports what the audit found: the store decides alerts, not the verdict.
        Assert.Equal(1, second.ExitCode);
    }

    [Theory]
    [InlineData("""{"version":2,"findings":[]}""", "not a findings state file of version 1")]
    [InlineData("""{"version":1,"findings":[{"bogus":1}]}""", "at $.findings[0].bogus")]
    [InlineData("""{"version":1,"version":1}""", "not a findings state file")]
    [InlineData("""[1,2""", "not a findings state file")]
    public void A_state_file_that_is_not_one_is_a_one_line_error_naming_it(string content, string expected)
    {
        var state = _scratch.Write("state.json", content);

        var run = CliRun.Of("event", Path.Combine(TestData.SampleEvents.Folder, "scheduled-sweep.json"), "--demo", "--state-file", state);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(state, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(state));
    }
}
