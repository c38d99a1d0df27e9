using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

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
        var pages = Pages.ReadAllAsync(AwsActions.GetAccountAuthorizationDetails, (marker, ct) => iam.GetAccountAuthorizationDetailsAsync(RoleFilter, marker, ct), cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            roles.AddRange(page.Roles
                .Where(r => r.AttachedPolicies.Any(p => string.Equals(p.PolicyArn, policyArn, StringComparison.Ordinal))
                    || string.Equals(r.PermissionsBoundaryArn, policyArn, StringComparison.Ordinal))
                .Select(r => r.RoleName));
        }
        return roles;
    }
}
