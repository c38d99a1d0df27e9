using System.Diagnostics;
using System.Globalization;
using EcsRoleAuditor.ColdStart;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.TestData;

// Measures the bootstrap's cold start as Lambda sees it: from process start to the first response posted to the
// Runtime API (an event is queued before the process starts, so 'next' answers at once), plus the peak RSS (VmHWM)
// at that moment. Native AOT and JIT runs alternate so machine load affects both alike.
// Usage: dotnet run -c Release --project benchmarks/cold-start [-- runs [other-bootstrap...]]
// Other bootstraps (e.g. a copy of an earlier AOT publish) alternate with the current ones, for a before/after under the
// same machine load.
//        dotnet run -c Release --project benchmarks/cold-start -- trace [wrapper command...]
// 'trace' starts the AOT bootstrap once at LOG_LEVEL=DEBUG (optionally under a wrapper such as 'strace -f -tt -o FILE')
// and prints its log lines, for finding where a cold start goes.
//        dotnet run -c Release --project benchmarks/cold-start -- 20 --no-jit [other-bootstrap...]
// '--no-jit' leaves the JIT flavour out (no ratio): the AOT figure without the JIT runs' ~0.8 s of CPU between its runs.

var noJit = args.Contains("--no-jit");
args = [.. args.Where(arg => arg != "--no-jit")];
var trace = args is ["trace", ..];
var runs = args.Length > 0 && !trace ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var commands = new Dictionary<string, BootstrapCommand>(StringComparer.Ordinal);
foreach (var flavor in trace || noJit ? new[] { BootstrapFlavor.NativeAot } : new[] { BootstrapFlavor.NativeAot, BootstrapFlavor.Jit })
{
    Console.Error.WriteLine($"Publishing {flavor} (cached while src/ is unchanged)...");
    commands[flavor.ToString()] = await PublishedBootstrap.PublishAsync(flavor, TimeSpan.FromMinutes(30));
}
foreach (var other in trace ? [] : args.Skip(1))
{
    commands[other] = new BootstrapCommand(Path.GetFullPath(other), []);
}
var flavors = commands.Keys.ToList();

// The real handler on a realistic event: the demo account served by the fake AWS (IAM, ECS, SNS on loopback), a
// RegisterTaskDefinition of billing-worker:12 (per-role IAM reads, the whole audit, one SNS publish).
var demo = Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");
var account = FakeAccount.Load(Path.Combine(demo, "account.json"), Path.Combine(demo, "task-definitions.json"));
account.AddTopic("era-alerts-benchmark");
await using var aws = await FakeAwsServer.StartAsync(account);
var environment = aws.ClientEnvironment();
environment["ALERT_TOPIC_ARN"] = $"arn:aws:sns:{aws.Region}:{aws.AccountId}:era-alerts-benchmark";
environment["LOG_LEVEL"] = "INFO";
// As in Lambda, no shared config or credentials file exists. The fake's default (an empty file in the temp directory)
// makes the SDK watch that directory, and on a shared machine other processes' temp files then wake the watcher.
var noConfig = Directory.CreateTempSubdirectory("era-cold-start-").FullName;
environment["AWS_CONFIG_FILE"] = Path.Combine(noConfig, "config");
environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(noConfig, "credentials");
var registration = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "events", "register-task-definition-violating.json"));
if (trace)
{
    environment["LOG_LEVEL"] = "DEBUG";
    var aot = commands[nameof(BootstrapFlavor.NativeAot)];
    await MeasureAsync(aot);
    var wrapped = args.Length > 1 ? new BootstrapCommand(args[1], [.. args.Skip(2), aot.FileName, .. aot.Arguments]) : aot;
    var (ms, rss, lines) = await MeasureAsync(wrapped);
    Console.WriteLine(string.Join('\n', lines));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"start → first response {ms:F1} ms, peak RSS {rss:F1} MB"));
    return 0;
}
var samples = flavors.ToDictionary(flavor => flavor, _ => new List<Sample>());
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();

// One unmeasured run each: the first start after a publish pays for reading the files from disk.
foreach (var flavor in flavors)
{
    await MeasureAsync(commands[flavor]);
}
for (var run = 0; run < runs; run++)
{
    foreach (var flavor in flavors)
    {
        var (ms, rss, log) = await MeasureAsync(commands[flavor]);
        samples[flavor].Add(new Sample(ms, rss, ColdStartLog.Phases(log, ms)));
    }
}

