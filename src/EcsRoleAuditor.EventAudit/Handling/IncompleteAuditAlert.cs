using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.EventAudit.Alerts;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>The "audit incomplete" alert: one ERA005 finding per task definition the invocation could not audit.</summary>
public static class IncompleteAuditAlert
{
    /// <summary>The alert naming each unfinished audit and why.</summary>
    public static Alert For(IReadOnlyList<UnfinishedAudit> unfinished, AlertScope scope)
    {
        ArgumentNullException.ThrowIfNull(unfinished);
        return new Alert(AlertKind.Incomplete, [.. unfinished.Select(item =>
        {
            var reference = TaskDefinitionReference.Parse(item.Reference);
            var finding = IncompleteAuditRule.ForTaskDefinition(item.Reference,
                $"The audit of {item.Reference} is incomplete: {item.Reason}.",
                "Nothing was checked for it in this run. Give the function more time (the Timeout parameter) or the read access it lacked; "
                + "the next event or the scheduled sweep audits it again, or invoke the function with {\"taskDefinition\": \"" + item.Reference + "\"}.");
            return new TaskDefinitionReport(reference.Arn, reference.Family, reference.Revision, null, null, [finding]);
        })], scope);
    }
}
