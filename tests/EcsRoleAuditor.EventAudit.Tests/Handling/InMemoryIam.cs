using System.Text.Json;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// IAM's GetAccountAuthorizationDetails over the demo account (the only IAM call the handler itself makes: the role
/// reads go through the role directory). The other calls belong to the resolution and are not expected here.
/// </summary>
internal sealed class InMemoryIam : IIamApi
{
    private readonly List<RoleDetail> _roles;

    public InMemoryIam(string accountJson)
    {
        using var document = JsonDocument.Parse(accountJson);
        _roles = [.. document.RootElement.GetProperty("RoleDetailList").EnumerateArray().Select(r => new RoleDetail(
            r.GetProperty("RoleName").GetString()!, r.GetProperty("Arn").GetString()!, r.GetProperty("Path").GetString()!, "{}", [],
            [.. r.GetProperty("AttachedManagedPolicies").EnumerateArray().Select(p => new AttachedPolicy(p.GetProperty("PolicyName").GetString()!, p.GetProperty("PolicyArn").GetString()!))],
            r.TryGetProperty("PermissionsBoundary", out var b) ? b.GetProperty("PermissionsBoundaryArn").GetString() : null, []))];
    }

    public static InMemoryIam Demo() => new(DemoAccount.AccountJson);

    public int Calls { get; private set; }

    public Task<AuthorizationDetailsPage> GetAccountAuthorizationDetailsAsync(IReadOnlyList<string> filter, string? marker, CancellationToken cancellationToken)
    {
        Calls++;
        // Two pages, so paging is exercised.
        var half = _roles.Count / 2;
        return Task.FromResult(marker is null
            ? new AuthorizationDetailsPage([.. _roles.Take(half)], [], "page-2")
            : new AuthorizationDetailsPage([.. _roles.Skip(half)], [], null));
    }

    public Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken) => throw Unexpected();

    public Task<Page<string>> ListRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) => throw Unexpected();

    public Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) => throw Unexpected();

    public Task<Page<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) => throw Unexpected();

    public Task<ManagedPolicyInfo> GetPolicyAsync(string policyArn, CancellationToken cancellationToken) => throw Unexpected();

    public Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) => throw Unexpected();

    private static InvalidOperationException Unexpected() => new("The handler reads roles through the role directory, not IIamApi.");
}
