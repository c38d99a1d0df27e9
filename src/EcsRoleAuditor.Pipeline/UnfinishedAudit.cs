using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Pipeline;

/// <summary>A task definition (or a step) the invocation could not audit, and why; becomes an ERA005 finding.</summary>
/// <param name="Reference">The task definition as named (ARN, <c>family:revision</c>, family) or the step, e.g. <c>ACTIVE task definitions</c>.</param>
/// <param name="Reason">Why, e.g. <c>the invocation reached its deadline</c> or <c>DescribeTaskDefinition failed (AccessDeniedException)</c>.</param>
/// <param name="IsStep">True when <paramref name="Reference"/> is a step (a listing), not one task definition.</param>
/// <param name="Remedy">What to do when the generic advice (more time, the read access it lacked) does not fit, e.g. a member account's reader role that could not be assumed.</param>
public sealed record UnfinishedAudit(string Reference, string Reason, bool IsStep = false, string? Remedy = null)
{
    /// <summary>The report that stands for it: one ERA005 finding saying what was not checked, why, and how to audit it again.</summary>
    public TaskDefinitionReport ToReport()
    {
        var reference = TaskDefinitionReference.Parse(Reference);
        var finding = IncompleteAuditRule.ForTaskDefinition(Reference,
            $"The audit of {Reference} is incomplete: {Reason}.",
            "Nothing was checked for it in this run. " + (Remedy ?? "Allow more time (the function's Timeout parameter) or grant the read access it lacked, ")
            + (IsStep
                ? "then audit again: the function's next event or scheduled sweep does, or run ecs-role-auditor audit --live --all."
                : $"then audit it again: the function's next event or scheduled sweep does, or invoke the function with {{\"taskDefinition\": \"{Reference}\"}}, "
                  + $"or run ecs-role-auditor audit --live --task-definition {Reference}."));
        return new TaskDefinitionReport(reference.Arn, reference.Family, reference.Revision, null, null, [finding]);
    }
}
