using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.EventAudit.Tests.Handling;
using EcsRoleAuditor.Pipeline;
using Microsoft.Extensions.Time.Testing;
using static EcsRoleAuditor.EventAudit.Tests.Organization.InMemoryOrganization;

namespace EcsRoleAuditor.EventAudit.Tests.Organization;

/// <summary>
/// The central function in organization mode (docs/organization.md): events from member accounts are audited in that
/// account and region with its reader role; IAM events in every audited region; the schedule plans one SQS message per
/// account and region; SQS batches sweep them; an account whose role cannot be assumed is an "audit incomplete" alert
/// routed to that account (its accountId attribute), never silence.
/// </summary>
public sealed class OrganizationModeTests
{
    private const string QueueUrl = "https://sqs.eu-west-1.amazonaws.com/111122223333/ecs-role-auditor-sweep";

    [Fact]
    public async Task An_event_from_a_member_account_is_audited_there_with_its_reader_role()
    {
        var fixture = new OrganizationFixture();

        var response = await fixture.InvokeAsync(Event("register-task-definition-violating.json", Payments, "eu-west-1"));

        Assert.Equal([(Payments, "eu-west-1", "EcsRoleAuditor-8f5e1c3a-0b1d-4c7e-9a2f-5d6e7f8a9b0c")], fixture.Organization.Opened);
        var alert = Assert.Single(fixture.Sns.Published);
        Assert.Equal("[HIGH] 2 ECS role violations in billing-worker:12", alert.Subject);
        Assert.Equal(Payments, alert.Attributes["accountId"].Value);
        Assert.Equal("eu-west-1", alert.Attributes["region"].Value);
        Assert.Contains($"arn:aws:ecs:eu-west-1:{Payments}:task-definition/billing-worker:12", alert.Message, StringComparison.Ordinal);
        Assert.Equal("audited", Status(response));
    }

    // BatchImportFindings takes a default-product finding only from the account it names ("BatchImportFindings", AWS
    // Security Hub API Reference): each member's findings go into its own Security Hub, through its reader role.
    [Fact]
    public async Task With_Security_Hub_a_members_findings_are_imported_by_that_member()
    {
        var fixture = new OrganizationFixture(securityHub: true);

        await fixture.InvokeAsync(InMemoryOrganization.Event("register-task-definition-violating.json", Payments, "us-east-1"));

        var imported = fixture.Organization.SecurityHubs[(Payments, "us-east-1")].Imported;
        Assert.NotEmpty(imported);
        Assert.All(imported, f => Assert.Equal(Payments, f["AwsAccountId"]!.GetValue<string>()));
        Assert.All(imported, f => Assert.Equal($"arn:aws:securityhub:us-east-1:{Payments}:product/{Payments}/default", f["ProductArn"]!.GetValue<string>()));
        Assert.Empty(fixture.CentralSecurityHub.Imported);
        Assert.All(fixture.Organization.SecurityHubs.Where(h => h.Key != (Payments, "us-east-1")), h => Assert.Empty(h.Value.Imported));
    }

    [Fact]
    public async Task Without_Security_Hub_no_member_imports()
    {
        var fixture = new OrganizationFixture();

        await fixture.InvokeAsync(InMemoryOrganization.Event("register-task-definition-violating.json", Payments, "us-east-1"));

        Assert.All(fixture.Organization.SecurityHubs.Values, h => Assert.Empty(h.Imported));
    }

    [Fact]
    public async Task The_fix_command_of_a_member_accounts_alert_assumes_the_reader_role_there()
    {
        var fixture = new OrganizationFixture();

        await fixture.InvokeAsync(Event("register-task-definition-violating.json", Payments, "eu-west-1"));

        var (_, email, chat) = HandlerFixture.Bodies(Assert.Single(fixture.Sns.Published));
        // fix reads one account (no --accounts): the reader role the audit assumed there, in the task definition's account.
        var command = $"ecs-role-auditor fix --live --task-definition billing-worker:12 --region eu-west-1 --assume-role arn:aws:iam::{Payments}:role/EcsRoleAuditorReader";
        Assert.Contains($"\nWrite the least-privilege execution role: {command}\n", email, StringComparison.Ordinal);
        Assert.Equal($"Write the least-privilege execution role: `{command}`", chat.GetProperty("content").GetProperty("nextSteps")[0].GetString());
    }

