namespace EcsRoleAuditor.Audit.Findings;

/// <summary>How urgent a finding is, lowest first (so severities compare with &lt; and &gt;).</summary>
public enum Severity
{
    /// <summary>Worth knowing; no action needed.</summary>
    Info,
    /// <summary>Hygiene: fix when convenient.</summary>
    Low,
    /// <summary>Widens what a compromise can do, or will break something later.</summary>
    Medium,
    /// <summary>A task will fail, or a role can do far more than its job.</summary>
    High,
    /// <summary>Account takeover or full admin within reach.</summary>
    Critical,
}

/// <summary>Parsing and printing severities by their upper-case names (CRITICAL, HIGH, MEDIUM, LOW, INFO).</summary>
public static class SeverityNames
{
    /// <summary>The upper-case name, e.g. <c>HIGH</c>.</summary>
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Critical => "CRITICAL",
        Severity.High => "HIGH",
        Severity.Medium => "MEDIUM",
        Severity.Low => "LOW",
        _ => "INFO",
    };

    /// <summary>Parses a severity name, ignoring case.</summary>
    public static bool TryParse(string? text, out Severity severity)
    {
        foreach (var candidate in Enum.GetValues<Severity>())
        {
            if (string.Equals(candidate.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                severity = candidate;
                return true;
            }
        }
        severity = default;
        return false;
    }
}
