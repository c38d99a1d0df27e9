namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>The metrics of one unit of work (an invocation's audits), written as CloudWatch Embedded Metric Format.</summary>
/// <param name="AuditsCompleted">Task definitions audited to the end.</param>
/// <param name="AuditIncomplete">Task definitions that could not be finished (deadline, AWS errors): alerted as ERA005.</param>
/// <param name="AwsApiCalls">AWS API calls made.</param>
/// <param name="DurationMs">Time spent, in milliseconds.</param>
/// <param name="Findings">Findings by severity across the audits.</param>
public readonly record struct AuditMetrics(int AuditsCompleted, int AuditIncomplete, int AwsApiCalls, double DurationMs, SeverityCounts Findings);
