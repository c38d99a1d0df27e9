namespace EcsRoleAuditor.Lambda.Observability;

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
    public static LogLevel ParseOrDefault(string? text)
    {
        var trimmed = text?.Trim();
        if (string.Equals(trimmed, "DEBUG", StringComparison.OrdinalIgnoreCase))
        {
            return LogLevel.Debug;
        }
        if (string.Equals(trimmed, "WARN", StringComparison.OrdinalIgnoreCase)
            || string.Equals(trimmed, "WARNING", StringComparison.OrdinalIgnoreCase))
        {
            return LogLevel.Warn;
        }
        return string.Equals(trimmed, "ERROR", StringComparison.OrdinalIgnoreCase) ? LogLevel.Error : LogLevel.Info;
    }
}
