namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>How important a log line is, lowest first, so a threshold compares with &lt;.</summary>
public enum LogLevel
{
    /// <summary>Detail for diagnosing the function itself.</summary>
    Debug,
    /// <summary>What the function did (an audit completed, an event acknowledged).</summary>
    Info,
    /// <summary>Something was skipped or degraded, the invocation still succeeded.</summary>
    Warn,
    /// <summary>An invocation failed or the function cannot do its job.</summary>
    Error,
}

/// <summary>The LOG_LEVEL names (DEBUG, INFO, WARN, ERROR) and their parsing.</summary>
public static class LogLevelNames
{
    /// <summary>The upper-case name written in the <c>level</c> key.</summary>
    public static string Name(this LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Warn => "WARN",
        LogLevel.Error => "ERROR",
        _ => "INFO",
    };

    /// <summary>
    /// Reads a LOG_LEVEL value, ignoring case; WARNING is accepted for WARN. Anything else (unset, a typo) is INFO:
    /// a misconfigured level must not silence the function's error lines nor flood the log with debug output.
    /// </summary>
    public static LogLevel ParseOrDefault(string? text) => TryParse(text, out var level) ? level : LogLevel.Info;

    /// <summary>Reads a LOG_LEVEL value strictly (DEBUG, INFO, WARN or WARNING, ERROR; case ignored): false for anything else.</summary>
    public static bool TryParse(string? text, out LogLevel level)
    {
        var trimmed = text?.Trim();
        foreach (var (name, candidate) in Names)
        {
            if (string.Equals(trimmed, name, StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }
        level = LogLevel.Info;
        return false;
    }

    private static readonly (string Name, LogLevel Level)[] Names =
        [("DEBUG", LogLevel.Debug), ("INFO", LogLevel.Info), ("WARN", LogLevel.Warn), ("WARNING", LogLevel.Warn), ("ERROR", LogLevel.Error)];
}
