using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// How many findings an audit produced at each severity: the <c>findings</c> log key and the FindingsBySeverity
/// metric. A fixed shape (not a dictionary) so only counts, never free text, reach the log.
/// </summary>
internal readonly record struct SeverityCounts(int Critical, int High, int Medium, int Low, int Info)
{
    /// <summary>Counts the given severities (e.g. the severities of a report's findings).</summary>
    public static SeverityCounts Of(IEnumerable<Severity> severities)
    {
        ArgumentNullException.ThrowIfNull(severities);
        var counts = new int[5];
        foreach (var severity in severities)
        {
            counts[(int)severity]++;
        }
        return new SeverityCounts(counts[(int)Severity.Critical], counts[(int)Severity.High], counts[(int)Severity.Medium],
            counts[(int)Severity.Low], counts[(int)Severity.Info]);
    }

    public int this[Severity severity] => severity switch
    {
        Severity.Critical => Critical,
        Severity.High => High,
        Severity.Medium => Medium,
        Severity.Low => Low,
        _ => Info,
    };

    /// <summary>Severities from CRITICAL down to INFO, the order the log and the metrics list them in.</summary>
    public static IReadOnlyList<Severity> HighestFirst { get; } =
        [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Info];
}
