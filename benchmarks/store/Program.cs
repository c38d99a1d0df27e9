using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Dynalite;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.State.Dynamo;
using EcsRoleAuditor.TestData;

// The function's handler on an account of N task definition families (SyntheticAccount, N/5 roles), ECS, IAM and SNS
// from the fake AWS with a fixed latency per call, the findings table on dynalite (no added latency): an IAM event
// and a sweep without the store, then with it an IAM event on the empty table, a cold sweep, a warm sweep and an IAM
// event, then a daily sweep for a week. Each row: the invocation's AWS requests (the handler's own count, the store's
// included) and wall time.
// Usage: dotnet run -c Release --project benchmarks/store [-- families latencyMs]
var families = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
var roles = Math.Max(2, families / 5);

var (iamJson, taskDefinitionsJson) = SyntheticAccount.Generate(families, roles);
var account = FakeAccount.FromJson(iamJson, taskDefinitionsJson);
var topic = account.AddTopic("alerts");
await using var aws = await FakeAwsServer.StartAsync(account);
aws.Faults.Latency(latency);
var dynamo = new DynaliteFixture();
await dynamo.InitializeAsync();
try
{
    var endpoint = aws.Endpoint.ToString();
    using var connection = AwsConnection.Open(new AwsConnectionOptions
    {
        Region = "eu-west-1",
        Credentials = new BasicAWSCredentials("AKIASTOREBENCHMARK01", "store-benchmark-secret"),
        EndpointUrls = new ServiceEndpointUrls(Iam: endpoint, Ecs: endpoint, Sns: endpoint, Sts: endpoint, DynamoDb: dynamo.EndpointUrl),
    });
    Console.WriteLine($"{families} families, {roles} roles, {latency.TotalMilliseconds} ms per ECS/IAM/SNS call, DynamoDB on dynalite; load {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine("| store | invocation | AWS API calls | of which DynamoDB | wall time | alerts |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|");
    // The role r3 is the task role of app-3 and the execution role of app-2 (and so on every `roles` families).
    var iamEvent = IamEvent("r3");
    await RunAsync("none", null, [("IAM event (PutRolePolicy on r3)", iamEvent, TimeSpan.Zero), ("sweep", Sweep("sweep-0"), TimeSpan.Zero)]);
    await RunAsync("DynamoDB", dynamo.TableName, [
        ("IAM event, table empty", IamEvent("r3", "iam-empty"), TimeSpan.Zero),
        ("sweep, cold (table empty)", Sweep("sweep-1"), TimeSpan.Zero),
        ("sweep, warm (nothing changed)", Sweep("sweep-2"), TimeSpan.Zero),
        ("IAM event (PutRolePolicy on r3)", IamEvent("r3", "iam-warm"), TimeSpan.Zero),
        // Then one sweep a day for a week: what falls due (lastSeen refreshes, kept answers described again) and when.
        .. Enumerable.Range(1, 7).Select(day => ($"sweep, day {day + 1}", Sweep($"sweep-day-{day + 1}"), TimeSpan.FromDays(1))),
    ]);

    async Task RunAsync(string label, string? table, (string Name, byte[] Payload, TimeSpan Later)[] invocations)
    {
        // The store's clock, moved forward between invocations to show what a daily sweep costs over time.
        var clock = new MovableClock();
        var settings = new AuditorSettings(topic, EcsRoleAuditor.Audit.Findings.Severity.Medium, [], SweepAllRevisions: false, LogLevel.Info) { StateTable = table };
        var log = new CountingLog();
        var dependencies = AuditDependencies.ForAws(connection.Ecs, connection.Iam, connection.Sns, SyntheticAccount.Account, log, new NoMetrics(), clock) with
        {
            Findings = table is null ? null : new DynamoFindingStore(connection.DynamoDb, table, clock),
        };
        var handler = new AuditInvocationHandler(settings, dependencies);
        foreach (var (name, payload, later) in invocations)
        {
            aws.ClearRecords();
            clock.Offset += later;
            var context = new InvocationContext("benchmark", clock.GetUtcNow().AddMinutes(15), $"arn:aws:lambda:eu-west-1:{SyntheticAccount.Account}:function:auditor", null);
            var wall = Stopwatch.StartNew();
            await handler.HandleAsync(payload, context, CancellationToken.None);
            wall.Stop();
            var handled = log.Last;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {name} | {handled.Calls} | {handled.DynamoCalls} | {wall.Elapsed.TotalSeconds:F1} s | {aws.Published.Count} |"));
        }
    }
}
finally
{
    await dynamo.DisposeAsync();
}
return 0;

static byte[] Sweep(string id) => WithId(SampleEvents.Read("scheduled-sweep.json"), id, _ => { });

static byte[] IamEvent(string role, string id = "iam-0") =>
    WithId(SampleEvents.Read("put-role-policy.json"), id, node => node["detail"]!["requestParameters"]!["roleName"] = role);

// EventBridge gives every event its own id, which the store's claims are made under.
static byte[] WithId(byte[] sample, string id, Action<JsonNode> change)
{
    var node = JsonNode.Parse(sample)!;
    node["id"] = id;
    change(node);
    return Encoding.UTF8.GetBytes(node.ToJsonString());
}

/// <summary>Keeps the handler's closing line: "Handled NAME: N AWS API calls (breakdown)."</summary>
internal sealed class CountingLog : IAuditLog
{
    public (long Calls, long DynamoCalls) Last { get; private set; }

    public void Write(LogLevel level, string message, AuditLogFields fields)
    {
        if (message.StartsWith("Handled ", StringComparison.Ordinal) && fields.AwsApiCalls is { } calls)
        {
            var dynamo = System.Text.RegularExpressions.Regex.Matches(message, @"dynamodb:\w+ (\d+)").Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            Last = (calls, dynamo);
        }
    }
}

/// <summary>The system clock, moved forward by <see cref="Offset"/>.</summary>
internal sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

internal sealed class NoMetrics : IAuditMetrics
{
    public void AuditCompleted(EcsRoleAuditor.Audit.Findings.TaskDefinitionReport report, TimeSpan duration, long awsApiCalls)
    {
    }

    public void AuditIncomplete(int unfinished, long awsApiCalls)
    {
    }

    public void FindingsStoreFailed()
    {
    }
}
