using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// The optional keys of a log line, each typed. There is deliberately no "extra properties" bag: a caller cannot pour
/// an environment or a configuration object into the log, and every string that is written passes through
/// <see cref="SensitiveValues"/>.
/// </summary>
/// <param name="EventName">The CloudTrail event name or the kind of event (e.g. RegisterTaskDefinition, Scheduled).</param>
/// <param name="Family">The task definition family (or family:revision) the line is about.</param>
/// <param name="Findings">Findings by severity, for a completed audit.</param>
/// <param name="AwsApiCalls">How many AWS API calls the work made.</param>
/// <param name="DurationMs">How long the work took, in milliseconds.</param>
/// <param name="ErrorType">The exception type name when the line reports a failure (never the exception's data).</param>
/// <param name="ColdStart">The phases of the cold start, on the one line written after the first response.</param>
/// <param name="ProcessCpuMs">CPU time the process has used (all threads, user and system), on the cold start line: on a shared or throttled CPU it says more about the cost of starting than the wall-clock phases.</param>
/// <param name="GcCollections">Garbage collections so far (all generations), on the cold start line.</param>
/// <param name="AllocatedBytes">Bytes the process has allocated on the managed heap so far, on the cold start line.</param>
/// <param name="MinorPageFaults">Minor page faults of the process so far (Linux), on the cold start line: on a microVM each costs microseconds, and a start takes thousands.</param>
internal readonly record struct LogFields(
    string? EventName = null,
    string? Family = null,
    SeverityCounts? Findings = null,
    int? AwsApiCalls = null,
    double? DurationMs = null,
    string? ErrorType = null,
    IReadOnlyList<ColdStartPhase>? ColdStart = null,
    double? ProcessCpuMs = null,
    int? GcCollections = null,
    long? AllocatedBytes = null,
    long? MinorPageFaults = null);
