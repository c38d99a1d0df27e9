using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.TestData;

// Organization mode at scale: A member accounts x R regions x F task definition families (SyntheticAccount, F/5 roles
// per account, each account's reader role trusting the central account) on the fake AWS with a fixed latency per call
// and some throttling. The schedule's invocation plans the sweep (ListAccounts, SendMessageBatch); then W workers, each
// its own handler and member sessions like a Lambda execution environment, take the queued messages one invocation each
// (the event source mapping's BatchSize 1, MaximumConcurrency W). Then one fresh worker sweeps K accounts in turn to show
// the memory it keeps per account.
// Usage: dotnet run -c Release --project benchmarks/organization [-- accounts regions families latencyMs workers]
var accounts = Arg(0, 500);
var regionCount = Arg(1, 3);
var families = Arg(2, 50);
var latency = TimeSpan.FromMilliseconds(Arg(3, 20));
var workers = Arg(4, 10);
string[] allRegions = ["eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1", "us-west-2"];
var regions = allRegions[..regionCount];

const string Organization = "o-bench00001";
var roles = Math.Max(2, families / 5);

var (iamJson, definitionsJson) = SyntheticAccount.Generate(families, roles);
iamJson = WithoutAwsManagedPoliciesBut(iamJson, "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
var readerTrust = new JsonObject
{
    ["Version"] = "2012-10-17",
    ["Statement"] = new JsonArray(new JsonObject
    {
        ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{Central}:root" }, ["Action"] = "sts:AssumeRole",
        ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:PrincipalOrgID"] = Organization } },
    }),
}.ToJsonString();
var central = new FakeAccount { AccountId = Central, Region = regions[0], CallerArn = $"arn:aws:iam::{Central}:role/ecs-role-auditor-FunctionRole" };
var topic = central.AddTopic("alerts");
var queue = central.AddQueue("sweep");
var fakeAccounts = new List<FakeAccount> { central };
var organization = new FakeOrganization(Organization, Central);
organization.AddAccount(Central);
var memberIds = Enumerable.Range(0, accounts).Select(i => (200000000000L + i).ToString(CultureInfo.InvariantCulture)).ToList();
foreach (var id in memberIds)
{
    organization.AddAccount(id);
    for (var r = 0; r < regions.Length; r++)
    {
        var account = new FakeAccount { AccountId = id, Region = regions[r] };
        account.AddTaskDefinitions(Move(definitionsJson, id, regions[r]));
        if (r == 0)
        {
            account.AddAuthorizationDetails(Move(iamJson, id, regions[r]));
            account.AddRole("EcsRoleAuditorReader", readerTrust);
        }
        fakeAccounts.Add(account);
    }
}
await using var aws = await FakeAwsServer.StartAsync(fakeAccounts, organization);
aws.Faults.Latency(latency);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{accounts} member accounts x {regions.Length} regions x {families} families ({roles} roles an account), {latency.TotalMilliseconds} ms per call, {workers} workers; load {File.ReadAllText("/proc/loadavg").Trim()}"));

var settings = new AuditorSettings(topic, Severity.Medium, [], SweepAllRevisions: false, LogLevel.Info)
{
    Organization = new OrganizationSettings(Organization, OrganizationSettings.DefaultReaderRoleName, [.. regions], [], queue),
};
var endpoint = aws.Endpoint.ToString();
var options = new AwsConnectionOptions
{
    Region = regions[0],
    Credentials = new BasicAWSCredentials("AKIAORGBENCHMARK0001", "organization-benchmark-secret"),
    EndpointUrls = new ServiceEndpointUrls(Iam: endpoint, Ecs: endpoint, Sns: endpoint, Sts: endpoint, Organizations: endpoint, Sqs: endpoint),
};

// 1. The schedule: plan.
using (var planner = Worker.Open(options, settings, Central))
{
    var wall = Stopwatch.StartNew();
    var response = await planner.InvokeAsync(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SampleEvents.Read("scheduled-sweep.json")).Replace("111122223333", Central, StringComparison.Ordinal)), "plan");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"plan: {wall.Elapsed.TotalSeconds:F1} s, ListAccounts {aws.CallCount("ListAccounts")}, SendMessageBatch {aws.CallCount("SendMessageBatch")}, {aws.SentMessages.Count} messages; {response}"));
}

