namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>Which roles a managed policy shapes, attached or as permission boundary.</summary>
public interface IPolicyAttachments
{
    /// <summary>The names of the roles that have <paramref name="policyArn"/> attached or as their boundary.</summary>
    Task<IReadOnlyList<string>> RolesUsingAsync(string policyArn, CancellationToken cancellationToken);
}
