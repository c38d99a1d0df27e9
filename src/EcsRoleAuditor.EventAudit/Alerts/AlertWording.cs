using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>Phrases the email and chat bodies share.</summary>
internal static class AlertWording
{
    /// <summary>e.g. <c>execution role billing-worker-execution</c>.</summary>
    public static string RoleOf(Finding finding)
    {
        var slot = finding.RoleSlot switch
        {
            RoleSlot.Task => "task role",
            RoleSlot.Execution => "execution role",
            _ => "task definition",
        };
        return finding.RoleArn is { } role ? $"{slot} {ConsoleLinks.RoleName(role)}" : slot;
    }
}
