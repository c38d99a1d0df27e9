using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace EcsRoleAuditor.Cli.Tests.Fuzzing;

/// <summary>
/// Work grows linearly with the input: four times the input may cost about four times the memory, never sixteen. Memory
/// is measured as bytes allocated by the whole process (deterministic, unlike time on a shared machine); the times are
/// printed for information and measured properly in docs/benchmarks.md.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed partial class InputScalingTests(ITestOutputHelper output) : IDisposable
{
    // Four times the input, at most this many times the allocations: linear work with constant overhead gives at most 4,
    // quadratic work 16.
    private const double MaxRatio = 6;

    [Theory]
    [InlineData("table")]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("markdown")]
    public void An_account_four_times_as_wide_costs_at_most_linearly_more(string format)
    {
        AssertLinear($"{format}, roles and task definitions", 4, scale =>
        {
            var (account, definitions) = WideAccount(scale);
            return ["audit", "--iam", account, "--task-definitions", definitions, "--format", format];
        });
    }

    [Theory]
    [InlineData("table")]
    [InlineData("markdown")]
    public void A_family_name_four_times_as_long_costs_at_most_linearly_more(string format)
    {
        AssertLinear($"{format}, a long family name", 50_000, length =>
        {
            var definitions = File.ReadAllText(DemoFiles.TaskDefinitions).Replace("legacy-reports", new string('n', length), StringComparison.Ordinal);
            return ["audit", "--iam", DemoFiles.Account, "--task-definitions", Scratch.Write($"long-{length}.json", definitions), "--format", format];
        });
    }

    [Fact]
    public void An_event_four_times_as_long_costs_at_most_linearly_more()
    {
        AssertLinear("a direct invocation's task definition reference", 100_000, length =>
            ["event", Scratch.Write($"event-{length}.json", $$"""{"taskDefinition": "{{new string('f', length)}}:1"}"""), "--demo"]);
    }

    private ScratchFolder Scratch { get; } = new("era-scaling");

    public void Dispose() => Scratch.Dispose();

    private void AssertLinear(string what, int size, Func<int, string[]> arguments)
    {
        // The first run pays the one-time costs (catalog, JIT) that would otherwise count against the small input.
        _ = CliRun.Of(arguments(size));
        var (small, smallTime) = Allocated(arguments(size));
        var (large, largeTime) = Allocated(arguments(4 * size));
        var ratio = (double)large / small;
        output.WriteLine($"{what}: ×4 input → ×{ratio:F2} allocated ({small / 1024:N0} → {large / 1024:N0} KiB), {smallTime} → {largeTime} ms");
        Assert.True(ratio <= MaxRatio, $"{what}: four times the input allocated {ratio:F1} times as much ({small:N0} → {large:N0} bytes)");
    }

    private static (long Bytes, long Milliseconds) Allocated(string[] arguments)
    {
        var watch = Stopwatch.StartNew();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var run = CliRun.Of(arguments);
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(run.ExitCode is >= 0 and <= 3, $"exit {run.ExitCode}: {run.Stderr}");
        return (bytes, watch.ElapsedMilliseconds);
    }

    /// <summary>The demo account <paramref name="copies"/> times over, each copy's roles and families renamed.</summary>
    private (string Account, string TaskDefinitions) WideAccount(int copies)
    {
        var account = JsonNode.Parse(File.ReadAllText(DemoFiles.Account))!;
        var roles = account["RoleDetailList"]!.AsArray();
        var definitions = File.ReadAllText(DemoFiles.TaskDefinitions);
        var wideRoles = new JsonArray();
        var wideDefinitions = new JsonArray();
        for (var i = 0; i < copies; i++)
        {
            foreach (var role in roles)
            {
                wideRoles.Add(JsonNode.Parse(Renamed(role!.ToJsonString(), i)));
            }
            foreach (var definition in JsonNode.Parse(Renamed(definitions, i))!.AsArray())
            {
                wideDefinitions.Add(definition!.DeepClone());
            }
        }
        account["RoleDetailList"] = wideRoles;
        return (Scratch.Write($"wide-{copies}.json", account.ToJsonString()), Scratch.Write($"wide-definitions-{copies}.json", wideDefinitions.ToJsonString()));
    }

    private static string Renamed(string json, int copy) =>
        RoleIds().Replace(DemoNames().Replace(json, $"$1-c{copy}"), $"$1C{copy}\"");

    [GeneratedRegex(@"\b(orders-api|billing-worker|legacy-reports)")]
    private static partial Regex DemoNames();

    [GeneratedRegex("(\"AROA[A-Z0-9]+)\"")]
    private static partial Regex RoleIds();
}
