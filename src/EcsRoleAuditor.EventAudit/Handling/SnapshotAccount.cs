using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// The handler's IAM ports answered from a saved <c>get-account-authorization-details</c> output instead of IAM: the
/// same roles for an event and for a sweep, and the roles whose managed policies or boundary name a policy.
/// </summary>
/// <param name="account">The account as the offline audit reads it.</param>
public sealed class SnapshotAccount(AccountSnapshot account) : IRoleDirectoryFactory, IPolicyAttachments
{
    /// <inheritdoc/>
    public IRoleDirectory Create(RoleDirectoryScope scope) => new DeadlineBoundDirectory(account);

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> RolesUsingAsync(string policyArn, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A policy the snapshot could not read still names the role that uses it (as a read problem's source).
        IReadOnlyList<string> roles = [.. account.Roles
            .Where(role => role.Policies.Select(p => p.Source)
                .Concat(role.Boundary is { } boundary ? [boundary.Source] : [])
                .Concat(role.Problems.Select(p => p.Source))
                .Any(source => source.Kind is SourceKind.ManagedPolicy or SourceKind.PermissionBoundary
                    && string.Equals(source.Arn, policyArn, StringComparison.Ordinal)))
            .Select(role => role.Name)
            .Order(StringComparer.Ordinal)];
        return Task.FromResult(roles);
    }

    /// <summary>
    /// The snapshot's roles, looked up as IAM would be: a lookup after the invocation's audit deadline is cancelled.
    /// Without this an in-memory lookup never notices the deadline, and an event that carries its task definition was
    /// audited in full whatever time was left, where the function would have published the ERA005 alert.
    /// </summary>
    private sealed class DeadlineBoundDirectory(IRoleDirectory roles) : IRoleDirectory
    {
        public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return roles.FindAsync(roleReference, cancellationToken);
        }
    }
}
