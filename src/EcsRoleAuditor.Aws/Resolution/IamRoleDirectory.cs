using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>Settings of an <see cref="IamRoleDirectory"/>.</summary>
/// <param name="AccountId">The account the IAM client reads (from STS GetCallerIdentity or the assumed role), when known: roles of other accounts are reported unreadable instead of being looked up by name in the wrong account.</param>
/// <param name="MaxConcurrentCalls">How many IAM calls may be in flight at once; IAM's request rate is account-wide and low, so a sweep stays gentle.</param>
/// <param name="Cache">The managed policy version cache; <see cref="ManagedPolicyCache.Shared"/> when null.</param>
/// <param name="Source">What answers the calls when it is not IAM (a recorded file): problems on a role then name it instead of the API call.</param>
public sealed record IamRoleDirectoryOptions(string? AccountId = null, int MaxConcurrentCalls = IamRoleDirectoryOptions.DefaultMaxConcurrentCalls, ManagedPolicyCache? Cache = null, string? Source = null)
{
    /// <summary>The default of <see cref="MaxConcurrentCalls"/>.</summary>
    public const int DefaultMaxConcurrentCalls = 4;

    /// <summary>
    /// False when <see cref="Source"/> holds only some roles (declarations in infrastructure code): a role it lacks is
    /// unknown, not absent.
    /// </summary>
    public bool HoldsEveryRole { get; init; } = true;

    /// <summary>Where a document came from, for a problem's detail: the API call, or the recorded source.</summary>
    internal string Origin(AwsOperation operation, string detail) => Source is null ? $"{operation.Action} {detail}" : $"{Source}: {detail}";
}

/// <summary>
/// Reads roles from IAM one at a time, as the audit asks for them (the per-role path). Per role:
/// <c>GetRole</c> (trust policy, path, boundary ARN, tags) together with <c>ListRolePolicies</c> and
/// <c>ListAttachedRolePolicies</c>; then <c>GetRolePolicy</c> per inline policy, and per managed policy (the boundary
/// included) <c>GetPolicy</c> for its default version and <c>GetPolicyVersion</c> unless that version is in the
/// <see cref="ManagedPolicyCache"/>. The tags come with GetRole, which returns all of them (a role has at most 50).
/// Cost for a role with N inline and M distinct managed policies (boundary included), lists on one page:
/// 3 + N + 2M calls cold, 3 + N + M when the versions are cached (see docs/aws-access.md).
/// One instance is one invocation or one sweep: roles and GetPolicy answers are cached in it and concurrent lookups of the
/// same role share one read. AWS errors never escape: they become <see cref="RoleLookup.NotFound"/>,
/// <see cref="RoleLookup.Unreadable"/> or problems on the role.
/// </summary>
public sealed class IamRoleDirectory : IRoleDirectory, IDisposable
{
    private readonly IIamApi _iam;
    private readonly IamRoleDirectoryOptions _options;
    private readonly string? _accountId;
    private readonly ManagedPolicyCache _cache;
    private readonly SemaphoreSlim _gate;
    private readonly SharedReads<string, RoleLookup> _roles = new(StringComparer.OrdinalIgnoreCase);
    private readonly SharedReads<string, Outcome<ManagedPolicyInfo>> _policies = new(StringComparer.Ordinal);
    private readonly SharedReads<(string Arn, string VersionId), Outcome<ManagedPolicyVersionDocument>> _versions = new();

