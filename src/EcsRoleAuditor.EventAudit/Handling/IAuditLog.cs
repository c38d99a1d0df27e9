using EcsRoleAuditor.EventAudit.Configuration;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// Where the handler writes its log lines. Bound at composition to the runtime's JSON line logger (Observability),
/// which adds the fixed keys (timestamp, requestId, ...) and drops lines below LOG_LEVEL. Messages never hold an
/// environment-variable value or a secret.
/// </summary>
public interface IAuditLog
{
    /// <summary>Writes one line.</summary>
    void Write(LogLevel level, string message, AuditLogFields fields);
}

/// <summary>The structured keys of a log line, each omitted when null.</summary>
/// <param name="EventName">The event being handled (<c>RegisterTaskDefinition</c>, <c>Scheduled Event</c>...).</param>
/// <param name="Family">The task definition family the line is about.</param>
/// <param name="FindingsBySeverity">Unsuppressed findings counted by severity name (<c>HIGH</c> → 2).</param>
/// <param name="DurationMs">How long the step took.</param>
/// <param name="AwsApiCalls">The AWS requests of this invocation's run so far, retries included.</param>
public sealed record AuditLogFields(string? EventName = null, string? Family = null, IReadOnlyDictionary<string, int>? FindingsBySeverity = null, long? DurationMs = null, long? AwsApiCalls = null);
