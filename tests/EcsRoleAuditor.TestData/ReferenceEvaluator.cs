using System.Diagnostics;
using System.Text.Json;
using EcsRoleAuditor.Policy.Evaluation;

namespace EcsRoleAuditor.TestData;

/// <summary>What the reference evaluator said about one case.</summary>
/// <param name="Decision">Its decision, or null when it rejected the case.</param>
/// <param name="Error">Why it rejected the case.</param>
/// <param name="IgnoredContextKeys">Context keys it dropped because they do not apply to the action or resource (absent from such a request in AWS too).</param>
public sealed record ReferenceResult(Decision? Decision, string? Error, IReadOnlyList<string> IgnoredContextKeys);

/// <summary>
/// Drives the independent reference evaluator, <c>@cloud-copilot/iam-simulate</c> (AGPL-3.0), through
/// <c>tests/reference/simulate.mjs</c> in one Node.js process per batch. It is an external test tool: nothing of it is
/// linked into or copied to the product.
/// </summary>
public static class ReferenceEvaluator
{
    /// <summary>Decides every case with the reference evaluator; results by case id.</summary>
    public static IReadOnlyDictionary<string, ReferenceResult> Decide(IReadOnlyList<EvaluationCase> cases, TimeSpan? timeout = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"era-reference-{Guid.NewGuid():N}.json");
        try
        {
            EvaluationCaseFile.Write(file, cases);
            var lines = RunNode(file, timeout ?? TimeSpan.FromMinutes(5));
            var results = new Dictionary<string, ReferenceResult>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var id = root.GetProperty("id").GetString()!;
                var ignored = root.TryGetProperty("ignoredContextKeys", out var keys)
                    ? keys.EnumerateArray().Select(k => k.GetString()!).ToArray()
                    : [];
                results[id] = root.TryGetProperty("decision", out var decision)
                    ? new ReferenceResult(Enum.Parse<Decision>(decision.GetString()!), null, ignored)
                    : new ReferenceResult(null, root.GetProperty("error").GetString(), ignored);
            }
            if (results.Count != cases.Count)
            {
                throw new InvalidOperationException($"The reference evaluator answered {results.Count} of {cases.Count} cases.");
            }
            return results;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs a Node.js script of tests/reference with arguments and returns its standard output lines.</summary>
    public static IReadOnlyList<string> RunScript(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        _ = RepositoryPaths.ReferenceModules; // fail early, with the install command, when npm ci has not run
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Reference,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Reference, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start node (Node.js 20 is needed for the differential tests).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {stderr.Result}");
        }
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static IReadOnlyList<string> RunNode(string casesFile, TimeSpan timeout) => RunScript("simulate.mjs", [casesFile], timeout);
}