// 2. The queue, drained by W workers; ECS throttles 2% of its list calls once (the SDK retries them).
await SweepAsync(aws, options, settings, workers, accounts, regions.Length);

// 3. Memory one worker keeps as it meets more accounts: sessions and clients per account, per region.
aws.ClearRecords();
aws.Faults.Clear();
await MeasureWorkerAsync(aws, options, settings, memberIds.Take(Math.Min(101, accounts)).ToList(), regions);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process peak working set {Environment.WorkingSet / 1024 / 1024} MB (the fake AWS and its {accounts * regions.Length * families} task definitions included)"));
return 0;

static async Task SweepAsync(FakeAwsServer aws, AwsConnectionOptions options, AuditorSettings settings, int workers, int accounts, int regions)
{
    var messages = new ConcurrentQueue<(string Id, string Body)>(aws.SentMessages.Select(m => (m.MessageId, m.Body)));
    aws.ClearRecords();
    aws.Faults.Throttle("ListTaskDefinitions", times: Math.Max(1, messages.Count / 50));
    var seconds = new ConcurrentBag<double>();
    var failures = 0;
    var sweep = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
    {
        using var worker = Worker.Open(options, settings, Central);
        while (messages.TryDequeue(out var message))
        {
            var started = Stopwatch.GetTimestamp();
            var response = await worker.InvokeAsync(SqsEvent(message.Id, message.Body), $"w{w}-{message.Id}");
            seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (!response.Contains("\"batchItemFailures\":[]", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref failures);
            }
        }
    })));
    sweep.Stop();
    var calls = aws.Calls.All;
    var memberCalls = calls.Count(c => c.Service is "ecs" or "iam");
    var sorted = seconds.Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sweep: {sorted.Length} invocations in {sweep.Elapsed.TotalSeconds:F1} s with {workers} workers ({failures} failed); per invocation median {sorted[sorted.Length / 2]:F2} s, p95 {sorted[sorted.Length * 95 / 100]:F2} s, max {sorted[^1]:F2} s"));
    var assumed = calls.Count(c => c.Operation == "AssumeRole");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"AWS calls: {calls.Count} in all; per member account {(double)memberCalls / accounts:F1} ECS+IAM ({(double)memberCalls / accounts / regions:F1} per region); AssumeRole {assumed} ({(double)assumed / accounts:F2} per account); throttled {calls.Count(c => c.ErrorCode is "ThrottlingException")}"));
    foreach (var group in calls.GroupBy(c => c.Operation).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine($"  {group.Key}: {group.Count()}");
    }
    aws.ClearRecords();
}

// One fresh worker sweeps each account's regions in turn; the first account warms it up (catalog, JIT, shared caches).
static async Task MeasureWorkerAsync(FakeAwsServer aws, AwsConnectionOptions options, AuditorSettings settings, List<string> accounts, string[] regions)
{
    using var worker = Worker.Open(options, settings, Central);
    long before = 0;
    for (var met = 0; met < accounts.Count; met++)
    {
        foreach (var region in regions)
        {
            var id = $"mem-{accounts[met]}-{region}";
            await worker.InvokeAsync(SqsEvent(id, SweepBody(accounts[met], region)), id);
        }
        // The fake's call log is not the worker's.
        aws.ClearRecords();
        if (met == 0)
        {
            before = Settled();
        }
        else if (met % 25 == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"one worker, {met} more accounts x {regions.Length} regions met: {(Settled() - before) / 1024.0 / 1024.0:F1} MB more managed heap ({(Settled() - before) / 1024.0 / met:F0} KB an account)"));
        }
    }
}

