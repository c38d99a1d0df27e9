using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>Which roles a managed policy shapes, attached or as permission boundary, read from GetAccountAuthorizationDetails.</summary>
/// <param name="iam">The IAM client.</param>
public sealed class PolicyAttachments(IIamApi iam) : IPolicyAttachments
{
    private static readonly string[] RoleFilter = ["Role"];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> RolesUsingAsync(string policyArn, CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        string? marker = null;
        do
        {
            var page = await iam.GetAccountAuthorizationDetailsAsync(RoleFilter, marker, cancellationToken).ConfigureAwait(false);
            roles.AddRange(page.Roles
                .Where(r => r.AttachedPolicies.Any(p => string.Equals(p.PolicyArn, policyArn, StringComparison.Ordinal))
                    || string.Equals(r.PermissionsBoundaryArn, policyArn, StringComparison.Ordinal))
                .Select(r => r.RoleName));
            marker = page.NextMarker;
        }
        while (marker is not null);
        return roles;
    }
}
