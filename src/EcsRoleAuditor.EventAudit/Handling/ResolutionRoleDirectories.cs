using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The handler's role directory port bound to the AWS resolution: per-role IAM calls for an event, the bulk
/// GetAccountAuthorizationDetails path for the sweep. Parsed managed policy versions are shared for the process
/// lifetime (ManagedPolicyCache.Shared); roles are read fresh in every invocation.
/// </summary>
internal sealed class ResolutionRoleDirectories(IIamApi iam, string? accountId) : IRoleDirectoryFactory
{
    /// <inheritdoc/>
    public IRoleDirectory Create(RoleDirectoryScope scope) => scope == RoleDirectoryScope.Sweep
        ? new AuthorizationDetailsDirectory(iam, accountId)
        : new IamRoleDirectory(iam, new IamRoleDirectoryOptions(AccountId: accountId));
}
