using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Pipeline;

/// <summary>A task definition (or a step) the invocation could not audit, and why; becomes an ERA005 finding.</summary>
/// <param name="Reference">The task definition as named (ARN, <c>family:revision</c>, family) or the step, e.g. <c>ACTIVE task definitions</c>.</param>
/// <param name="Reason">Why, e.g. <c>the invocation reached its deadline</c> or <c>DescribeTaskDefinition failed (AccessDeniedException)</c>.</param>
/// <param name="IsStep">True when <paramref name="Reference"/> is a step (a listing), not one task definition.</param>
/// <param name="Remedy">What to do when the generic advice (more time, the read access it lacked) does not fit, e.g. a member account's reader role that could not be assumed.</param>
public sealed record UnfinishedAudit(string Reference, string Reason, bool IsStep = false, string? Remedy = null)
{
    /// <summary>
    /// The account and region it belongs to when the run covered several and <see cref="Reference"/> does not say
    /// (a family, a listing): the report names them, and a <c>family:revision</c> gets its ARN there.
    /// </summary>
    public AccountRegion? Account { get; init; }

    /// <summary>The report that stands for it: one ERA005 finding saying what was not checked, why, and how to audit it again.</summary>
    public TaskDefinitionReport ToReport()
    {
        var reference = TaskDefinitionReference.Parse(Reference);
        // An ARN names its account and region itself.
        var account = reference.Arn is null ? Account : null;
        var arn = reference.Arn ?? (account is not null && !IsStep && reference.Revision is { } revision ? account.TaskDefinitionArn(reference.Family, revision) : null);
        // A whole account and region is named as such already.
        var named = account is null || Reference == account.ToString() ? Reference : $"{Reference} in {account}";
        var command = CommandLines.AuditLive(account?.AccountId, account?.Region);
        var finding = IncompleteAuditRule.ForTaskDefinition(arn ?? named,
            $"The audit of {named} is incomplete: {Reason}.",
            "Nothing was checked for it in this run. " + (Remedy ?? "Allow more time (the function's Timeout parameter) or grant the read access it lacked, ")
            + (IsStep
                ? $"then audit again: the function's next event or scheduled sweep does, or run {command} --all."
                : $"then audit it again: the function's next event or scheduled sweep does, or invoke the function with {{\"taskDefinition\": \"{arn ?? Reference}\"}}, "
                  + $"or run {command} --task-definition {CommandLines.Quote(Reference)}."));
        return new TaskDefinitionReport(arn, reference.Family, reference.Revision, null, null, [finding]);
    }
}
