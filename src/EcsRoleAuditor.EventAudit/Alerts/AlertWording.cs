using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>Phrases the email and chat bodies share.</summary>
internal static class AlertWording
{
    /// <summary>e.g. <c>execution role billing-worker-execution</c>.</summary>
    public static string RoleOf(Finding finding) => RoleOf(finding.RoleSlot, finding.RoleArn);

    /// <summary>e.g. <c>execution role billing-worker-execution</c>, from the slot and role ARN.</summary>
    public static string RoleOf(RoleSlot slot, string? roleArn)
    {
        var name = slot switch
        {
            RoleSlot.Task => "task role",
            RoleSlot.Execution => "execution role",
            _ => "task definition",
        };
        return roleArn is { } role ? $"{name} {ConsoleLinks.RoleName(role)}" : name;
    }

    /// <summary>The title of a rule by ID (a stored finding keeps the ID only); the ID alone for a rule this version no longer has.</summary>
    public static string Title(string ruleId) => RuleCatalog.Find(ruleId)?.Descriptor.Title ?? "";
}
