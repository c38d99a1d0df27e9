using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

/// <summary>
/// An IAM account in memory: answers each IIamApi operation from its roles and managed policies, in small pages, and
/// throws AmazonServiceException with the wire ErrorCode and StatusCode for missing entities and injected faults.
/// </summary>
internal sealed class InMemoryIamAccount : IIamApi
{
    private readonly List<(string Operation, string Resource, string Code, HttpStatusCode Status)> _faults = [];

    public Dictionary<string, RoleDetail> Roles { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ManagedPolicyDetail> ManagedPolicies { get; } = new(StringComparer.Ordinal);

    public int PageSize { get; init; } = 2;

    /// <summary>Every call as "operation resource", in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>When set, GetRole waits for it: lets a test pile up concurrent lookups.</summary>
    public Task? GetRoleGate { get; set; }

    public static InMemoryIamAccount Demo() => FromAuthorizationDetails(File.ReadAllText(DemoFile("account.json")));

    public static string DemoFile(string name) => Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", name);

    /// <summary>Loads <c>aws iam get-account-authorization-details</c> output (documents as objects or URL-encoded strings).</summary>
    public static InMemoryIamAccount FromAuthorizationDetails(string json, int pageSize = 2)
    {
        var account = new InMemoryIamAccount { PageSize = pageSize };
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        foreach (var role in root.GetProperty("RoleDetailList").EnumerateArray())
        {
            account.Add(new RoleDetail(
                role.GetProperty("RoleName").GetString()!,
                role.GetProperty("Arn").GetString()!,
                role.GetProperty("Path").GetString()!,
                DocumentText(role.GetProperty("AssumeRolePolicyDocument")),
                [.. role.GetProperty("RolePolicyList").EnumerateArray().Select(p => new InlinePolicy(p.GetProperty("PolicyName").GetString()!, DocumentText(p.GetProperty("PolicyDocument"))))],
                [.. role.GetProperty("AttachedManagedPolicies").EnumerateArray().Select(p => new AttachedPolicy(p.GetProperty("PolicyName").GetString()!, p.GetProperty("PolicyArn").GetString()!))],
                role.TryGetProperty("PermissionsBoundary", out var boundary) ? boundary.GetProperty("PermissionsBoundaryArn").GetString() : null,
                role.TryGetProperty("Tags", out var tags) ? [.. tags.EnumerateArray().Select(t => new IamTag(t.GetProperty("Key").GetString()!, t.GetProperty("Value").GetString()!))] : []));
        }
        foreach (var policy in root.GetProperty("Policies").EnumerateArray())
        {
            account.Add(new ManagedPolicyDetail(
                policy.GetProperty("PolicyName").GetString()!,
                policy.GetProperty("Arn").GetString()!,
                policy.GetProperty("Path").GetString()!,
                policy.GetProperty("DefaultVersionId").GetString()!,
                [.. policy.GetProperty("PolicyVersionList").EnumerateArray().Select(v => new ManagedPolicyVersion(
                    v.GetProperty("VersionId").GetString()!, v.GetProperty("IsDefaultVersion").GetBoolean(), DocumentText(v.GetProperty("Document"))))]));
        }
        return account;
    }

    private static string DocumentText(JsonElement document) =>
        document.ValueKind == JsonValueKind.String ? Uri.UnescapeDataString(document.GetString()!) : document.GetRawText();

    public InMemoryIamAccount Add(RoleDetail role)
    {
        Roles[role.RoleName] = role;
        return this;
    }

    public InMemoryIamAccount Add(ManagedPolicyDetail policy)
    {
        ManagedPolicies[policy.Arn] = policy;
        return this;
    }

    /// <summary>Makes <paramref name="operation"/> fail on resources containing <paramref name="resource"/>.</summary>
    public InMemoryIamAccount Fail(AwsOperation operation, string resource, string code, HttpStatusCode status)
    {
        lock (_faults)
        {
            _faults.Add((operation.Action, resource, code, status));
        }
        return this;
    }

    public int Count(AwsOperation operation) => Calls.Count(c => c.StartsWith(operation.Action + " ", StringComparison.Ordinal));

    /// <summary>The most calls that were in flight at once (calls yield once, so concurrent callers overlap).</summary>
    public int MaxInFlight => _maxInFlight;

    private int _inFlight;
    private int _maxInFlight;

    private async Task<T> Respond<T>(AwsOperation operation, string resource, Func<T> answer, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        try
        {
            int seen;
            while (now > (seen = _maxInFlight) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
            }
            Enter(operation.Action, resource);
            if (operation == AwsActions.GetRole && GetRoleGate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }
            await Task.Yield();
            return answer();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Respond(AwsActions.GetRole, roleName, () =>
        {
            var role = RoleNamed(roleName);
            return new IamRole(role.RoleName, role.Arn, role.Path, role.AssumeRolePolicyDocument, role.PermissionsBoundaryArn, role.Tags);
        }, cancellationToken);

    public Task<Page<string>> ListRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken)
    =>
        Respond(AwsActions.ListRolePolicies, roleName, () => Paged(RoleNamed(roleName).InlinePolicies!.Select(p => p.PolicyName).ToList(), marker), cancellationToken);

    public Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken)
    =>
        Respond(AwsActions.GetRolePolicy, $"{roleName}/{policyName}", () => RoleNamed(roleName).InlinePolicies!.FirstOrDefault(p => p.PolicyName == policyName)?.Document
            ?? throw Error("NoSuchEntity", HttpStatusCode.NotFound, $"The role policy with name {policyName} cannot be found."), cancellationToken);

    public Task<Page<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken)
    =>
        Respond(AwsActions.ListAttachedRolePolicies, roleName, () => Paged(RoleNamed(roleName).AttachedPolicies!.ToList(), marker), cancellationToken);

