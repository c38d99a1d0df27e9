using BenchmarkDotNet.Running;
using EcsRoleAuditor.Benchmarks;
using EcsRoleAuditor.TestData;

// --write-cases DIR writes the decision benchmark's case sets in the `evaluate --cases` format, for
// benchmarks/reference-throughput.mjs to time the reference evaluator on the very same requests.
if (args is ["--write-cases", var directory])
{
    Directory.CreateDirectory(directory);
    foreach (var (name, cases) in new[] { ("managed", BenchmarkCases.ManagedPolicies()), ("synthetic", BenchmarkCases.Synthetic()) })
    {
        var path = Path.Combine(directory, $"{name}.json");
        EvaluationCaseFile.Write(path, cases);
        Console.WriteLine($"{path}: {cases.Count} cases");
    }
    return;
}

// Otherwise runs the benchmark classes of this assembly; pass BenchmarkDotNet arguments, e.g. --filter '*CatalogLoad*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
