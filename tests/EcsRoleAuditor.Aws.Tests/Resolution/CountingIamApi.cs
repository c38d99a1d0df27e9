using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

/// <summary>A test double: an <see cref="IIamApi"/> that records every interface call (not attempts: the SDK clients count those) in an <see cref="ApiCallCounter"/> before passing it on.</summary>
internal sealed class CountingIamApi(IIamApi inner, ApiCallCounter counter) : IIamApi
{
    /// <summary>The counter the calls are recorded in.</summary>
    public ApiCallCounter Counter { get; } = counter ?? throw new ArgumentNullException(nameof(counter));

    private readonly IIamApi _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    // Records first, so a call that throws before returning its task is still counted.
    private IIamApi Counted(AwsOperation operation)
    {
        Counter.Record(operation.Action);
        return _inner;
    }

    /// <inheritdoc/>
    public Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Counted(AwsActions.GetRole).GetRoleAsync(roleName, cancellationToken);

    /// <inheritdoc/>
    public Task<Page<string>> ListRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) =>
        Counted(AwsActions.ListRolePolicies).ListRolePoliciesAsync(roleName, marker, cancellationToken);

    /// <inheritdoc/>
    public Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) =>
        Counted(AwsActions.GetRolePolicy).GetRolePolicyAsync(roleName, policyName, cancellationToken);

    /// <inheritdoc/>
    public Task<Page<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) =>
        Counted(AwsActions.ListAttachedRolePolicies).ListAttachedRolePoliciesAsync(roleName, marker, cancellationToken);

    /// <inheritdoc/>
    public Task<ManagedPolicyInfo> GetPolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        Counted(AwsActions.GetPolicy).GetPolicyAsync(policyArn, cancellationToken);

    /// <inheritdoc/>
    public Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) =>
        Counted(AwsActions.GetPolicyVersion).GetPolicyVersionAsync(policyArn, versionId, cancellationToken);

    /// <inheritdoc/>
    public Task<AuthorizationDetailsPage> GetAccountAuthorizationDetailsAsync(IReadOnlyList<string> filter, string? marker, CancellationToken cancellationToken) =>
        Counted(AwsActions.GetAccountAuthorizationDetails).GetAccountAuthorizationDetailsAsync(filter, marker, cancellationToken);
}