    public Task<ManagedPolicyInfo> GetPolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        Respond(AwsActions.GetPolicy, policyArn, () =>
        {
            var policy = PolicyWithArn(policyArn);
            return new ManagedPolicyInfo(policy.PolicyName, policy.Arn, policy.Path, policy.DefaultVersionId!);
        }, cancellationToken);

    public Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken)
    =>
        Respond(AwsActions.GetPolicyVersion, policyArn, () => PolicyWithArn(policyArn).Versions.FirstOrDefault(v => v.VersionId == versionId)?.Document
            ?? throw Error("NoSuchEntity", HttpStatusCode.NotFound, $"Policy {policyArn} version {versionId} does not exist."), cancellationToken);

    public Task<AuthorizationDetailsPage> GetAccountAuthorizationDetailsAsync(IReadOnlyList<string> filter, string? marker, CancellationToken cancellationToken)
        => Respond(AwsActions.GetAccountAuthorizationDetails, "account", () =>
    {
        var entities = (filter.Contains("Role") ? Roles.Values.Select(r => (object)r) : [])
            .Concat(ManagedPolicies.Values.Where(p => p.Arn.Contains(":iam::aws:policy/", StringComparison.Ordinal) ? filter.Contains("AWSManagedPolicy") : filter.Contains("LocalManagedPolicy")))
            .ToList();
        var page = Paged(entities, marker);
        return new AuthorizationDetailsPage([.. page.Items.OfType<RoleDetail>()], [.. page.Items.OfType<ManagedPolicyDetail>()], page.NextMarker);
    }, cancellationToken);

    private void Enter(string operation, string resource)
    {
        Calls.Enqueue($"{operation} {resource}");
        lock (_faults)
        {
            foreach (var fault in _faults)
            {
                if (fault.Operation == operation && resource.Contains(fault.Resource, StringComparison.Ordinal))
                {
                    throw Error(fault.Code, fault.Status, $"{fault.Code} injected for {operation} on {resource}");
                }
            }
        }
    }

    private RoleDetail RoleNamed(string roleName) =>
        Roles.TryGetValue(roleName, out var role) ? role : throw Error("NoSuchEntity", HttpStatusCode.NotFound, $"The role with name {roleName} cannot be found.");

    private ManagedPolicyDetail PolicyWithArn(string arn) =>
        ManagedPolicies.TryGetValue(arn, out var policy) ? policy : throw Error("NoSuchEntity", HttpStatusCode.NotFound, $"Policy {arn} does not exist or is not attachable.");

    private Page<T> Paged<T>(List<T> items, string? marker)
    {
        var start = marker is null ? 0 : int.Parse(marker, System.Globalization.CultureInfo.InvariantCulture);
        var end = Math.Min(items.Count, start + PageSize);
        return new Page<T>(items.GetRange(start, end - start), end < items.Count ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public static AmazonServiceException Error(string code, HttpStatusCode status, string message) =>
        new(message) { ErrorCode = code, StatusCode = status };
}