    [Fact]
    public async Task An_iam_event_re_audits_the_account_in_every_audited_region()
    {
        var fixture = new OrganizationFixture();

        // IAM's events reach EventBridge in us-east-1 only; the role is used in every region.
        await fixture.InvokeAsync(Event("put-role-policy.json", Payments, "us-east-1"));

        Assert.Equal(["eu-west-1", "us-east-1"], fixture.Organization.Opened.Select(o => o.Region));
        Assert.All(fixture.Organization.Opened, o => Assert.Equal(Payments, o.Account));
        Assert.Equal(["eu-west-1", "us-east-1"], fixture.Sns.Published.Select(m => m.Attributes["region"].Value));
        // The demo roles trust ECS from eu-west-1 only (aws:SourceArn): in us-east-1 the same revision cannot start (ERA013 twice more).
        Assert.Equal(["[HIGH] 2 ECS role violations in billing-worker:12", "[HIGH] 4 ECS role violations in billing-worker:12"], fixture.Sns.Published.Select(m => m.Subject));
    }

    [Fact]
    public async Task An_account_whose_reader_role_cannot_be_assumed_gets_an_incomplete_alert_of_its_own()
    {
        var fixture = new OrganizationFixture();
        fixture.Organization.Unreachable.Add(Payments);

        var response = await fixture.InvokeAsync(Event("register-task-definition-violating.json", Payments, "eu-west-1"));

        var alert = Assert.Single(fixture.Sns.Published);
        Assert.Equal(Payments, alert.Attributes["accountId"].Value);
        Assert.Contains("ERA005", alert.Attributes["ruleIds"].Value, StringComparison.Ordinal);
        // Every task definition of the account in that region went unaudited, not "1 task definition".
        Assert.Equal($"[MEDIUM] ECS role audit incomplete: account {Payments} in eu-west-1", alert.Subject);
        var email = OrganizationFixture.Email(alert);
        Assert.StartsWith($"The ECS role audit is incomplete: nothing was checked for account {Payments} in eu-west-1 (MEDIUM)", email, StringComparison.Ordinal);
        Assert.Contains($"arn:aws:iam::{Payments}:role/EcsRoleAuditorReader could not be assumed (AccessDenied)", email, StringComparison.Ordinal);
        Assert.Contains($"Deploy member.yaml in account {Payments}", email, StringComparison.Ordinal);
        Assert.Contains($"run ecs-role-auditor audit --live --accounts {Payments} --region eu-west-1 --all", email, StringComparison.Ordinal);
        Assert.Contains($"Not audited: account {Payments} in eu-west-1", email, StringComparison.Ordinal);
        Assert.DoesNotContain("Task definition account", email, StringComparison.Ordinal);
        Assert.DoesNotContain("console.aws.amazon.com/ecs", email, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(response);
        Assert.Equal(1, document.RootElement.GetProperty("incomplete").GetInt32());
    }

    [Fact]
    public async Task An_event_that_names_no_account_is_ignored_and_one_outside_ACCOUNTS_too()
    {
        var fixture = new OrganizationFixture(accounts: [Central, Payments]);
        var nameless = JsonNode.Parse(Event("register-task-definition-violating.json", Payments, "eu-west-1"))!;
        nameless.AsObject().Remove("account");

        Assert.Equal("ignored", Status(await fixture.InvokeAsync(Encoding.UTF8.GetBytes(nameless.ToJsonString()))));
        Assert.Equal("ignored", Status(await fixture.InvokeAsync(Event("register-task-definition-violating.json", Sandbox, "eu-west-1"))));
        Assert.Empty(fixture.Organization.Opened);
        Assert.Empty(fixture.Sns.Published);
    }

    [Fact]
    public async Task The_schedule_queues_one_message_per_account_and_region_of_ACCOUNTS()
    {
        var fixture = new OrganizationFixture(accounts: [Central, Payments, Sandbox]);

        var response = await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));

