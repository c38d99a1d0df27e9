namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>The metrics of one unit of work (an invocation's audits), written as CloudWatch Embedded Metric Format.</summary>
/// <param name="AuditsCompleted">Task definitions audited to the end.</param>
/// <param name="AuditIncomplete">Task definitions audited with an incomplete report (ERA005/ERA047) or not audited at all (deadline, ECS errors), each once.</param>
/// <param name="AwsApiCalls">AWS API calls made.</param>
/// <param name="DurationMs">Time spent, in milliseconds.</param>
/// <param name="Findings">Findings by severity across the audits.</param>
public readonly record struct AuditMetrics(int AuditsCompleted, int AuditIncomplete, int AwsApiCalls, double DurationMs, SeverityCounts Findings);
