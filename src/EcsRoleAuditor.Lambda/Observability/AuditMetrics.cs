namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// The metrics of one unit of work (an invocation's audits), written as CloudWatch Embedded Metric Format.
/// <c>AuditIncomplete</c> counts each task definition once, whether audited with an incomplete report (ERA005/ERA047)
/// or not audited at all (deadline, ECS errors).
/// </summary>
internal readonly record struct AuditMetrics(int AuditsCompleted, int AuditIncomplete, int AwsApiCalls, double DurationMs, SeverityCounts Findings);