        Assert.Equal([6], fixture.Queue.BatchSizes);
        var planned = fixture.Queue.Sent.Select(m => Origin(m.Body)).Order().ToList();
        Assert.Equal(
            [(Central, "eu-west-1"), (Central, "us-east-1"), (Payments, "eu-west-1"), (Payments, "us-east-1"), (Sandbox, "eu-west-1"), (Sandbox, "us-east-1")],
            planned);
        Assert.All(fixture.Queue.Sent, m => Assert.Equal(QueueUrl, m.QueueUrl));
        Assert.Empty(fixture.Organization.Opened);
        Assert.Equal((6, 0), fixture.Observability.Planned);
        using var document = JsonDocument.Parse(response);
        Assert.Equal("planned", document.RootElement.GetProperty("status").GetString());
        Assert.Equal(6, document.RootElement.GetProperty("messagesQueued").GetInt32());
    }

    [Fact]
    public async Task Excluded_accounts_are_neither_swept_nor_audited_on_events()
    {
        var listed = new[] { Central, Payments, Sandbox }.Select(id => new OrganizationAccount(id, null, null, "ACTIVE", "ACTIVE")).ToArray();
        var fixture = new OrganizationFixture(accountList: new InMemoryAccountList(listed), excluded: [Sandbox]);

        await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));
        var ignored = await fixture.InvokeAsync(Event("register-task-definition-violating.json", Sandbox, "eu-west-1"));

        Assert.Equal([Central, Payments], fixture.Queue.Sent.Select(m => Origin(m.Body).Account).Distinct());
        Assert.Equal("ignored", Status(ignored));
        Assert.Empty(fixture.Organization.Opened);
        Assert.Empty(fixture.Sns.Published);
    }

    [Fact]
    public async Task Without_ACCOUNTS_the_schedule_sweeps_the_organizations_active_accounts_ten_messages_a_call()
    {
        var listed = Enumerable.Range(0, 12).Select(i => new OrganizationAccount($"1000000000{i:D2}", null, null, "ACTIVE", "ACTIVE"))
            .Append(new OrganizationAccount("999999999999", null, null, "SUSPENDED", "SUSPENDED"))
            .Append(new OrganizationAccount("888888888888", null, null, null, "PENDING_CLOSURE")).ToArray();
        var fixture = new OrganizationFixture(accountList: new InMemoryAccountList(listed) { PageSize = 5 });

        await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));

        Assert.Equal(3, fixture.Accounts.Calls);
        Assert.Equal([10, 10, 4], fixture.Queue.BatchSizes.OrderDescending());
        Assert.Equal(12, fixture.Queue.Sent.Select(m => Origin(m.Body).Account).Distinct().Count());
        Assert.DoesNotContain(fixture.Queue.Sent, m => m.Body.Contains("999999999999", StringComparison.Ordinal) || m.Body.Contains("888888888888", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_account_ListAccounts_repeats_is_planned_once_and_an_odd_id_not_at_all()
    {
        // Two copies of one entry id in a SendMessageBatch fail the whole call (SQS API Reference, SendMessageBatch,
        // BatchEntryIdsNotDistinct); an id that is not 12 digits would become a role ARN.
        var listed = new[] { Central, Payments, Payments, "12345", $"{Sandbox}\u001b", Central, Sandbox }
            .Select(id => new OrganizationAccount(id, null, null, "ACTIVE", "ACTIVE")).ToArray();
        var fixture = new OrganizationFixture(accountList: new InMemoryAccountList(listed) { PageSize = 3 });

        var response = await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));

        Assert.Equal([Central, Payments, Sandbox], fixture.Queue.Sent.Select(m => Origin(m.Body).Account).Distinct().Order());
        Assert.Equal(6, fixture.Queue.Sent.Count);
        Assert.Empty(fixture.Sns.Published);
        Assert.Contains(fixture.Observability.Lines, l => l.Message.Contains("2 account ids that are not 12 digits", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(response);
        Assert.Equal(6, document.RootElement.GetProperty("messagesQueued").GetInt32());
    }

    [Fact]
    public async Task Entries_SQS_fails_on_its_side_are_sent_again_and_refused_ones_are_alerted()
    {
        var fixture = new OrganizationFixture(accounts: [Central, Payments]);
        fixture.Queue.FailOnce.Add($"a{Central}-us-east-1");
        fixture.Queue.Reject.Add($"a{Payments}-eu-west-1");

        var response = await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));

        Assert.Equal([4, 1], fixture.Queue.BatchSizes);
        Assert.Equal(3, fixture.Queue.Sent.Count);
        var alert = Assert.Single(fixture.Sns.Published);
        Assert.Contains($"account {Payments} in eu-west-1 is incomplete: its sweep message could not be queued (InvalidParameterValue)", OrganizationFixture.Email(alert), StringComparison.Ordinal);
        Assert.Equal((3, 1), fixture.Observability.Planned);
        using var document = JsonDocument.Parse(response);
        Assert.Equal(1, document.RootElement.GetProperty("messagesFailed").GetInt32());
    }

    [Fact]
    public async Task An_organization_that_cannot_be_listed_is_an_incomplete_alert_and_nothing_queued()
    {
        var fixture = new OrganizationFixture(accountList: new InMemoryAccountList() { Failure = "AccessDeniedException" });

        await fixture.InvokeAsync(DemoAccount.Event("scheduled-sweep.json"));

        Assert.Empty(fixture.Queue.Sent);
        var alert = Assert.Single(fixture.Sns.Published);
        Assert.Equal(Central, alert.Attributes["accountId"].Value);
        Assert.Contains("organizations:ListAccounts failed (AccessDeniedException)", OrganizationFixture.Email(alert), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_of_sweep_messages_sweeps_each_account_and_reports_only_what_should_be_delivered_again()
    {
        var fixture = new OrganizationFixture();
        fixture.Organization.Unreachable.Add(Sandbox);

        var response = await fixture.InvokeAsync(Batch(
            ("m-1", Body(Payments, "eu-west-1")),
            ("m-2", Body(Sandbox, "eu-west-1")),
            ("m-3", "{\"sweep\":{\"accountId\":\"../../etc\",\"region\":\"eu-west-1\"}}")));

        using var document = JsonDocument.Parse(response);
        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Equal([(Payments, "eu-west-1"), (Sandbox, "eu-west-1")], fixture.Organization.Opened.Select(o => (o.Account, o.Region)));
        // The sweep listed the member's ECS, not the central account's.
        Assert.True(fixture.Organization.Ecs(Payments, "eu-west-1").Calls > 0);
        Assert.Equal(
            [(Payments, "[HIGH] 2 ECS role violations in billing-worker:12"), (Payments, "[CRITICAL] 5 ECS role violations in legacy-reports:3"), (Sandbox, "ERA005")],
            fixture.Sns.Published.Select(m => (m.Attributes["accountId"].Value, m.Attributes["ruleIds"].Value.Contains("ERA005", StringComparison.Ordinal) ? "ERA005" : m.Subject!)));
        Assert.Equal(1, fixture.Observability.AccountsSwept);
        Assert.Equal(1, fixture.Observability.AccountsIncomplete);
        Assert.Contains(fixture.Observability.Lines, l => l.Message.Contains("Dropped sweep message m-3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sweep_whose_alert_cannot_be_published_is_delivered_again_and_the_others_still_run()
    {
        var fixture = new OrganizationFixture();
        fixture.Sns.FailWhen = message => message.Attributes["accountId"].Value == Payments;

        var response = await fixture.InvokeAsync(Batch(("m-1", Body(Payments, "eu-west-1")), ("m-2", Body(Central, "eu-west-1"))));

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"m-1"}]}""", response);
        Assert.NotEmpty(fixture.Sns.Published);
        Assert.All(fixture.Sns.Published, m => Assert.Equal(Central, m.Attributes["accountId"].Value));
    }

    [Fact]
    public async Task Records_left_when_the_deadline_comes_are_delivered_again()
    {
        var fixture = new OrganizationFixture();

        var response = await fixture.InvokeAsync(Batch(("m-1", Body(Payments, "eu-west-1"))), remaining: TimeSpan.FromSeconds(2));

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"m-1"}]}""", response);
        Assert.Empty(fixture.Organization.Opened);
    }

    [Fact]
    public async Task Outside_organization_mode_sweep_messages_are_dropped_and_said()
    {
        var fixture = new HandlerFixture();

        var response = await fixture.InvokeAsync(Batch(("m-1", Body(Payments, "eu-west-1"))));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Empty(fixture.Sns.Published);
        Assert.Contains(fixture.Observability.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("ORGANIZATION_ID is empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sweep_message_for_an_account_or_region_the_sweep_leaves_out_is_dropped_not_swept()
    {
        // Messages outlive the plan (kept a day, redriven from the dead-letter queue): one planned before Sandbox was
        // excluded must not sweep it, and an excluded account gets no ERA005 (docs/organization.md, "Excluding accounts").
        var fixture = new OrganizationFixture(excluded: [Sandbox]);

        var response = await fixture.InvokeAsync(Batch(
            ("m-1", Body(Sandbox, "eu-west-1")),
            ("m-2", Body(Payments, "ap-south-1")),
            ("m-3", Body(Payments, "cn-north-1")),
            ("m-4", Body(Payments, "eu-west-1"))));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Equal([(Payments, "eu-west-1")], fixture.Organization.Opened.Select(o => (o.Account, o.Region)));
        Assert.All(fixture.Sns.Published, m => Assert.Equal(Payments, m.Attributes["accountId"].Value));
        foreach (var id in new[] { "m-1", "m-2", "m-3" })
        {
            Assert.Contains(fixture.Observability.Lines, l => l.Message.StartsWith($"Dropped sweep message {id}:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_central_account_in_EXCLUDED_ACCOUNTS_is_not_audited_on_its_events()
    {
        var fixture = new OrganizationFixture(excluded: [Central]);

        var response = await fixture.InvokeAsync(Event("register-task-definition-violating.json", Central, "eu-west-1"));

        Assert.Equal("ignored", Status(response));
        Assert.Empty(fixture.Organization.Opened);
        Assert.Empty(fixture.Sns.Published);
    }

    [Theory]
    // Another partition's region: its roles cannot be assumed with this partition's credentials.
    [InlineData("arn:aws-cn:ecs:cn-north-1:444455556666:task-definition/billing-worker:12")]
    [InlineData("arn:aws:ecs:cn-north-1:444455556666:task-definition/billing-worker:12")]
    // Not a region: the ARN names account 444455556666, so it must not fall back to the central account.
    [InlineData("arn:aws:ecs:global:444455556666:task-definition/billing-worker:12")]
    public async Task A_direct_invocation_whose_ARN_names_no_region_of_the_partition_is_ignored(string arn)
    {
        var fixture = new OrganizationFixture();

        var response = await fixture.InvokeAsync(Encoding.UTF8.GetBytes(new JsonObject { ["taskDefinition"] = arn }.ToJsonString()));

        Assert.Equal("ignored", Status(response));
        Assert.Empty(fixture.Organization.Opened);
    }

    [Fact]
    public async Task A_direct_invocation_naming_an_account_outside_ACCOUNTS_or_excluded_is_ignored()
    {
        var listed = new OrganizationFixture(accounts: [Central, Payments]);
        var excluded = new OrganizationFixture(excluded: [Sandbox]);
        var payload = Encoding.UTF8.GetBytes(new JsonObject { ["taskDefinition"] = $"arn:aws:ecs:eu-west-1:{Sandbox}:task-definition/billing-worker:12" }.ToJsonString());

        Assert.Equal("ignored", Status(await listed.InvokeAsync(payload)));
        Assert.Equal("ignored", Status(await excluded.InvokeAsync(payload)));
        Assert.Empty(listed.Organization.Opened);
        Assert.Empty(excluded.Organization.Opened);
    }

    [Fact]
    public async Task An_event_from_a_region_of_another_partition_is_ignored()
    {
        var fixture = new OrganizationFixture();

        var response = await fixture.InvokeAsync(Event("register-task-definition-violating.json", Payments, "cn-north-1"));

        Assert.Equal("ignored", Status(response));
        Assert.Empty(fixture.Organization.Opened);
    }

    [Theory]
    [InlineData("recipientAccountId")]
    [InlineData("awsRegion")]
    [InlineData("taskDefinitionArn")]
    public async Task An_event_whose_parts_disagree_on_its_account_or_region_is_ignored(string part)
    {
        // An event from Payments naming Sandbox's task definition would be audited with Payments' reader role and
        // alerted to Payments' team (accountId attribute) about Sandbox's task definition.
        var fixture = new OrganizationFixture();
        var node = JsonNode.Parse(Event("register-task-definition-violating.json", Payments, "eu-west-1"))!;
        var detail = node["detail"]!;
        switch (part)
        {
            case "recipientAccountId":
                detail["recipientAccountId"] = Sandbox;
                break;
            case "awsRegion":
                detail["awsRegion"] = "us-east-1";
                break;
            default:
                detail["responseElements"]!["taskDefinition"]!["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:{Sandbox}:task-definition/billing-worker:12";
                break;
        }

        var response = await fixture.InvokeAsync(Encoding.UTF8.GetBytes(node.ToJsonString()));

        Assert.Equal("ignored", Status(response));
        Assert.Empty(fixture.Organization.Opened);
        Assert.Empty(fixture.Sns.Published);
    }

    private static string Status(string response)
    {
        using var document = JsonDocument.Parse(response);
        return document.RootElement.GetProperty("status").GetString()!;
    }

    private static (string Account, string Region) Origin(string body)
    {
        using var document = JsonDocument.Parse(body);
        var sweep = document.RootElement.GetProperty("sweep");
        return (sweep.GetProperty("accountId").GetString()!, sweep.GetProperty("region").GetString()!);
    }

    private static string Body(string account, string region) => new JsonObject { ["sweep"] = new JsonObject { ["accountId"] = account, ["region"] = region } }.ToJsonString();

    // An SQS event as the event source mapping delivers it (Lambda Developer Guide, "Using Lambda with Amazon SQS").
    private static byte[] Batch(params (string MessageId, string Body)[] messages) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["Records"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
        {
            ["messageId"] = m.MessageId,
            ["receiptHandle"] = "AQEB" + m.MessageId,
            ["body"] = m.Body,
            ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1" },
            ["messageAttributes"] = new JsonObject(),
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = "arn:aws:sqs:eu-west-1:111122223333:ecs-role-auditor-sweep",
            ["awsRegion"] = "eu-west-1",
        })]),
    }.ToJsonString());

    private sealed class OrganizationFixture
    {
        public OrganizationFixture(ImmutableArray<string> accounts = default, InMemoryAccountList? accountList = null, ImmutableArray<string> excluded = default, bool securityHub = false)
        {
            Accounts = accountList ?? new InMemoryAccountList();
            var settings = new AuditorSettings(DemoAccount.TopicArn, Severity.Medium, [], false, LogLevel.Info)
            {
                Organization = new OrganizationSettings("o-a1b2c3d4e5", OrganizationSettings.DefaultReaderRoleName, ["eu-west-1", "us-east-1"],
                    accounts.IsDefault ? [] : accounts, QueueUrl) { ExcludedAccounts = excluded.IsDefault ? [] : excluded },
                SecurityHub = securityHub,
            };
            var central = DemoAccount.Recorded();
            Handler = new AuditInvocationHandler(settings,
                new AuditDependencies(new AuditSources(InMemoryEcs.Demo(), central, central.DirectoryOptions), Sns, Observability, Observability, Time)
                {
                    Members = Organization, Organizations = Accounts, SweepQueue = Queue, SecurityHub = CentralSecurityHub,
                });
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        // The function's own account's Security Hub: in organization mode every account, its own too, goes through MemberAccess.
        public RecordingSecurityHub CentralSecurityHub { get; } = new();

        public InMemoryOrganization Organization { get; } = new InMemoryOrganization().With(Central, "eu-west-1").With(Payments, "eu-west-1", "us-east-1").With(Sandbox, "eu-west-1");

        public InMemoryAccountList Accounts { get; }

        public RecordingQueue Queue { get; } = new();

        public RecordingSns Sns { get; } = new();

        public RecordingObservability Observability { get; } = new();

        public AuditInvocationHandler Handler { get; }

        public Task<string> InvokeAsync(byte[] payload, TimeSpan? remaining = null) =>
            Handler.HandleAsync(payload, new InvocationContext("8f5e1c3a-0b1d-4c7e-9a2f-5d6e7f8a9b0c", Time.GetUtcNow() + (remaining ?? TimeSpan.FromMinutes(5)), DemoAccount.FunctionArn, null), CancellationToken.None);

        public static string Email(SnsMessage message) => HandlerFixture.Bodies(message).Email;
    }
}
