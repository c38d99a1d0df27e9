using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// IAM answered by another <see cref="IIamApi"/> (the demo account's recording), with the calls counted by operation and
/// chosen roles denied as IAM denies them: <c>AccessDenied</c> on every call about the role. Each call is one request,
/// recorded in the current run's counter as the SDK clients record theirs.
/// </summary>
internal sealed class FaultyIam(IIamApi inner) : IIamApi
{
    private readonly HashSet<string> _denied = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Operations { get; } = [];

    public int Calls => Operations.Count;

    public int CallsOf(string operation) => Operations.Count(o => o == operation);

    public void Deny(string roleName) => _denied.Add(roleName);

    public Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Call("GetRole", roleName, () => inner.GetRoleAsync(roleName, cancellationToken));

    public Task<Page<string>> ListRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) =>
        Call("ListRolePolicies", roleName, () => inner.ListRolePoliciesAsync(roleName, marker, cancellationToken));

    public Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) =>
        Call("GetRolePolicy", roleName, () => inner.GetRolePolicyAsync(roleName, policyName, cancellationToken));

    public Task<Page<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) =>
        Call("ListAttachedRolePolicies", roleName, () => inner.ListAttachedRolePoliciesAsync(roleName, marker, cancellationToken));

    public Task<ManagedPolicyInfo> GetPolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        Call("GetPolicy", null, () => inner.GetPolicyAsync(policyArn, cancellationToken));

    public Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) =>
        Call("GetPolicyVersion", null, () => inner.GetPolicyVersionAsync(policyArn, versionId, cancellationToken));

    // IAM authorizes GetAccountAuthorizationDetails on "*" only: a denied role cannot be left out of it.
    public Task<AuthorizationDetailsPage> GetAccountAuthorizationDetailsAsync(IReadOnlyList<string> filter, string? marker, CancellationToken cancellationToken) =>
        Call("GetAccountAuthorizationDetails", null, () => inner.GetAccountAuthorizationDetailsAsync(filter, marker, cancellationToken));

    private Task<T> Call<T>(string operation, string? roleName, Func<Task<T>> call)
    {
        Operations.Add(operation);
        ApiCallCounting.Record(AwsActions.All.Single(o => o.Service == "iam" && o.Name == operation));
        return roleName is not null && _denied.Contains(roleName)
            ? Task.FromException<T>(new AmazonServiceException($"User is not authorized to perform: iam:{operation} on resource: role {roleName}")
            {
                ErrorCode = "AccessDenied",
                StatusCode = HttpStatusCode.Forbidden,
            })
            : call();
    }
}