Console.WriteLine($"/proc/loadavg before: {loadBefore}; after: {File.ReadAllText("/proc/loadavg").Trim()}\n");
Console.WriteLine($"| bootstrap | runs | start → first response: median | min | max | peak RSS: median | max |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var flavor in flavors)
{
    var ms = samples[flavor].Select(s => s.Ms).Order().ToList();
    var rss = samples[flavor].Select(s => s.RssMb).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {flavor} | {runs} | {Median(ms):F1} ms | {ms[0]:F1} ms | {ms[^1]:F1} ms | {Median(rss):F1} MB | {rss[^1]:F1} MB |"));
}
if (!noJit)
{
    var ratio = Median(samples[nameof(BootstrapFlavor.Jit)].Select(s => s.Ms).Order().ToList())
        / Median(samples[nameof(BootstrapFlavor.NativeAot)].Select(s => s.Ms).Order().ToList());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nJIT / AOT median cold start: {ratio:F1}x"));
}

// The phases the bootstrap logs on its "Cold start" line, medians over the runs (ms after the start of Main).
Console.WriteLine($"\n| phase | {string.Join(" | ", flavors.Select(f => $"{f}: starts at | takes"))} |");
Console.WriteLine($"|---|{string.Concat(flavors.Select(_ => "---:|---:|"))}");
foreach (var phase in samples[nameof(BootstrapFlavor.NativeAot)].SelectMany(s => s.Phases.Keys).Distinct())
{
    var cells = flavors.Select(flavor =>
    {
        var timed = samples[flavor].Where(s => s.Phases.ContainsKey(phase)).Select(s => s.Phases[phase]).ToList();
        return timed.Count == 0 ? "– | –" : string.Create(CultureInfo.InvariantCulture,
            $"{Median([.. timed.Select(t => t.StartMs).Order()]):F1} | {Median([.. timed.Select(t => t.DurationMs).Order()]):F1}");
    });
    Console.WriteLine($"| {phase} | {string.Join(" | ", cells)} |");
}
return 0;

async Task<(double Ms, double RssMb, IReadOnlyList<string> Log)> MeasureAsync(BootstrapCommand command)
{
    // A fresh Runtime API per run (started before the clock starts): a killed process's pending 'next' could
    // otherwise take the following run's event.
    await using var runtime = await FakeRuntimeApi.StartAsync();
    var requestId = runtime.Enqueue(registration);
    // Let the harness settle first (the previous run's servers, connections and garbage): measured back to back without
    // a pause, its own clean-up ran beside the next bootstrap's start (AOT-only runs: 70-74 ms medians instead of 51-53).
    GC.Collect();
    GC.WaitForPendingFinalizers();
    await Task.Delay(TimeSpan.FromMilliseconds(250));
    using var process = BootstrapProcess.Start(command, runtime.Address, environment);
    RuntimeOutcome outcome;
    try
    {
        outcome = await runtime.OutcomeAsync(requestId, TimeSpan.FromSeconds(60));
    }
    catch (TimeoutException)
    {
        throw new TimeoutException($"{command.FileName} (exited: {process.HasExited}) posted nothing within 60 s; its output:\n"
            + string.Join('\n', [.. process.StandardOutputLines, .. process.StandardErrorLines]));
    }
    // Read before the process is killed; the loop is parked in the next 'next', so nothing grows meanwhile.
    var rssKb = process.PeakResidentKilobytes();
    // The bootstrap logs its cold start phases right after posting the first response.
    var waited = Stopwatch.StartNew();
    while (!process.StandardOutputLines.Any(line => line.Contains("\"coldStart\"", StringComparison.Ordinal)) && waited.Elapsed < TimeSpan.FromSeconds(5))
    {
        await Task.Delay(5);
    }
    if (outcome.Kind != OutcomeKind.Response)
    {
        throw new InvalidOperationException($"The bootstrap answered {outcome.Kind}: {outcome.Body}");
    }
    return (Stopwatch.GetElapsedTime(process.StartedTimestamp, outcome.ReceivedTimestamp).TotalMilliseconds, rssKb / 1024.0,
        process.StandardOutputLines);
}

static double Median(IReadOnlyList<double> sorted) =>
    sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

internal sealed record Sample(double Ms, double RssMb, IReadOnlyDictionary<string, (double StartMs, double DurationMs)> Phases);
