namespace EcsRoleAuditor.Lambda.Configuration;

/// <summary>Log levels, lowest first, named as Lambda's advanced logging controls name them.</summary>
public enum AuditLogLevel
{
    /// <summary>TRACE.</summary>
    Trace,
    /// <summary>DEBUG.</summary>
    Debug,
    /// <summary>INFO.</summary>
    Info,
    /// <summary>WARN.</summary>
    Warn,
    /// <summary>ERROR.</summary>
    Error,
    /// <summary>FATAL.</summary>
    Fatal,
}
