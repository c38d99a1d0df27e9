using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

public sealed class AuditInvocationHandlerTests
{
    public static TheoryData<string, string, string[]> SampleEvents => new()
    {
        { "register-task-definition-clean.json", "audited", [] },
        { "register-task-definition-violating.json", "audited", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        { "register-task-definition-truncated.json", "audited", ["[CRITICAL] 5 ECS role violations in legacy-reports:3"] },
        { "register-task-definition-failed.json", "ignored", [] },
        { "run-task-with-role-overrides.json", "audited", ["[CRITICAL] 3 ECS role violations in orders-api:7"] },
        { "put-role-policy.json", "audited", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        { "attach-role-policy.json", "audited", ["[CRITICAL] 5 ECS role violations in legacy-reports:3"] },
        // The demo account still lists billing-worker:12 ACTIVE, as ECS may for a moment after the call: nothing to audit.
        { "deregister-task-definition.json", "audited", [] },
        { "scheduled-sweep.json", "audited", ["[HIGH] 2 ECS role violations in billing-worker:12", "[CRITICAL] 5 ECS role violations in legacy-reports:3"] },
        { "direct-invocation.json", "report", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        // The demo's billing-worker:12 carries no tag: the re-audit of its family still finds ERA020.
        { "tag-task-definition-suppress.json", "audited", ["[HIGH] 2 ECS role violations in billing-worker:12"] },
        { "unrelated-event.json", "ignored", [] },
    };

    [Fact]
    public void Every_sample_event_has_an_expectation()
    {
        Assert.Equal(DemoAccount.EventNames, SampleEvents.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SampleEvents))]
    public async Task Each_sample_event_publishes_the_expected_alerts(string sample, string status, string[] subjects)
    {
        var fixture = new HandlerFixture();

        var response = await fixture.InvokeAsync(sample);

        Assert.Equal(subjects, fixture.Sns.Published.Select(m => m.Subject));
        using var document = JsonDocument.Parse(response);
        if (status == "report")
        {
            Assert.Equal(1, document.RootElement.GetProperty("schemaVersion").GetInt32());
        }
        else
        {
            Assert.Equal(status, document.RootElement.GetProperty("status").GetString());
        }
        Assert.All(fixture.Sns.Published, m =>
        {
            Assert.Equal(DemoAccount.TopicArn, m.TopicArn);
            Assert.True(m.JsonStructure);
            Assert.True(AlertComposer.SizeOf(m) <= AlertComposer.MaxMessageBytes);
        });
    }

    [Fact]
    public async Task Violating_registration_alert_carries_attributes_and_three_bodies()
    {
        var fixture = new HandlerFixture();

        await fixture.InvokeAsync("register-task-definition-violating.json");

        var message = Assert.Single(fixture.Sns.Published);
        Assert.Equal("HIGH", message.Attributes["severity"].Value);
        Assert.Equal(("Number", "3"), (message.Attributes["severityRank"].DataType, message.Attributes["severityRank"].Value));
        Assert.Equal(("String.Array", "[\"ERA020\"]"), (message.Attributes["ruleIds"].DataType, message.Attributes["ruleIds"].Value));
        Assert.Equal("111122223333", message.Attributes["accountId"].Value);
        Assert.Equal("eu-west-1", message.Attributes["region"].Value);
        Assert.Equal("billing-worker", message.Attributes["family"].Value);
        var (report, email, chat) = HandlerFixture.Bodies(message);
        var findings = report.GetProperty("reports")[0].GetProperty("findings").EnumerateArray().ToList();
        // The LOW ERA030 finding is below MIN_SEVERITY: logged, not alerted.
        Assert.Equal(["ERA020", "ERA020"], findings.Select(f => f.GetProperty("ruleId").GetString()));
        Assert.Contains("https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/billing-worker/12?region=eu-west-1", email, StringComparison.Ordinal);
        Assert.Contains("#/roles/details/billing-worker-execution", email, StringComparison.Ordinal);
        Assert.Contains("inline policy app-data, statement Invoices", email, StringComparison.Ordinal);
        Assert.Contains("Fix: Move this statement to the task role billing-worker-task", email, StringComparison.Ordinal);
        Assert.Equal("1.0", chat.GetProperty("version").GetString());
        Assert.Equal("custom", chat.GetProperty("source").GetString());
        Assert.Equal("client-markdown", chat.GetProperty("content").GetProperty("textType").GetString());
        Assert.Contains("billing-worker:12", chat.GetProperty("content").GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("ERA020", chat.GetProperty("content").GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.NotEmpty(chat.GetProperty("content").GetProperty("nextSteps").EnumerateArray());
        Assert.Contains(fixture.Observability.Lines, l => l.Message.Contains("ERA030 LOW below MIN_SEVERITY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_email_names_the_fix_command_and_the_short_policy_it_writes_and_the_chat_the_command()
    {
        var fixture = new HandlerFixture();

        await fixture.InvokeAsync("register-task-definition-violating.json");

        var (_, email, chat) = HandlerFixture.Bodies(Assert.Single(fixture.Sns.Published));
        // After the two ERA020 findings (fix settles both: the written role holds only what the agent needs), before the notes.
        Assert.Contains(
            "Fix: Move this statement to the task role billing-worker-task if the application needs it, otherwise delete it: "
            + """{"Sid":"InvoiceTable","Effect":"Allow","Action":["dynamodb:PutItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:eu-west-1:111122223333:table/invoices"}"""
            + "\n\n"
            + "Write the least-privilege execution role: ecs-role-auditor fix --live --task-definition billing-worker:12 --region eu-west-1\n"
            + "   Its policy, all the role needs: "
            + """{"Version":"2012-10-17","Statement":[{"Sid":"EcrGetAuthorizationToken","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},"""
            + """{"Sid":"Ecr","Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"],"Resource":"arn:aws:ecr:eu-west-1:111122223333:repository/billing-worker"},"""
            + """{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/billing-worker:*"}]}""" + "\n"
            + "\n"
            + "Suppressed findings and findings below MIN_SEVERITY are not alerted",
            email, StringComparison.Ordinal);
        Assert.Equal(
            "Write the least-privilege execution role: `ecs-role-auditor fix --live --task-definition billing-worker:12 --region eu-west-1`",
            chat.GetProperty("content").GetProperty("nextSteps")[0].GetString());
    }

    [Fact]
    public async Task Suppressed_findings_are_logged_but_not_alerted()
    {
        var fixture = new HandlerFixture(suppressions: SuppressionConfig.Parse("""[{"rule":"ERA020","family":"billing-*","reason":"moving in Q3"}]""", "test"));

        await fixture.InvokeAsync("register-task-definition-violating.json");

        Assert.Empty(fixture.Sns.Published);
        Assert.Contains(fixture.Observability.Lines, l => l.Message.Contains("ERA020 HIGH suppressed (configured suppression: moving in Q3)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_log_counts_each_audits_findings_in_words()
    {
        var fixture = new HandlerFixture();

        await fixture.InvokeAsync("register-task-definition-clean.json");
        await fixture.InvokeAsync("register-task-definition-violating.json");

        Assert.Contains(fixture.Observability.Lines, l => l.Message == "Audited orders-api:7: 0 findings, 0 suppressed.");
        Assert.Contains(fixture.Observability.Lines, l => l.Message == "Audited billing-worker:12: 3 findings, 0 suppressed.");
    }

    [Fact]
    public async Task A_plaintext_secret_never_reaches_an_alert_or_a_log_line()
    {
        const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        var fixture = new HandlerFixture(minSeverity: Severity.Info);
        var definition = JsonNode.Parse(DemoAccount.DescribeOutputs()["arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:7"])!;
        definition["taskDefinition"]!["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:8";
        definition["taskDefinition"]!["revision"] = 8;
        definition["taskDefinition"]!["containerDefinitions"]![0]!["environment"]!.AsArray().Add(new JsonObject { ["name"] = "AWS_SECRET_ACCESS_KEY", ["value"] = secret });
        fixture.Ecs.Add(definition.ToJsonString());

        await fixture.InvokeAsync("""{"taskDefinition":"orders-api:8"}"""u8.ToArray());

        var message = Assert.Single(fixture.Sns.Published);
        Assert.Contains("ERA050", message.Attributes["ruleIds"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, message.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(message.Message), StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", message.Message.Replace("\\/", "/", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", fixture.Observability.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_during_a_sweep_publishes_an_incomplete_alert_naming_what_was_not_audited()
    {
        var fixture = new HandlerFixture();
        using var runtime = new CancellationTokenSource();
        // The runtime's deadline margin arrives while the second task definition is being described.
        fixture.Ecs.OnDescribe = reference => { if (fixture.Ecs.Described.Count == 1) runtime.Cancel(); };

        var response = await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"), cancellationToken: runtime.Token);

        // The run describes every task definition before it reads roles (the plan needs the roles they name), so a
        // deadline while describing leaves all three unaudited: the one described already and the two that were not.
        var incomplete = Assert.Single(fixture.Sns.Published);
        Assert.Equal("[MEDIUM] ECS role audit incomplete: 3 task definitions not audited", incomplete.Subject);
        Assert.Equal("[\"ERA005\"]", incomplete.Attributes["ruleIds"].Value);
        var (report, email, _) = HandlerFixture.Bodies(incomplete);
        Assert.Equal(["billing-worker", "legacy-reports", "orders-api"], report.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("family").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains("reached its deadline", email, StringComparison.Ordinal);
        Assert.Equal(3, fixture.Observability.Incomplete);
        Assert.Equal(3, JsonDocument.Parse(response).RootElement.GetProperty("incomplete").GetInt32());
        Assert.Equal(3, fixture.Observability.Lines.Count(l => l.Level == LogLevel.Warn && l.Message.StartsWith("Not audited: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(false, new[] { "billing-worker:12", "legacy-reports:3", "orders-api:7" })]
    [InlineData(true, new[] { "billing-worker:11", "billing-worker:12", "legacy-reports:3", "orders-api:7" })]
    public async Task The_sweep_audits_each_familys_latest_active_revision_or_with_SWEEP_ALL_REVISIONS_every_one(bool allRevisions, string[] audited)
    {
        var fixture = new HandlerFixture(sweepAllRevisions: allRevisions);
        var latest = DemoAccount.DescribeOutputs().Single(d => d.Key.EndsWith("/billing-worker:12", StringComparison.Ordinal)).Value;
        fixture.Ecs.Add(latest.Replace("billing-worker:12", "billing-worker:11", StringComparison.Ordinal).Replace("\"revision\": 12", "\"revision\": 11", StringComparison.Ordinal));

        await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));

        Assert.Equal(audited, fixture.Observability.Completed.Select(r => r.DisplayName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Too_little_time_left_still_publishes_the_incomplete_alert_instead_of_dying_silently()
    {
        var fixture = new HandlerFixture();

        var response = await fixture.InvokeAsync(DemoAccount.Event("direct-invocation.json"), remaining: TimeSpan.FromSeconds(2));

        var message = Assert.Single(fixture.Sns.Published);
        Assert.Equal("[MEDIUM] ECS role audit incomplete: 1 task definition not audited", message.Subject);
        Assert.Contains(fixture.Observability.Lines, l => l.Message.StartsWith("Not audited: billing-worker:12: the invocation reached its deadline", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(response);
        Assert.Equal("ERA005", document.RootElement.GetProperty("reports")[0].GetProperty("findings")[0].GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task Unreachable_sns_makes_the_invocation_fail_so_lambda_retries()
    {
        var fixture = new HandlerFixture(unreachableSns: true);

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => fixture.InvokeAsync("register-task-definition-violating.json"));

        Assert.Equal("ServiceUnavailable", error.ErrorCode);
    }

    [Fact]
    public async Task A_task_definition_that_cannot_be_described_is_reported_incomplete()
    {
        var fixture = new HandlerFixture();

        await fixture.InvokeAsync("""{"taskDefinition":"no-such-family:1"}"""u8.ToArray());

        var message = Assert.Single(fixture.Sns.Published);
        var (_, email, _) = HandlerFixture.Bodies(message);
        Assert.Contains("no-such-family:1", email, StringComparison.Ordinal);
        Assert.Contains("DescribeTaskDefinition failed (ClientException)", email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ignored_events_make_no_aws_call()
    {
        var fixture = new HandlerFixture();

        await fixture.InvokeAsync("unrelated-event.json");
        await fixture.InvokeAsync("register-task-definition-failed.json");
        await fixture.InvokeAsync("not json at all"u8.ToArray());

        Assert.Empty(fixture.Sns.Published);
        Assert.Equal(0, fixture.Ecs.Calls + fixture.Iam.Calls);
        Assert.Contains("AccessDenied", fixture.Observability.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_invocation_longer_than_ecs_allows_is_refused_before_any_call_and_logged_briefly()
    {
        var fixture = new HandlerFixture();
        var payload = System.Text.Encoding.UTF8.GetBytes($$"""{"taskDefinition": "{{new string('a', 5 * 1024 * 1024)}}:1"}""");

        var response = await fixture.InvokeAsync(payload);

        Assert.Equal(0, fixture.Ecs.Calls + fixture.Iam.Calls);
        Assert.Empty(fixture.Sns.Published);
        Assert.True(response.Length < 1024, $"response of {response.Length:N0} characters");
        var line = Assert.Single(fixture.Observability.Lines);
        Assert.True(line.Message.Length < 1024, $"log line of {line.Message.Length:N0} characters");
    }

    [Fact]
    public async Task A_role_that_could_not_be_read_is_alerted_even_below_MIN_SEVERITY()
    {
        // ERA005 is MEDIUM; with MIN_SEVERITY=HIGH it would otherwise be left out, and an unreadable role would be silence.
        var fixture = new HandlerFixture(minSeverity: Severity.High);
        fixture.Iam.Deny("orders-api-execution");

        await fixture.InvokeAsync("register-task-definition-clean.json");

        var alert = Assert.Single(fixture.Sns.Published);
        Assert.Equal("[\"ERA005\"]", alert.Attributes["ruleIds"].Value);
        Assert.Contains("orders-api:7", alert.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_role_hands_the_metrics_an_incomplete_report_and_a_clean_audit_a_complete_one()
    {
        // IAM failing: the audit finishes with ERA005 inside its report; AuditIncomplete counts such reports (IAuditMetrics).
        var failing = new HandlerFixture();
        failing.Iam.Deny("orders-api-execution");
        var clean = new HandlerFixture();

        await failing.InvokeAsync("register-task-definition-clean.json");
        await clean.InvokeAsync("register-task-definition-clean.json");

        Assert.True(Assert.Single(failing.Observability.Completed).IsIncomplete);
        Assert.False(Assert.Single(clean.Observability.Completed).IsIncomplete);
        // Audited, so not also counted among the unfinished.
        Assert.Equal(0, failing.Observability.Incomplete);
    }

    [Fact]
    public async Task A_task_definition_is_marked_incomplete_once_however_many_of_its_roles_are_unreadable()
    {
        var fixture = new HandlerFixture();
        // billing-worker's task and execution roles both unreadable: two ERA005 findings, one incomplete report.
        fixture.Iam.Deny("billing-worker-task");
        fixture.Iam.Deny("billing-worker-execution");

        await fixture.InvokeAsync("register-task-definition-violating.json");

        var billing = Assert.Single(fixture.Observability.Completed);
        Assert.Equal("billing-worker", billing.Family);
        Assert.Equal(2, billing.Findings.Count(f => f.Rule == IncompleteAuditRule.Rule));
        Assert.True(billing.IsIncomplete);
        Assert.Equal(0, fixture.Observability.Incomplete);
    }

    [Fact]
    public async Task New_default_version_of_a_managed_policy_re_audits_the_task_definitions_whose_roles_attach_it()
    {
        var fixture = new HandlerFixture();
        var sample = JsonNode.Parse(DemoAccount.Event("attach-role-policy.json"))!;
        sample["detail"]!["eventName"] = "CreatePolicyVersion";
        sample["detail"]!["requestParameters"] = new JsonObject
        {
            ["policyArn"] = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            ["policyDocument"] = "{}",
            ["setAsDefault"] = true,
        };

        await fixture.InvokeAsync(JsonSerializer.SerializeToUtf8Bytes(sample));

        // Attached to orders-api-execution and billing-worker-execution; legacy-reports does not use it.
        Assert.Equal(["billing-worker:12", "orders-api:7"], fixture.Observability.Completed.Select(r => r.DisplayName).Order(StringComparer.Ordinal));
        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12"], fixture.Sns.Published.Select(m => m.Subject));
        // One call finds the roles that attach the policy; the four roles of the two task definitions are then read in
        // bulk, which RoleReadPlan estimates cheaper than per role (one page of the recording).
        Assert.Equal(2, fixture.Iam.CallsOf("GetAccountAuthorizationDetails"));
    }

    [Fact]
    public async Task The_role_read_path_follows_the_plan_for_the_task_definitions_not_the_kind_of_event()
    {
        // RoleReadPlan (docs/aws-access.md): one task definition's two roles cost fewer calls per role; the sweep's five
        // roles fewer in bulk (every page of GetAccountAuthorizationDetails).
        var one = new HandlerFixture();
        var sweep = new HandlerFixture();

        await one.InvokeAsync("register-task-definition-violating.json");
        await sweep.InvokeAsync("scheduled-sweep.json");

        Assert.Equal(0, one.Iam.CallsOf("GetAccountAuthorizationDetails"));
        Assert.Equal(2, one.Iam.CallsOf("GetRole"));
        Assert.Equal(1, sweep.Iam.CallsOf("GetAccountAuthorizationDetails"));
        Assert.Equal(0, sweep.Iam.CallsOf("GetRole"));
        Assert.Equal(3, sweep.Observability.Completed.Count);
        // The calls the metrics carry are this invocation's, every one of them.
        Assert.Equal(sweep.Iam.Calls + sweep.Ecs.Calls, sweep.Observability.AwsApiCalls);
    }

    [Fact]
    public async Task Run_task_overrides_replace_the_roles_that_are_audited()
    {
        var fixture = new HandlerFixture();

        await fixture.InvokeAsync("run-task-with-role-overrides.json");

        var report = Assert.Single(fixture.Observability.Completed);
        Assert.Equal("arn:aws:iam::111122223333:role/legacy-reports", report.TaskRoleArn);
        Assert.Equal("arn:aws:iam::111122223333:role/service-role/orders-api-execution", report.ExecutionRoleArn);
        Assert.Equal(["arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:7"], fixture.Ecs.Described);
    }
}
