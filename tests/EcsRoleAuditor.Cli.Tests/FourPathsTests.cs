using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// One account through the four entry points (issue 13): the Lambda's handler and <c>audit --live</c> against the fake
/// AWS holding the demo account, <c>event</c> and <c>audit --iam</c> over the AWS CLI output files of the same account.
/// All four run the one audit pipeline, so every finding must be the same, word for word.
/// </summary>
public sealed class FourPathsTests : IAsyncLifetime
{
    private static readonly string[] Families = ["billing-worker:12", "legacy-reports:3", "orders-api:7"];
    private readonly FakeAccount _account = FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions);
    private FakeAwsServer _aws = null!;
    private string _topic = null!;

    public async Task InitializeAsync()
    {
        _topic = _account.AddTopic("alerts");
        _aws = await FakeAwsServer.StartAsync(_account);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task The_handler_event_and_both_audits_report_the_same_findings_for_one_account()
    {
        var offline = Findings(JsonDocument.Parse(CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--format", "json").Stdout).RootElement);
        var live = await CliProcess.RunAsync(_aws.ClientEnvironment(), [.. Families.SelectMany(f => new[] { "--task-definition", f }).Prepend("--live").Prepend("audit"), "--format", "json"]);
        var handler = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var events = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using var scratch = new ScratchFolder("era-four-paths-");
        foreach (var family in Families)
        {
            var payload = $$"""{"taskDefinition": "{{family}}"}""";
            foreach (var (key, value) in Findings(JsonDocument.Parse(await HandleLiveAsync(payload)).RootElement))
            {
                handler[key] = value;
            }
            var file = scratch.Write($"{family.Replace(':', '-')}.json", payload);
            var printed = JsonDocument.Parse(CliRun.Of("event", file, "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--format", "json").Stdout).RootElement;
            foreach (var (key, value) in Findings(printed.GetProperty("response")))
            {
                events[key] = value;
            }
        }

        Assert.Equal(3, offline.Count);
        Assert.Contains(offline.Values, findings => findings.Length > 0);
        Assert.Equal(offline, Findings(JsonDocument.Parse(live.Stdout).RootElement));
        Assert.Equal(offline, handler);
        Assert.Equal(offline, events);
    }

    // What Program.cs composes in Lambda: live clients and the handler, here given a direct invocation (whose response is the report).
    private async Task<string> HandleLiveAsync(string payload)
    {
        var endpoint = _aws.Endpoint.ToString();
        using var aws = AwsConnection.Open(new AwsConnectionOptions
        {
            Region = _account.Region,
            Credentials = new BasicAWSCredentials("AKIAFAKEAWSTESTKEY01", "fake-aws-secret-access-key-not-real"),
            EndpointUrls = new ServiceEndpointUrls(endpoint, endpoint, endpoint, endpoint),
        });
        var settings = new AuditorSettings(_topic, Audit.Findings.Severity.Medium, [], SweepAllRevisions: false, LogLevel.Warn);
        var handler = new AuditInvocationHandler(settings, AuditDependencies.ForAws(aws.Ecs, aws.Iam, aws.Sns, settings.AccountId, new NoLog(), new NoMetrics(), TimeProvider.System));
        var context = new InvocationContext("four-paths", DateTimeOffset.UtcNow.AddMinutes(2), $"arn:aws:lambda:{_account.Region}:{_account.AccountId}:function:auditor", null);
        return await handler.HandleAsync(Encoding.UTF8.GetBytes(payload), context, CancellationToken.None);
    }

    /// <summary>Each report's findings as sorted lines of everything a finding says, keyed by task definition.</summary>
    private static Dictionary<string, string[]> Findings(JsonElement report) =>
        report.GetProperty("reports").EnumerateArray().ToDictionary(
            r => $"{r.GetProperty("family").GetString()}:{r.GetProperty("revision").GetInt32()}",
            r => r.GetProperty("findings").EnumerateArray().Select(f => JsonSerializer.Serialize(f)).Order(StringComparer.Ordinal).ToArray(),
            StringComparer.Ordinal);

    private sealed class NoLog : IAuditLog
    {
        public void Write(LogLevel level, string message, AuditLogFields fields)
        {
        }
    }

    private sealed class NoMetrics : IAuditMetrics
    {
        public void AuditCompleted(Audit.Findings.TaskDefinitionReport report, TimeSpan duration, long awsApiCalls)
        {
        }

        public void AuditIncomplete(int unfinished, long awsApiCalls)
        {
        }

        public void FindingsStoreFailed()
        {
        }
    }
}
