using System.Diagnostics;
using System.Globalization;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.TestData;

// Measures the bootstrap's cold start as Lambda sees it: from process start to the first response posted to the
// Runtime API (an event is queued before the process starts, so 'next' answers at once), plus the peak RSS (VmHWM)
// at that moment. Native AOT and JIT runs alternate so machine load affects both alike.
// Usage: dotnet run -c Release --project benchmarks/cold-start [-- runs]

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var flavors = new[] { BootstrapFlavor.NativeAot, BootstrapFlavor.Jit };
var commands = new Dictionary<BootstrapFlavor, BootstrapCommand>();
foreach (var flavor in flavors)
{
    Console.Error.WriteLine($"Publishing {flavor} (cached while src/ is unchanged)...");
    commands[flavor] = await PublishedBootstrap.PublishAsync(flavor, TimeSpan.FromMinutes(30));
}

// The real handler on a realistic event: the demo account served by the fake AWS (IAM, ECS, SNS on loopback), a
// RegisterTaskDefinition of billing-worker:12 (per-role IAM reads, the whole audit, one SNS publish).
var demo = Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");
var account = FakeAccount.Load(Path.Combine(demo, "account.json"), Path.Combine(demo, "task-definitions.json"));
account.AddTopic("era-alerts-benchmark");
await using var aws = await FakeAwsServer.StartAsync(account);
var environment = aws.ClientEnvironment();
environment["ALERT_TOPIC_ARN"] = $"arn:aws:sns:{aws.Region}:{aws.AccountId}:era-alerts-benchmark";
environment["LOG_LEVEL"] = "INFO";
var registration = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "events", "register-task-definition-violating.json"));
var samples = flavors.ToDictionary(flavor => flavor, _ => new List<(double Ms, double RssMb)>());

// One unmeasured run each: the first start after a publish pays for reading the files from disk.
foreach (var flavor in flavors)
{
    await MeasureAsync(commands[flavor]);
}
for (var run = 0; run < runs; run++)
{
    foreach (var flavor in flavors)
    {
        samples[flavor].Add(await MeasureAsync(commands[flavor]));
    }
}

Console.WriteLine($"| bootstrap | runs | start → first response: median | min | max | peak RSS: median | max |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var flavor in flavors)
{
    var ms = samples[flavor].Select(s => s.Ms).Order().ToList();
    var rss = samples[flavor].Select(s => s.RssMb).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {flavor} | {runs} | {Median(ms):F1} ms | {ms[0]:F1} ms | {ms[^1]:F1} ms | {Median(rss):F1} MB | {rss[^1]:F1} MB |"));
}
var ratio = Median(samples[BootstrapFlavor.Jit].Select(s => s.Ms).Order().ToList())
    / Median(samples[BootstrapFlavor.NativeAot].Select(s => s.Ms).Order().ToList());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nJIT / AOT median cold start: {ratio:F1}x"));
return 0;

async Task<(double Ms, double RssMb)> MeasureAsync(BootstrapCommand command)
{
    // A fresh Runtime API per run (started before the clock starts): a killed process's pending 'next' could
    // otherwise take the following run's event.
    await using var runtime = await FakeRuntimeApi.StartAsync();
    var requestId = runtime.Enqueue(registration);
    using var process = BootstrapProcess.Start(command, runtime.Address, environment);
    RuntimeOutcome outcome;
    try
    {
        outcome = await runtime.OutcomeAsync(requestId, TimeSpan.FromSeconds(60));
    }
    catch (TimeoutException)
    {
        throw new TimeoutException($"{command.FileName} (exited: {process.HasExited}) posted nothing within 60 s; its output:\n"
            + string.Join('\n', process.StandardOutputLines));
    }
    // Read before the process is killed; the loop is parked in the next 'next', so nothing grows meanwhile.
    var rssKb = process.PeakResidentKilobytes();
    if (outcome.Kind != OutcomeKind.Response)
    {
        throw new InvalidOperationException($"The bootstrap answered {outcome.Kind}: {outcome.Body}");
    }
    return (Stopwatch.GetElapsedTime(process.StartedTimestamp, outcome.ReceivedTimestamp).TotalMilliseconds, rssKb / 1024.0);
}

static double Median(IReadOnlyList<double> sorted) =>
    sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
