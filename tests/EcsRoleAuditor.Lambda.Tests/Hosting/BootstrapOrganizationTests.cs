using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>
/// The published Native AOT bootstrap in organization mode (docs/organization.md) against a fake organization of three
/// accounts in two regions: the central account (the function's, the organization's management account, with the alert
/// topic and the sweep queue), member A with member.yaml's reader role, and member B without it. Each account holds the
/// demo account's roles and task definitions, moved there.
/// </summary>
[Trait("Category", "AotEndToEnd")]
public sealed class BootstrapOrganizationTests(PublishedBootstrapFixture bootstrap) : IClassFixture<PublishedBootstrapFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string Central = SampleEvents.Account;
    private const string MemberA = "444455556666";
    private const string MemberB = "777788889999";
    private const string Home = SampleEvents.Region;
    private const string Second = "us-east-1";
    private const string OrganizationId = "o-exampleorg01";
    private const string Reader = "EcsRoleAuditorReader";
    private const string TopicName = "era-alerts-org-e2e";
    private const string QueueName = "era-sweep-org-e2e";

    // The function's credentials act as its role (the fake names a caller of keys it did not issue by the primary
    // account's CallerArn), so member.yaml's trust policy can name it as it does in AWS.
    private const string FunctionRoleArn = $"arn:aws:iam::{Central}:role/ecs-role-auditor-FunctionRole";

    // member.yaml's ReaderRole trust policy with its parameters filled in (AuditorRoleArn, OrganizationId).
    private const string ReaderTrust =
        $$$$"""{"Version":"2012-10-17","Statement":[{"Sid":"CentralAuditor","Effect":"Allow","Principal":{"AWS":"{{{{FunctionRoleArn}}}}"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"{{{{OrganizationId}}}}"}}}]}""";

    private static readonly string Demo = Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");

    private static readonly string[] Regions = [Home, Second];

    private sealed record Organization(FakeAwsServer Aws, string QueueUrl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Aws.DisposeAsync();
    }

    /// <summary>One account in one region: the demo account's task definitions moved there, and its roles in the first region.</summary>
    private static FakeAccount DemoIn(string account, string region, bool withRoles)
    {
        var moved = new FakeAccount { AccountId = account, Region = region };
        if (withRoles)
        {
            moved.AddAuthorizationDetails(SampleEvents.Moved(File.ReadAllText(Path.Combine(Demo, "account.json")), account, Home));
        }
        moved.AddTaskDefinitions(SampleEvents.Moved(File.ReadAllText(Path.Combine(Demo, "task-definitions.json")), account, region));
        return moved;
    }

    private static async Task<Organization> StartOrganizationAsync()
    {
        var centralHome = DemoIn(Central, Home, withRoles: true);
        centralHome.CallerArn = FunctionRoleArn;
        centralHome.AddTopic(TopicName);
        var queueUrl = centralHome.AddQueue(QueueName);
        var memberAHome = DemoIn(MemberA, Home, withRoles: true);
        memberAHome.AddRole(Reader, ReaderTrust);
        // The organization's accounts are the served ones, ACTIVE; the central account may list them as its management account.
        var aws = await FakeAwsServer.StartAsync(
            [centralHome, DemoIn(Central, Second, withRoles: false), memberAHome, DemoIn(MemberA, Second, withRoles: false), DemoIn(MemberB, Home, withRoles: true), DemoIn(MemberB, Second, withRoles: false)],
            new FakeOrganization(OrganizationId, Central));
        return new Organization(aws, queueUrl);
    }

    /// <summary>The central stack's environment in organization mode (template.yaml), ACCOUNTS empty: the organization's accounts are listed.</summary>
    private static Dictionary<string, string> Environment(Organization organization)
    {
        var environment = organization.Aws.ClientEnvironment();
        environment["ALERT_TOPIC_ARN"] = $"arn:aws:sns:{Home}:{Central}:{TopicName}";
        environment["ORGANIZATION_ID"] = OrganizationId;
        environment["READER_ROLE_NAME"] = Reader;
        environment["AUDIT_REGIONS"] = string.Join(',', Regions);
        environment["ACCOUNTS"] = "";
        environment["SWEEP_QUEUE_URL"] = organization.QueueUrl;
        return environment;
    }

    private static string ReaderArn(string account) => $"arn:aws:iam::{account}:role/{Reader}";

    private static string AccountOf(PublishedMessage message) => message.Attributes["accountId"].StringValue!;

    private static string RegionOf(PublishedMessage message) => message.Attributes["region"].StringValue!;

    private static bool IsIncomplete(PublishedMessage message) => message.Attributes["ruleIds"].StringValue!.Contains("ERA005", StringComparison.Ordinal);

    private static string[] KeysOf(FakeAwsServer aws, string account) =>
        [.. aws.AssumedRoles.Where(r => r.RoleArn == ReaderArn(account)).Select(r => r.AccessKeyId)];

    private static IEnumerable<RecordedCall> EcsCalls(FakeAwsServer aws) => aws.Calls.All.Where(c => c.Service == "ecs");

    [Fact]
    public async Task Events_in_a_member_account_are_audited_with_its_reader_role_assumed_once_and_alerted_for_that_account()
    {
        await using var organization = await StartOrganizationAsync();
        var aws = organization.Aws;
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(organization));
        var register = SampleEvents.ReadMoved("register-task-definition-violating.json", MemberA, Second);
        // A tag change re-audits the family's newest ACTIVE revision, which the function reads from ECS.
        var tagged = SampleEvents.ReadMoved("tag-task-definition-suppress.json", MemberA, Second);

        var registered = await runtime.OutcomeAsync(runtime.Enqueue(register, new FakeInvocation(RequestId: "org-e2e-register")), Patience);

        Assert.True(registered.Kind == OutcomeKind.Response, $"{registered.Kind} {registered.Body}");
        var alert = Assert.Single(aws.Published);
        Assert.Equal($"arn:aws:sns:{Home}:{Central}:{TopicName}", alert.TopicArn);
        Assert.Equal((MemberA, Second), (AccountOf(alert), RegionOf(alert)));
        Assert.Contains("billing-worker:12", alert.Subject, StringComparison.Ordinal);
        Assert.Contains($"arn:aws:ecs:{Second}:{MemberA}:task-definition/billing-worker:12", alert.Message, StringComparison.Ordinal);
        var session = Assert.Single(aws.AssumedRoles);
        Assert.Equal((ReaderArn(MemberA), "EcsRoleAuditor-org-e2e-register"), (session.RoleArn, session.RoleSessionName));

        var retagged = await runtime.OutcomeAsync(runtime.Enqueue(tagged, new FakeInvocation(RequestId: "org-e2e-tag")), Patience);

        Assert.True(retagged.Kind == OutcomeKind.Response, $"{retagged.Kind} {retagged.Body}");
        // The warm function kept A's session: no second AssumeRole.
        Assert.Single(aws.AssumedRoles);
        Assert.Equal([(MemberA, Second), (MemberA, Second)], aws.Published.Select(m => (AccountOf(m), RegionOf(m))));
        // Every read after STS is the member's, signed with its session: ECS for the events' region, IAM (global) too.
        Assert.NotEmpty(EcsCalls(aws));
        Assert.All(EcsCalls(aws), c => Assert.Equal((session.AccessKeyId, Second), (c.Scope!.AccessKeyId, c.Scope.Region)));
        Assert.All(aws.Calls.All.Where(c => c.Service == "iam"), c => Assert.Equal(session.AccessKeyId, c.Scope!.AccessKeyId));
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task The_schedule_fans_the_sweep_out_over_the_queue_and_the_batch_sweeps_every_account_and_region()
    {
        await using var organization = await StartOrganizationAsync();
        var aws = organization.Aws;
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(organization));
        // SQS fails one entry on its side (SenderFault false): the planner sends that entry again, found by its contract id.
        aws.Faults.FailBatchEntry($"a{MemberB}-{Second}");

        var planned = await runtime.OutcomeAsync(runtime.Enqueue(Encoding.UTF8.GetString(SampleEvents.Read("scheduled-sweep.json")), new FakeInvocation(RequestId: "org-e2e-plan")), Patience);

        Assert.True(planned.Kind == OutcomeKind.Response, $"{planned.Kind} {planned.Body}");
        Assert.Equal(1, aws.CallCount("ListAccounts"));
        Assert.Equal(2, aws.CallCount("SendMessageBatch"));
        Assert.Empty(aws.Published);
        var sent = aws.SentMessages;
        Assert.All(sent, m => Assert.Equal(organization.QueueUrl, m.QueueUrl));
        Assert.All(sent, m => Assert.Equal("a" + SweepOf(m.Body).Account + "-" + SweepOf(m.Body).Region, m.EntryId));
        Assert.Equal($"a{MemberB}-{Second}", sent[^1].EntryId);
        var swept = new[] { Central, MemberA, MemberB }.SelectMany(account => Regions.Select(region => (account, region))).ToList();
        Assert.Equal(swept.Order(), sent.Select(m => SweepOf(m.Body)).Order());
        var plan = planned.Json();
        Assert.Equal(("planned", 6, 0), (plan.GetProperty("status").GetString(), plan.GetProperty("messagesQueued").GetInt32(), plan.GetProperty("messagesFailed").GetInt32()));

        aws.ClearRecords();
        var batch = await runtime.OutcomeAsync(runtime.Enqueue(SqsEvent(sent), new FakeInvocation(RequestId: "org-e2e-sweep")), Patience);

        Assert.True(batch.Kind == OutcomeKind.Response, $"{batch.Kind} {batch.Body}");
        Assert.Equal("""{"batchItemFailures":[]}""", batch.Body);
        // A is read with its reader role, once for both regions; the central account with the function's own keys.
        var memberKey = Assert.Single(KeysOf(aws, MemberA));
        var centralKey = aws.ClientEnvironment()["AWS_ACCESS_KEY_ID"];
        Assert.Equal(
            new[] { (memberKey, Home), (memberKey, Second), (centralKey, Home), (centralKey, Second) }.Order(),
            EcsCalls(aws).Select(c => (c.Scope!.AccessKeyId, c.Scope.Region)).Distinct().Order());
        Assert.DoesNotContain(aws.Calls.All, c => c.Operation == "AssumeRole" && c.Parameters["RoleArn"] == ReaderArn(Central));
        Assert.Empty(KeysOf(aws, MemberB));
        // Findings alerted for A and the central account in both regions; B's unassumable role is an incomplete alert
        // per region, routed to B (its accountId attribute), never silence.
        var findings = aws.Published.Where(m => !IsIncomplete(m)).ToList();
        Assert.Equal(
            [(Central, Home), (Central, Second), (MemberA, Home), (MemberA, Second)],
            findings.Select(m => (AccountOf(m), RegionOf(m))).Distinct().Order());
        Assert.All(findings, m => Assert.Contains($"arn:aws:ecs:{RegionOf(m)}:{AccountOf(m)}:task-definition/", m.Message, StringComparison.Ordinal));
        var incomplete = aws.Published.Where(IsIncomplete).ToList();
        Assert.Equal([(MemberB, Home), (MemberB, Second)], incomplete.Select(m => (AccountOf(m), RegionOf(m))).Order());
        Assert.All(incomplete, m => Assert.Contains($"{ReaderArn(MemberB)} could not be assumed (AccessDenied)", m.Message, StringComparison.Ordinal));
        Assert.All(incomplete, m => Assert.Equal($"[MEDIUM] ECS role audit incomplete: account {MemberB} in {RegionOf(m)}", m.Subject));
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task A_role_policy_change_in_a_member_account_re_audits_it_in_every_audited_region()
    {
        await using var organization = await StartOrganizationAsync();
        var aws = organization.Aws;
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Environment(organization));
        // IAM is global: its CloudTrail events reach EventBridge in us-east-1 only (the sample is from there already).
        var putRolePolicy = SampleEvents.ReadMoved("put-role-policy.json", MemberA, "us-east-1");

        var outcome = await runtime.OutcomeAsync(runtime.Enqueue(putRolePolicy, new FakeInvocation(RequestId: "org-e2e-iam")), Patience);

        Assert.True(outcome.Kind == OutcomeKind.Response, $"{outcome.Kind} {outcome.Body}");
        var session = Assert.Single(aws.AssumedRoles);
        Assert.Equal((ReaderArn(MemberA), "EcsRoleAuditor-org-e2e-iam"), (session.RoleArn, session.RoleSessionName));
        Assert.Equal(Regions.Order(), EcsCalls(aws).Select(c => c.Scope!.Region).Distinct().Order());
        Assert.All(aws.Calls.All.Where(c => c.Service is "ecs" or "iam"), c => Assert.Equal(session.AccessKeyId, c.Scope!.AccessKeyId));
        // billing-worker uses the changed role in both regions: one alert for each, both for A.
        Assert.Equal([(MemberA, Home), (MemberA, Second)], aws.Published.Select(m => (AccountOf(m), RegionOf(m))).Order());
        Assert.All(aws.Published, m => Assert.Contains("billing-worker:12", m.Subject, StringComparison.Ordinal));
        Assert.False(process.HasExited);
    }

    private static (string Account, string Region) SweepOf(string body)
    {
        var sweep = JsonNode.Parse(body)!["sweep"]!;
        return (sweep["accountId"]!.GetValue<string>(), sweep["region"]!.GetValue<string>());
    }

    /// <summary>
    /// The messages as the queue's event source mapping hands them to the function: one SQS event of their records
    /// (Lambda Developer Guide, "Using Lambda with Amazon SQS", example standard queue message event; the record fields as
    /// in Powertools' SqsEvent schema, https://docs.aws.amazon.com/powertools/typescript/2.14.0/api/types/_aws-lambda-powertools_parser.types.SqsEvent.html).
    /// </summary>
    private static string SqsEvent(IEnumerable<SentMessage> messages)
    {
        var records = new JsonArray();
        foreach (var message in messages)
        {
            var sentAt = message.Time.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            records.Add(new JsonObject
            {
                ["messageId"] = message.MessageId,
                ["receiptHandle"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("receipt-" + message.MessageId)),
                ["body"] = message.Body,
                ["attributes"] = new JsonObject
                {
                    ["ApproximateReceiveCount"] = "1",
                    ["SentTimestamp"] = sentAt,
                    ["SenderId"] = "AROAFUNCTIONROLEEXAMPLE:ecs-role-auditor",
                    ["ApproximateFirstReceiveTimestamp"] = sentAt,
                },
                ["messageAttributes"] = new JsonObject(),
#pragma warning disable CA5351 // md5OfBody is SQS's integrity field, not a security choice.
                ["md5OfBody"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(message.Body))),
#pragma warning restore CA5351
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = $"arn:aws:sqs:{Home}:{Central}:{QueueName}",
                ["awsRegion"] = Home,
            });
        }
        return new JsonObject { ["Records"] = records }.ToJsonString();
    }
}
