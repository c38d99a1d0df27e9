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
/// Over a <see cref="Offline.RecordedIam"/> it reads the same API's output from a file.
/// </summary>
public sealed class AuthorizationDetailsDirectory : IRoleDirectory
{
    /// <summary>The filters requested: roles and both kinds of managed policy (attached AWS managed policies need their documents too).</summary>
    internal static IReadOnlyList<string> Filters { get; } = ["Role", "LocalManagedPolicy", "AWSManagedPolicy"];

    private readonly IIamApi _iam;
    private readonly IamRoleDirectoryOptions _options;
    private readonly string? _accountId;
    private readonly ManagedPolicyCache _cache;
    private readonly SharedReads<string, Outcome<AccountDetails>> _details = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoleLookup> _built = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A directory reading through <paramref name="iam"/> with the account, cache and source of <paramref name="options"/> (the concurrency does not apply: one call at a time).</summary>
    public AuthorizationDetailsDirectory(IIamApi iam, IamRoleDirectoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(iam);
        _iam = iam;
        _options = options ?? new IamRoleDirectoryOptions();
        _accountId = _options.AccountId;
        _cache = _options.Cache ?? ManagedPolicyCache.Shared;
    }

    /// <summary>Reads all pages now (the first lookup does it otherwise); returns the failure, or null when every page was read.</summary>
    internal async Task<AwsFailure?> LoadAsync(CancellationToken cancellationToken) =>
        (await DetailsAsync(cancellationToken).ConfigureAwait(false)).Failure;

    /// <inheritdoc/>
    public async ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roleReference);
        if (!RoleReference.TryRead(roleReference, _options, out var reference, out var answer))
        {
            return answer;
        }
        var details = await DetailsAsync(cancellationToken).ConfigureAwait(false);
        if (details.Failure is { } failure)
        {
            return new RoleLookup.Unreadable(roleReference, failure.Describe()) { Remedy = failure.Remedy };
        }
        var byName = _built.GetOrAdd(reference.Name, name => details.Value!.Roles.TryGetValue(name, out var detail)
            ? new RoleLookup.Found(Build(detail, details.Value.Policies))
            : _options.Source is not { } source ? new RoleLookup.NotFound(name, $"IAM has no role named {name} (not in GetAccountAuthorizationDetails)")
            : Offline.RecordedIam.UnknownRole(source, name, _options.HoldsEveryRole) is { } unknown ? new RoleLookup.Unreadable(name, unknown.Message) { Remedy = unknown.Remedy }
            : new RoleLookup.NotFound(name, $"{source} has no role named {name}"));
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

    private string MissingList(RoleDetail role, string list, string what) => _options.Source is { } source
        ? Offline.RecordedIam.MissingList(source, role.Arn, list, what)
        : $"{AwsActions.GetAccountAuthorizationDetails} returned {role.Arn} without {list}, so the role's {what} are unknown";

    private Role Build(RoleDetail role, Dictionary<string, ManagedPolicyDetail> policies)
    {
        var action = AwsActions.GetAccountAuthorizationDetails;
        var builder = new RoleBuilder(role.Arn, role.RoleName, role.Path, role.Tags);
        builder.TrustPolicy(role.AssumeRolePolicyDocument, _options.Origin(action, $"{role.Arn} AssumeRolePolicyDocument"), role.TrustUnaudited);
        // A list the answer did not hold is unknown, not empty: auditing the role as having none would be a clean pass on what was never seen.
        if (role.InlinePolicies is null)
        {
            builder.Unreadable(new FindingSource(SourceKind.InlinePolicy, "RolePolicyList"), MissingList(role, "RolePolicyList", "inline policies"));
        }
        foreach (var inline in role.InlinePolicies ?? [])
        {
            builder.InlinePolicy(inline.PolicyName, inline.Document, _options.Origin(action, $"{role.Arn} inline policy {inline.PolicyName}"), inline.Unaudited);
        }
        if (role.AttachedPolicies is null)
        {
            builder.Unreadable(new FindingSource(SourceKind.ManagedPolicy, "AttachedManagedPolicies"), MissingList(role, "AttachedManagedPolicies", "attached managed policies"));
        }
        var managed = (role.AttachedPolicies ?? []).Select(p => (Kind: SourceKind.ManagedPolicy, p.PolicyName, p.PolicyArn));
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
                builder.Unreadable(new FindingSource(kind, name, arn), _options.Source is { } source
                    ? Offline.RecordedIam.MissingPolicy(source, arn)
                    : $"{action} did not return the default version of {arn}, which the role references");
                continue;
            }
            var origin = _options.Origin(action, $"{arn} {version.VersionId}");
            if (version.Document is not { } document)
            {
                builder.MissingDocument(new FindingSource(kind, name, arn), origin, version.Unaudited);
                continue;
            }
            builder.ManagedPolicy(kind, name, _cache.GetOrParse(arn, version.VersionId, document), origin);
        }
        return builder.Build();
    }
}
