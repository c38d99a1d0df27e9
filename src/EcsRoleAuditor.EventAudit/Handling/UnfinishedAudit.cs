namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>A task definition (or a step) the invocation could not audit, and why; becomes an ERA005 finding.</summary>
/// <param name="Reference">The task definition as named (ARN, <c>family:revision</c>, family) or the step, e.g. <c>ACTIVE task definitions</c>.</param>
/// <param name="Reason">Why, e.g. <c>the invocation reached its deadline</c> or <c>DescribeTaskDefinition failed (AccessDeniedException)</c>.</param>
public sealed record UnfinishedAudit(string Reference, string Reason);
