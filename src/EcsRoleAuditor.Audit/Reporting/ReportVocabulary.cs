using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>The names the machine-readable formats give role slots and source kinds (part of the JSON contract).</summary>
public static class ReportVocabulary
{
    /// <summary><c>task</c>, <c>execution</c> or <c>taskDefinition</c>.</summary>
    public static string Name(this RoleSlot slot) => slot switch
    {
        RoleSlot.Task => "task",
        RoleSlot.Execution => "execution",
        _ => "taskDefinition",
    };

    /// <summary>The slot <see cref="Name(RoleSlot)"/> names <paramref name="name"/>, or false.</summary>
    public static bool TryParseSlot(string? name, out RoleSlot slot)
    {
        foreach (var candidate in Enum.GetValues<RoleSlot>())
        {
            if (candidate.Name() == name)
            {
                slot = candidate;
                return true;
            }
        }
        slot = default;
        return false;
    }

    /// <summary><c>inlinePolicy</c>, <c>managedPolicy</c>, <c>permissionBoundary</c>, <c>trustPolicy</c>, <c>taskDefinition</c> or <c>role</c>.</summary>
    public static string Name(this SourceKind kind) => kind switch
    {
        SourceKind.InlinePolicy => "inlinePolicy",
        SourceKind.ManagedPolicy => "managedPolicy",
        SourceKind.PermissionBoundary => "permissionBoundary",
        SourceKind.TrustPolicy => "trustPolicy",
        SourceKind.TaskDefinition => "taskDefinition",
        _ => "role",
    };

    /// <summary>Where in the source: the source as people read it, with the statement when there is one.</summary>
    public static string Location(this Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Statement is null ? finding.Source.ToString() : $"{finding.Source}, statement {finding.Statement}";
    }
}