static string SweepBody(string account, string region) =>
    new JsonObject { ["sweep"] = new JsonObject { ["accountId"] = account, ["region"] = region } }.ToJsonString();

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static long Settled()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static string Move(string json, string account, string region) =>
    json.Replace(SyntheticAccount.Account, account, StringComparison.Ordinal).Replace("eu-west-1", region, StringComparison.Ordinal);

// The synthetic account holds every AWS managed policy of the corpus; 500 copies of them would only measure the fake.
static string WithoutAwsManagedPoliciesBut(string iamJson, string keep)
{
    var node = JsonNode.Parse(iamJson)!;
    var policies = node["Policies"]!.AsArray();
    foreach (var policy in policies.Where(p => p!["Arn"]!.GetValue<string>() is var arn && arn.StartsWith("arn:aws:iam::aws:", StringComparison.Ordinal) && arn != keep).ToList())
    {
        policies.Remove(policy);
    }
    return node.ToJsonString();
}

// One SQS record as the event source mapping delivers it (Lambda Developer Guide, "Using Lambda with Amazon SQS").
static byte[] SqsEvent(string messageId, string body) => Encoding.UTF8.GetBytes(new JsonObject
{
    ["Records"] = new JsonArray(new JsonObject
    {
        ["messageId"] = messageId, ["receiptHandle"] = "AQEB" + messageId, ["body"] = body, ["eventSource"] = "aws:sqs",
        ["eventSourceARN"] = "arn:aws:sqs:eu-west-1:999988887777:sweep", ["awsRegion"] = "eu-west-1",
    }),
}.ToJsonString());

/// <summary>The central account and the benchmark's organization.</summary>
internal static partial class Program
{
    public const string Central = "999988887777";
}

/// <summary>One execution environment: its connection, member sessions and handler.</summary>
internal sealed class Worker : IDisposable
{
    private readonly AwsConnection _connection;
    private readonly MemberAccounts _members;
    private readonly AuditInvocationHandler _handler;
    private readonly string _functionArn;

    private Worker(AwsConnection connection, MemberAccounts members, AuditInvocationHandler handler, string functionArn)
    {
        _connection = connection;
        _members = members;
        _handler = handler;
        _functionArn = functionArn;
    }

    public static Worker Open(AwsConnectionOptions options, AuditorSettings settings, string central)
    {
        var connection = AwsConnection.Open(options);
        var members = connection.OpenMemberAccounts(settings.Organization!.ReaderRoleName, central);
        var dependencies = AuditDependencies.ForAws(connection.Ecs, connection.Iam, connection.Sns, central, new NoLog(), new NoMetrics(), TimeProvider.System) with
        {
            Members = members, Organizations = connection.Organizations, SweepQueue = connection.Sqs,
        };
        return new Worker(connection, members, new AuditInvocationHandler(settings, dependencies), $"arn:aws:lambda:{options.Region}:{central}:function:auditor");
    }

    public Task<string> InvokeAsync(byte[] payload, string requestId) =>
        _handler.HandleAsync(payload, new InvocationContext(requestId, DateTimeOffset.UtcNow.AddMinutes(15), _functionArn, null), CancellationToken.None);

    public void Dispose()
    {
        _members.Dispose();
        _connection.Dispose();
    }
}

/// <summary>The handler's log, not kept: the fake AWS counts the calls.</summary>
internal sealed class NoLog : IAuditLog
{
    public void Write(LogLevel level, string message, AuditLogFields fields)
    {
    }
}

internal sealed class NoMetrics : IAuditMetrics
{
    public void AuditCompleted(TaskDefinitionReport report, TimeSpan duration, long awsApiCalls)
    {
    }

    public void AuditIncomplete(int unfinished, long awsApiCalls)
    {
    }

    public void FindingsStoreFailed()
    {
    }
}