    /// <summary>A directory reading through <paramref name="iam"/>.</summary>
    public IamRoleDirectory(IIamApi iam, IamRoleDirectoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(iam);
        options ??= new IamRoleDirectoryOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentCalls, 1);
        _iam = iam;
        _options = options;
        _accountId = options.AccountId;
        _cache = options.Cache ?? ManagedPolicyCache.Shared;
        _gate = new SemaphoreSlim(options.MaxConcurrentCalls, options.MaxConcurrentCalls);
    }

    /// <inheritdoc/>
    public async ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roleReference);
        if (!RoleReference.TryRead(roleReference, _options, out var reference, out var answer))
        {
            return answer;
        }
        var byName = await _roles.GetAsync(reference.Name, (name, ct) => ReadRoleAsync(name, reference, ct), cancellationToken).ConfigureAwait(false);
        return reference.Answer(byName);
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private async Task<RoleLookup> ReadRoleAsync(string name, RoleReference reference, CancellationToken cancellationToken)
    {
        // The two lists need only the role's name, so they go out together with GetRole instead of after it: one IAM
        // round trip less on every role's path, which an event's audit waits for (docs/aws-access.md). A role that does
        // not exist costs the two failed lists more.
        var inlineNames = ListInlineNamesAsync(name, cancellationToken);
        var attached = ListAttachedAsync(name, cancellationToken);
        var got = await CallAsync(AwsActions.GetRole, reference.Resource, ct => _iam.GetRoleAsync(name, ct), cancellationToken).ConfigureAwait(false);
        if (got.Failure is { } failure)
        {
            // Every call of a read ends (and is counted) before its answer.
            await Task.WhenAll(inlineNames, attached).ConfigureAwait(false);
            return failure.Kind == AwsFailureKind.NotFound
                ? new RoleLookup.NotFound(reference.Text, _options.Source is { } source ? $"{source} has no role named {name}" : $"IAM has no role named {name} (iam:GetRole: {failure.ErrorCode})")
                : new RoleLookup.Unreadable(reference.Text, failure.Describe()) { Remedy = failure.Remedy };
        }
        var role = got.Value!;
        if (!string.Equals(role.RoleName, name, StringComparison.Ordinal))
        {
            // Referenced with another spelling of the name (IAM names ignore case): list again under IAM's own, so the
            // policies are those of the role GetRole answered for whatever IAM does with case in lists.
            await Task.WhenAll(inlineNames, attached).ConfigureAwait(false);
            inlineNames = ListInlineNamesAsync(role.RoleName, cancellationToken);
            attached = ListAttachedAsync(role.RoleName, cancellationToken);
        }
        var builder = new RoleBuilder(role.Arn, role.RoleName, role.Path, role.Tags);
        builder.TrustPolicy(role.AssumeRolePolicyDocument, _options.Origin(AwsActions.GetRole, $"{role.Arn} AssumeRolePolicyDocument"), role.TrustUnaudited);

        // The inline and the managed side are independent; each keeps the order IAM listed the policies in.
        var inline = ReadInlinePoliciesAsync(role, inlineNames, cancellationToken);
        var managed = ReadManagedPoliciesAsync(role, attached, cancellationToken);
        foreach (var add in await inline.ConfigureAwait(false))
        {
            add(builder);
        }
        foreach (var add in await managed.ConfigureAwait(false))
        {
            add(builder);
        }
        return new RoleLookup.Found(builder.Build());
    }

    private Task<Outcome<List<string>>> ListInlineNamesAsync(string roleName, CancellationToken cancellationToken) =>
        ListAllAsync(AwsActions.ListRolePolicies, $"role {roleName}", (marker, ct) => _iam.ListRolePoliciesAsync(roleName, marker, ct), cancellationToken);

    private Task<Outcome<List<AttachedPolicy>>> ListAttachedAsync(string roleName, CancellationToken cancellationToken) =>
        ListAllAsync(AwsActions.ListAttachedRolePolicies, $"role {roleName}", (marker, ct) => _iam.ListAttachedRolePoliciesAsync(roleName, marker, ct), cancellationToken);

    // A list went out before GetRole answered, so its failure names the role as referenced; the problem names it by ARN.
    private static Action<RoleBuilder> ListProblem(IamRole role, AwsFailure failure, string kind) =>
        b => b.Unreadable(new FindingSource(SourceKind.Role, role.RoleName), $"{(failure with { Resource = role.Arn }).Describe()}; its {kind} policies are not audited", failure.Remedy);

    private async Task<IReadOnlyList<Action<RoleBuilder>>> ReadInlinePoliciesAsync(IamRole role, Task<Outcome<List<string>>> listed, CancellationToken cancellationToken)
    {
        var names = await listed.ConfigureAwait(false);
        if (names.Failure is { } failure)
        {
            return [ListProblem(role, failure, "inline")];
        }
        var documents = await Task.WhenAll(names.Value!.Select(async policyName =>
        {
            var resource = $"{role.Arn} inline policy {policyName}";
            var text = await CallAsync(AwsActions.GetRolePolicy, resource, ct => _iam.GetRolePolicyAsync(role.RoleName, policyName, ct), cancellationToken).ConfigureAwait(false);
            return text.Failure is { } policyFailure
                ? (Action<RoleBuilder>)(b => b.Unreadable(new FindingSource(SourceKind.InlinePolicy, policyName), policyFailure.Describe(), policyFailure.Remedy))
                : b => b.InlinePolicy(policyName, text.Value!, _options.Origin(AwsActions.GetRolePolicy, resource));
        })).ConfigureAwait(false);
        return documents;
    }

    private async Task<IReadOnlyList<Action<RoleBuilder>>> ReadManagedPoliciesAsync(IamRole role, Task<Outcome<List<AttachedPolicy>>> listed, CancellationToken cancellationToken)
    {
        var attached = await listed.ConfigureAwait(false);
        var wanted = new List<(SourceKind Kind, string Name, string Arn)>();
        var steps = new List<Task<Action<RoleBuilder>>>();
        if (attached.Failure is { } failure)
        {
            steps.Add(Task.FromResult(ListProblem(role, failure, "managed")));
        }
        else
        {
            wanted.AddRange(attached.Value!.Select(p => (SourceKind.ManagedPolicy, p.PolicyName, p.PolicyArn)));
        }
        if (role.PermissionsBoundaryArn is { Length: > 0 } boundary)
        {
            wanted.Add((SourceKind.PermissionBoundary, ManagedPolicyName.Of(boundary), boundary));
        }
        steps.AddRange(wanted.Select(async policy =>
        {
            var version = await ManagedVersionAsync(policy.Arn, cancellationToken).ConfigureAwait(false);
            return version.Failure is { } policyFailure
                ? (Action<RoleBuilder>)(b => b.Unreadable(new FindingSource(policy.Kind, policy.Name, policy.Arn), policyFailure.Describe(), policyFailure.Remedy))
                : b => b.ManagedPolicy(policy.Kind, policy.Name, version.Value!, _options.Origin(AwsActions.GetPolicyVersion, $"{policy.Arn} {version.Value!.VersionId}"));
        }));
        return await Task.WhenAll(steps).ConfigureAwait(false);
    }

    /// <summary>The policy's default version, parsed: GetPolicy once per directory (the default may change between invocations), GetPolicyVersion once per process.</summary>
    private async Task<Outcome<ManagedPolicyVersionDocument>> ManagedVersionAsync(string policyArn, CancellationToken cancellationToken)
    {
        var info = await _policies.GetAsync(policyArn, (arn, ct) => CallAsync(AwsActions.GetPolicy, arn, c => _iam.GetPolicyAsync(arn, c), ct), cancellationToken).ConfigureAwait(false);
        if (info.Failure is { } failure)
        {
            return new Outcome<ManagedPolicyVersionDocument>(null, failure);
        }
        var versionId = info.Value!.DefaultVersionId;
        if (_cache.TryGet(policyArn, versionId, out var cached))
        {
            return new Outcome<ManagedPolicyVersionDocument>(cached, null);
        }
        return await _versions.GetAsync((policyArn, versionId), async (key, ct) =>
        {
            var text = await CallAsync(AwsActions.GetPolicyVersion, $"{key.Arn} {key.VersionId}", c => _iam.GetPolicyVersionAsync(key.Arn, key.VersionId, c), ct).ConfigureAwait(false);
            return text.Failure is { } versionFailure
                ? new Outcome<ManagedPolicyVersionDocument>(null, versionFailure)
                : new Outcome<ManagedPolicyVersionDocument>(_cache.GetOrParse(key.Arn, key.VersionId, text.Value!), null);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome<T>> CallAsync<T>(AwsOperation operation, string resource, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return new Outcome<T>(await GatedAsync(call, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            return new Outcome<T>(default, AwsFailure.From(e, operation, resource));
        }
    }

    private async Task<Outcome<List<T>>> ListAllAsync<T>(AwsOperation operation, string resource, Func<string?, CancellationToken, Task<Page<T>>> list, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        try
        {
            // Each page waits for the gate on its own: a long list does not hold a slot between its pages.
            await foreach (var page in Pages.ReadAllAsync(operation, (marker, ct) => GatedAsync(c => list(marker, c), ct), cancellationToken).ConfigureAwait(false))
            {
                items.AddRange(page.Items);
            }
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            return new Outcome<List<T>>(null, AwsFailure.From(e, operation, resource));
        }
        return new Outcome<List<T>>(items, null);
    }

    private async Task<T> GatedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A call's result or its failure.</summary>
internal readonly record struct Outcome<T>(T? Value, AwsFailure? Failure);
