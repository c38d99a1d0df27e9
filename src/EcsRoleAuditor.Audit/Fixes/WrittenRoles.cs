using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// The roles fix wrote, in front of the account's (or of none: without the current roles, another role is not found and
/// its findings are its own). A role is found by its ARN or, as a task definition may name it, by its name.
/// </summary>
internal sealed class WrittenRoles(IReadOnlyList<Role> written, IRoleDirectory? account) : IRoleDirectory
{
    public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
    {
        var role = written.FirstOrDefault(r => string.Equals(roleReference, r.Arn, StringComparison.OrdinalIgnoreCase)
            || (!Arn.TryParse(roleReference, out _) && string.Equals(roleReference, r.Name, StringComparison.OrdinalIgnoreCase)));
        return role is not null
            ? ValueTask.FromResult<RoleLookup>(new RoleLookup.Found(role))
            : account?.FindAsync(roleReference, cancellationToken) ?? ValueTask.FromResult<RoleLookup>(new RoleLookup.NotFound(roleReference, "not written by fix"));
    }
}
