using System.Text;
using System.Text.Json;
using CsCheck;
using EcsRoleAuditor.TestData.Fuzzing;

namespace EcsRoleAuditor.Cli.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing of every file the command line and the Lambda's handler read (through <c>event</c>, which runs the
/// handler in this process): the demo account, task definitions, sample events, suppressions and cases, each changed the
/// way a careless user or an attacker would. Whatever the input: no unhandled exception, an exit code of the command's
/// documented set, a bad file refused with one line naming it, and no character from the input that a terminal would
/// obey (C0/C1 controls, bidi overrides) on standard output or error.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class HostileInputFuzzTests
{
    [Fact]
    public void No_mutated_input_crashes_hangs_or_reaches_the_terminal_raw()
    {
        using var scratch = new ScratchFolder("era-fuzz");
        var master = PCG.Parse(FuzzSettings.Seed);
        var failures = new Dictionary<string, (string Example, int Count)>(StringComparer.Ordinal);
        var runs = 0;
        var pastTheReader = 0;
        foreach (var target in FuzzTarget.All)
        {
            var mutations = Mutations.Of(target.Seed);
            var file = scratch.PathOf($"input-{runs}.json");
            for (var n = 0; n < FuzzSettings.CasesPerTarget; n++, runs++)
            {
                var pcg = new PCG(master.Next(), master.Next64());
                var seed = pcg.ToString();
                var mutation = mutations.Generate(pcg, null!, out _);
                File.WriteAllBytes(file, mutation.Apply(target.Seed));
                var arguments = target.Arguments(file, n);
                var (exitCode, violations) = Run(target, arguments, file);
                pastTheReader += exitCode is >= 0 and not CommandLineApp.ExitUsage ? 1 : 0;
                foreach (var violation in violations)
                {
                    var key = $"{target.Name}: {violation.Kind}";
                    var example = $"{key}\n    mutation {mutation} (case seed {seed})\n    {string.Join(' ', arguments)}\n    {Mutations.Printable(violation.Detail)}";
                    failures[key] = failures.TryGetValue(key, out var seen) ? (seen.Example, seen.Count + 1) : (example, 1);
                }
            }
        }
        // Mutations that every reader refuses would test only the readers: most must reach the audit.
        Assert.True(pastTheReader >= runs / 3, $"only {pastTheReader} of {runs} runs got past reading the input: the mutations no longer reach the audit");
        Assert.True(failures.Count == 0,
            $"{failures.Count} kinds of failure in {runs} runs from seed {FuzzSettings.Seed} (replay with ERA_FUZZ_SEED):\n"
            + string.Join("\n", failures.Values.Select(f => $"[{f.Count}×] {f.Example}")));
    }

    /// <summary>The exit code (-1 for an exception) and what the run broke, if anything.</summary>
    private static (int ExitCode, List<(string Kind, string Detail)> Violations) Run(FuzzTarget target, string[] arguments, string file)
    {
        CliRun run;
        try
        {
            run = CliRun.Of(arguments);
        }
        catch (Exception e)
        {
            return (-1, [("unhandled exception", $"{e.GetType().Name}: {Shorten(e.Message)} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}")]);
        }
        var found = new List<(string, string)>();
        if (!target.ExitCodes.Contains(run.ExitCode))
        {
            found.Add(($"exit code {run.ExitCode}", Shorten(run.Stderr)));
        }
        if (run.ExitCode == CommandLineApp.ExitUsage)
        {
            var lines = run.Stderr.TrimEnd('\n').Split('\n');
            if (lines.Length != 1 || !lines[0].StartsWith("ecs-role-auditor: ", StringComparison.Ordinal))
            {
                found.Add(("not one line on standard error", Shorten(run.Stderr)));
            }
            else if (!lines[0].Contains(Path.GetFileName(file), StringComparison.Ordinal))
            {
                found.Add(("the error does not name the file", Shorten(lines[0])));
            }
        }
        if (RawControl.First(run.Stdout) is { } inStdout)
        {
            found.Add(("raw control character on standard output", inStdout));
        }
        if (RawControl.First(run.Stderr) is { } inStderr)
        {
            found.Add(("raw control character on standard error", inStderr));
        }
        if (run.ExitCode != CommandLineApp.ExitUsage && FuzzTarget.WritesJson(arguments) && InvalidJson(run.Stdout, arguments[0] == "evaluate") is { } invalid)
        {
            found.Add(("standard output is not JSON", invalid));
        }
        return (run.ExitCode, found);
    }

    private static string? InvalidJson(string stdout, bool jsonLines)
    {
        var documents = jsonLines ? stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [stdout];
        foreach (var document in documents)
        {
            try
            {
                using var _ = JsonDocument.Parse(document);
            }
            catch (JsonException e)
            {
                return $"{e.Message} in {Shorten(document)}";
            }
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : $"{text[..600]}… ({text.Length} chars)";
}

/// <summary>The fuzzing and the size-scaling measurements run alone: they count allocations across the process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "hostile input";
}
