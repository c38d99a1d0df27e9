using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>The "audit incomplete" alert: one ERA005 finding per task definition or step a run could not audit.</summary>
internal static class IncompleteAuditAlert
{
    /// <summary>The alert naming each unfinished audit and why.</summary>
    public static Alert For(IReadOnlyList<UnfinishedAudit> unfinished, AlertScope scope)
    {
        ArgumentNullException.ThrowIfNull(unfinished);
        return new Alert(AlertKind.Incomplete, [.. unfinished.Select(item => item.ToReport())], scope);
    }
}
