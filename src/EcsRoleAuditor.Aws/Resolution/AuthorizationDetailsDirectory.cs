using System.Collections.Concurrent;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// The bulk path: reads every page of <c>GetAccountAuthorizationDetails</c> (filters <c>Role</c>, <c>LocalManagedPolicy</c>,
/// <c>AWSManagedPolicy</c>) once, on the first lookup, then answers every role from memory. It costs
/// ceil(entities / page size) calls whatever the number of roles audited, so it pays off for sweeps of many roles
/// (<see cref="RoleReadPlan"/> decides). Roles are built by the same code as <see cref="IamRoleDirectory"/>'s; a role absent
/// from the account is not found, and a failed page makes every lookup unreadable with the reason.
/// This is the live counterpart of <c>EcsRoleAuditor.Audit.Inputs.AccountSnapshot</c>, which reads the same API's output from a file.
/// </summary>
public sealed class AuthorizationDetailsDirectory : IRoleDirectory
{
    /// <summary>The filters requested: roles and both kinds of managed policy (attached AWS managed policies need their documents too).</summary>
    internal static IReadOnlyList<string> Filters { get; } = ["Role", "LocalManagedPolicy", "AWSManagedPolicy"];

    private readonly IIamApi _iam;
    private readonly string? _accountId;
    private readonly ManagedPolicyCache _cache;
    private readonly SharedReads<string, Outcome<AccountDetails>> _details = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoleLookup> _built = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A directory reading through <paramref name="iam"/>; <paramref name="accountId"/> as in <see cref="IamRoleDirectoryOptions.AccountId"/>.</summary>
    public AuthorizationDetailsDirectory(IIamApi iam, string? accountId = null, ManagedPolicyCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(iam);
        _iam = iam;
        _accountId = accountId;
        _cache = cache ?? ManagedPolicyCache.Shared;
    }

    /// <summary>Reads all pages now (the first lookup does it otherwise); returns the failure, or null when every page was read.</summary>
    internal async Task<AwsFailure?> LoadAsync(CancellationToken cancellationToken) =>
        (await DetailsAsync(cancellationToken).ConfigureAwait(false)).Failure;

    /// <inheritdoc/>
    public async ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roleReference);
        if (!RoleReference.TryRead(roleReference, _accountId, out var reference, out var answer))
        {
            return answer;
        }
        var details = await DetailsAsync(cancellationToken).ConfigureAwait(false);
        if (details.Failure is { } failure)
        {
            return new RoleLookup.Unreadable(roleReference, failure.Describe());
        }
        var byName = _built.GetOrAdd(reference.Name, name => details.Value!.Roles.TryGetValue(name, out var detail)
            ? new RoleLookup.Found(Build(detail, details.Value.Policies))
            : new RoleLookup.NotFound(name, $"IAM has no role named {name} (not in GetAccountAuthorizationDetails)"));
        return reference.Answer(byName);
    }

    private sealed record AccountDetails(Dictionary<string, RoleDetail> Roles, Dictionary<string, ManagedPolicyDetail> Policies);

    private Task<Outcome<AccountDetails>> DetailsAsync(CancellationToken cancellationToken) =>
        _details.GetAsync("", (_, ct) => ReadAllPagesAsync(ct), cancellationToken);

    private async Task<Outcome<AccountDetails>> ReadAllPagesAsync(CancellationToken cancellationToken)
    {
        var roles = new Dictionary<string, RoleDetail>(StringComparer.OrdinalIgnoreCase);
        var policies = new Dictionary<string, ManagedPolicyDetail>(StringComparer.Ordinal);
        var operation = AwsActions.GetAccountAuthorizationDetails;
        try
        {
            await foreach (var page in Pages.ReadAllAsync(operation, (marker, ct) => _iam.GetAccountAuthorizationDetailsAsync(Filters, marker, ct), cancellationToken).ConfigureAwait(false))
            {
                foreach (var role in page.Roles)
                {
                    roles[role.RoleName] = role;
                }
                foreach (var policy in page.Policies)
                {
                    policies[policy.Arn] = policy;
                }
            }
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            return new Outcome<AccountDetails>(null, AwsFailure.From(e, operation, _accountId is null ? "the account" : $"account {_accountId}"));
        }
        return new Outcome<AccountDetails>(new AccountDetails(roles, policies), null);
    }

    private Role Build(RoleDetail role, Dictionary<string, ManagedPolicyDetail> policies)
    {
        var origin = AwsActions.GetAccountAuthorizationDetails.Action;
        var builder = new RoleBuilder(role.Arn, role.RoleName, role.Path, role.Tags);
        builder.TrustPolicy(role.AssumeRolePolicyDocument, $"{origin} {role.Arn} AssumeRolePolicyDocument");
        foreach (var inline in role.InlinePolicies)
        {
            builder.InlinePolicy(inline.PolicyName, inline.Document, $"{origin} {role.Arn} inline policy {inline.PolicyName}");
        }
        var managed = role.AttachedPolicies.Select(p => (SourceKind.ManagedPolicy, p.PolicyName, p.PolicyArn));
        if (role.PermissionsBoundaryArn is { Length: > 0 } boundary)
        {
            managed = managed.Append((SourceKind.PermissionBoundary, ManagedPolicyName.Of(boundary), boundary));
        }
        foreach (var (kind, name, arn) in managed)
        {
            var version = policies.TryGetValue(arn, out var policy)
                ? policy.Versions.FirstOrDefault(v => v.VersionId == policy.DefaultVersionId) ?? policy.Versions.FirstOrDefault(v => v.IsDefaultVersion)
                : null;
            if (version is null)
            {
                builder.Unreadable(new FindingSource(kind, name, arn),
                    $"{origin} did not return the default version of {arn}, which the role references");
                continue;
            }
            builder.ManagedPolicy(kind, name, _cache.GetOrParse(arn, version.VersionId, version.Document), $"{origin} {arn} {version.VersionId}");
        }
        return builder.Build();
    }
}
