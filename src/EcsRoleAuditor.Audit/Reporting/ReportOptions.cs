using System.Collections.Immutable;
using System.Reflection;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>What the caller knows about the output and the run that the report itself does not carry.</summary>
public sealed record ReportOptions
{
    // Read once, and first (static fields initialise in order, and a static instance below needs it): the attribute
    // lookup is reflection, and every report (each alert of a Lambda sweep) made new options.
    private static readonly string DefaultToolVersion = AssemblyVersion();

    /// <summary>The tool's name as reports print it.</summary>
    public const string ToolName = "ecs-role-auditor";

    /// <summary>The tool version written into JSON and SARIF; defaults to this assembly's informational version.</summary>
    public string ToolVersion { get; init; } = DefaultToolVersion;

    /// <summary>Where people read about the tool (SARIF <c>tool.driver.informationUri</c>); omitted when null.</summary>
    public Uri? ToolInformationUri { get; init; }

    /// <summary>
    /// True when the table goes to a terminal, so severities are coloured with ANSI codes; the CLI passes
    /// <c>!Console.IsOutputRedirected</c>. Other formats ignore it.
    /// </summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>The table's line width in characters; text is wrapped (prose) or truncated (lists) to fit, except a policy statement ending a fix and the fix command, each whole on its own line to be copied.</summary>
    public int Width { get; init; } = 100;

    /// <summary>
    /// The file each task definition was read from, for SARIF physical locations. Keys are matched against the task
    /// definition ARN, then <c>family:revision</c>, then the family. Paths relative to the repository root suit GitHub.
    /// </summary>
    public ImmutableDictionary<string, string> SourceFiles { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Where infrastructure code declares each finding's subject (file and line); SARIF results carry it as their
    /// physical location with a region, so code scanning annotates the line. Wins over <see cref="SourceFiles"/>.
    /// </summary>
    public SourceLocations Locations { get; init; } = SourceLocations.None;

    /// <summary>
    /// The role assumed in each account when the run covered several (<c>audit --live --accounts</c>/<c>--organization</c>,
    /// <c>--role-name</c>): the fix command a report names then assumes it in the task definition's account. Null for
    /// one account.
    /// </summary>
    public string? ReaderRoleName { get; init; }

    /// <summary>
    /// The arguments that read the audited infrastructure code (<c>--cloudformation FILE --account A --region R
    /// --parameter K=V</c>, each quoted for a POSIX shell), for the fix command a report names; null for other inputs.
    /// </summary>
    public string? InfrastructureCodeArguments { get; init; }

    /// <summary>
    /// The run's time, which <c>--format asff</c> stamps on every finding (first and last observed, created, updated);
    /// the other formats print no time. Required for ASFF.
    /// </summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>Security Hub's BatchImportFindings limits, which <c>--format asff</c> splits its batches by. Required for ASFF.</summary>
    public SecurityHub.AsffImportLimits? SecurityHubLimits { get; init; }

    /// <summary>Default options: plain text, 100 columns, no source files.</summary>
    public static ReportOptions Default { get; } = new();

    /// <summary>The file <paramref name="taskDefinition"/> was read from (<see cref="SourceFiles"/>), or null.</summary>
    public string? SourceFileOf(Findings.TaskDefinitionReport taskDefinition)
    {
        ArgumentNullException.ThrowIfNull(taskDefinition);
        string?[] keys = [taskDefinition.TaskDefinitionArn, taskDefinition.DisplayName, taskDefinition.Family];
        foreach (var key in keys)
        {
            if (key is not null && SourceFiles.TryGetValue(key, out var path))
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>
    /// The command that writes <paramref name="taskDefinition"/>'s execution role (<see cref="CommandLines.Fix"/>), when it
    /// settles one of its unsuppressed findings (<see cref="Rules.FixCoverage"/>); null otherwise.
    /// </summary>
    public string? FixCommandFor(Findings.TaskDefinitionReport taskDefinition) =>
        Rules.FixCoverage.SettlesAny(taskDefinition) ? FixCommandOf(taskDefinition) : null;

    /// <summary>
    /// The fix command for <paramref name="taskDefinition"/>, settled or not: from the infrastructure code it was read from,
    /// its file, or ECS; null when no execution role can be written for it (its containers are unknown).
    /// </summary>
    internal string? FixCommandOf(Findings.TaskDefinitionReport taskDefinition) =>
        !taskDefinition.ExecutionNeedsKnown ? null
        : InfrastructureCodeArguments is { } arguments
            ? CommandLines.FixFromCode(taskDefinition, arguments)
            : CommandLines.Fix(taskDefinition, SourceFileOf(taskDefinition), ReaderRoleName);

    private static string AssemblyVersion()
    {
        var assembly = typeof(ReportOptions).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The build appends "+<commit>" to the informational version; reports show the release version only.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
