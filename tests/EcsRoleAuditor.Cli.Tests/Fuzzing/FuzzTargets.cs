using System.Text;
using EcsRoleAuditor.TestData;
using EcsRoleAuditor.TestData.Fuzzing;

namespace EcsRoleAuditor.Cli.Tests.Fuzzing;

/// <summary>One input file of one command that the fuzzing mutates, with the rest of the command line valid.</summary>
/// <param name="Name">What is mutated, for the failure report: "audit --iam".</param>
/// <param name="Seed">The valid file the mutations start from.</param>
/// <param name="Arguments">The command line, given the mutated file's path and a case number (to vary the output format).</param>
/// <param name="ExitCodes">The exit codes the command may give for this input.</param>
internal sealed record FuzzTarget(string Name, byte[] Seed, Func<string, int, string[]> Arguments, int[] ExitCodes)
{
    private static readonly string[] AuditFormats = ["table", "json", "sarif", "markdown"];
    private static readonly string[] EventFormats = ["text", "json"];

    /// <summary>The suppressions the seed file holds: one per kind of narrowing, all matching the demo.</summary>
    public const string SuppressionsSeed = """
        [{"rule": "ERA020", "family": "billing-*", "reason": "S3 access moves to the task role in sprint 12"},
         {"rule": "ERA012", "role": "arn:aws:iam::*:role/legacy-*", "reason": "legacy roles are replaced in Q1"}]
        """;

    /// <summary>An audit or the event command never exits with 4 without publishing: 4 there would be a handler bug.</summary>
    private static readonly int[] AuditExits = [0, 1, 2, 3];
    private static readonly int[] EvaluateExits = [0, 2];

    /// <summary><c>fix</c>: 1 only with --verify, for a written role that does not verify.</summary>
    private static readonly int[] FixExits = [0, 1, 2];

    public static IReadOnlyList<FuzzTarget> All { get; } = Create();

    /// <summary>True when the command line asks for JSON on standard output (one document, or one per line for evaluate).</summary>
    public static bool WritesJson(string[] arguments) =>
        arguments[0] is "evaluate" or "fix" || (Array.IndexOf(arguments, "--format") is var i and >= 0 && arguments[i + 1] is "json" or "sarif");

    private static List<FuzzTarget> Create()
    {
        var account = File.ReadAllBytes(DemoFiles.Account);
        var definitions = File.ReadAllBytes(DemoFiles.TaskDefinitions);
        var violating = Path.Combine(SampleEvents.Folder, "register-task-definition-violating.json");
        var targets = new List<FuzzTarget>
        {
            new("audit --iam", account, (file, n) => Audit(file, DemoFiles.TaskDefinitions, null, n), AuditExits),
            new("audit --task-definitions", definitions, (file, n) => Audit(DemoFiles.Account, file, null, n), AuditExits),
            new("audit --suppressions", Encoding.UTF8.GetBytes(SuppressionsSeed), (file, n) => Audit(DemoFiles.Account, DemoFiles.TaskDefinitions, file, n), AuditExits),
            new("event --iam", account, (file, n) => Event(violating, file, null, n), AuditExits),
            new("event --suppressions", Encoding.UTF8.GetBytes(SuppressionsSeed), (file, n) => Event(violating, DemoFiles.Account, file, n), AuditExits),
            new("fix --task-definitions", definitions, (file, n) => ["fix", "--task-definitions", file, .. n % 2 == 0 ? ["--verify"] : Array.Empty<string>()], FixExits),
            new("evaluate --cases", File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Samples", "cases.json")),
                (file, _) => ["evaluate", "--cases", file, "--explain"], EvaluateExits),
        };
        targets.AddRange(SampleEvents.Names.Select(name =>
            new FuzzTarget($"event {name}", SampleEvents.Read(name), (file, n) => Event(file, DemoFiles.Account, null, n), AuditExits)));
        return targets;
    }

    private static string[] Audit(string iam, string definitions, string? suppressions, int n) =>
        ["audit", "--iam", iam, "--task-definitions", definitions, "--format", AuditFormats[n % AuditFormats.Length],
            .. suppressions is null ? Array.Empty<string>() : ["--suppressions", suppressions]];

    private static string[] Event(string eventFile, string iam, string? suppressions, int n) =>
        ["event", eventFile, "--iam", iam, "--task-definitions", DemoFiles.TaskDefinitions, "--format", EventFormats[n % EventFormats.Length],
            .. suppressions is null ? Array.Empty<string>() : ["--suppressions", suppressions]];
}
