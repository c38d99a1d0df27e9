using BenchmarkDotNet.Running;

// Runs the benchmark classes of this assembly; pass BenchmarkDotNet arguments, e.g. --filter '*CatalogLoad*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
