using System.Collections.Concurrent;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// The served accounts as the handlers look things up, built once when the server starts; also the credentials
/// AssumeRole issued. A request addresses the account of its caller (an assumed role's account, else the primary's),
/// IAM state is per account, ECS state per account and region.
/// </summary>
internal sealed class AccountIndex
{
    private readonly ConcurrentDictionary<string, Caller> _assumedByKey = new(StringComparer.Ordinal);
    private readonly Caller _defaultCaller;
    private readonly Dictionary<string, IamAccount> _iam;
    private readonly Dictionary<(string Account, string Region), EcsRegion> _ecs;

    /// <param name="accounts">The served accounts; the first is the primary one.</param>
    /// <param name="organization">The organization, or null when the accounts are in none.</param>
    public AccountIndex(IReadOnlyList<FakeAccount> accounts, FakeOrganization? organization)
    {
        if (accounts.Count == 0)
        {
            throw new ArgumentException("serve at least one account", nameof(accounts));
        }
        var primary = accounts[0];
        AccountId = primary.AccountId;
        Region = primary.Region;
        _defaultCaller = Caller.Of(primary.CallerArn);
        _iam = accounts.GroupBy(a => a.AccountId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new IamAccount(g.Key, [.. g]), StringComparer.Ordinal);
        _ecs = [];
        foreach (var account in accounts)
        {
            if (!_ecs.TryAdd((account.AccountId, account.Region), new EcsRegion(account.TaskDefinitions)))
            {
                throw new ArgumentException($"account {account.AccountId} is served twice in {account.Region}; put its resources in one FakeAccount", nameof(accounts));
            }
        }
        // One FakeAccount is the single-account fake of old: its task definitions answer whatever region a client signs for.
        RegionAgnostic = accounts.Count == 1;
        Topics = accounts.SelectMany(a => a.Topics).ToHashSet(StringComparer.Ordinal);
        Queues = accounts.SelectMany(a => a.Queues).ToHashSet(StringComparer.Ordinal);
        Secrets = [.. accounts.SelectMany(a => a.Secrets)];
        Parameters = [.. accounts.SelectMany(a => a.Parameters).OrderBy(p => p.Name, StringComparer.Ordinal)];
        Organization = organization?.Resolve([.. _iam.Keys.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The primary account's id.</summary>
    public string AccountId { get; }

    /// <summary>The primary account's region.</summary>
    public string Region { get; }

    /// <summary>True when one FakeAccount is served: ECS then ignores the signing region.</summary>
    public bool RegionAgnostic { get; }

    /// <summary>Every served SNS topic ARN (topic ARNs name their account, so one set serves every caller).</summary>
    public IReadOnlySet<string> Topics { get; }

    /// <summary>Every served SQS queue URL (URLs name their account, so one set serves every caller).</summary>
    public IReadOnlySet<string> Queues { get; }

    /// <summary>Every served secret (ARNs name their account and region).</summary>
    public IReadOnlyList<FakeSecret> Secrets { get; }

    /// <summary>Every served parameter, by name.</summary>
    public IReadOnlyList<FakeParameter> Parameters { get; }

    /// <summary>The region a request of <paramref name="scope"/> addresses.</summary>
    public string RegionOf(SigV4Scope? scope) => scope?.Region ?? Region;

    /// <summary>The organization with its account list resolved, or null.</summary>
    public ResolvedOrganization? Organization { get; }

    /// <summary>The IAM state of a served account, or null for accounts the server does not serve.</summary>
    public IamAccount? Served(string accountId) => _iam.GetValueOrDefault(accountId);

    /// <summary>The IAM state the caller of <paramref name="scope"/> sees: its own account's (empty when not served).</summary>
    public IamAccount IamOf(SigV4Scope? scope)
    {
        var accountId = CallerOf(scope).AccountId;
        return Served(accountId) ?? new IamAccount(accountId, []);
    }

    /// <summary>The task definitions the caller of <paramref name="scope"/> sees in the scope's region (none in regions not served).</summary>
    public EcsRegion EcsOf(SigV4Scope? scope)
    {
        if (RegionAgnostic)
        {
            return _ecs.Values.Single();
        }
        var accountId = CallerOf(scope).AccountId;
        return _ecs.GetValueOrDefault((accountId, scope?.Region ?? Region)) ?? EcsRegion.Empty;
    }

    /// <summary>Remembers credentials issued by AssumeRole so later calls signed with them act as the assumed role.</summary>
    public void Issued(string accessKeyId, Caller assumedRole) => _assumedByKey[accessKeyId] = assumedRole;

    /// <summary>Whoever signed with <paramref name="scope"/>: an assumed role for keys AssumeRole issued, else the primary account's caller.</summary>
    public Caller CallerOf(SigV4Scope? scope) =>
        scope is not null && _assumedByKey.TryGetValue(scope.AccessKeyId, out var caller) ? caller : _defaultCaller;
}

/// <summary>The IAM state of one account: the roles and managed policies of its FakeAccounts together.</summary>
internal sealed class IamAccount
{
    public IamAccount(string accountId, IReadOnlyList<FakeAccount> parts)
    {
        AccountId = accountId;
        Roles = [.. parts.SelectMany(p => p.Roles)];
        var byName = new Dictionary<string, FakeRole>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in Roles)
        {
            // IAM role names are unique per account, case-insensitively; two regions' files naming one role twice is a setup error.
            if (!byName.TryAdd(role.Name, role))
            {
                throw new ArgumentException($"account {accountId} has the role name {role.Name} twice ({byName[role.Name].Arn}, {role.Arn})");
            }
        }
        RolesByName = byName;
        // AWS managed policies recur in every file exported from the account: one copy each.
        Policies = [.. parts.SelectMany(p => p.ManagedPolicies).DistinctBy(p => p.Arn, StringComparer.Ordinal)];
        PoliciesByArn = Policies.ToDictionary(p => p.Arn, StringComparer.Ordinal);
    }

    public string AccountId { get; }

    public IReadOnlyList<FakeRole> Roles { get; }

    public IReadOnlyDictionary<string, FakeRole> RolesByName { get; }

    public IReadOnlyList<FakeManagedPolicy> Policies { get; }

    public IReadOnlyDictionary<string, FakeManagedPolicy> PoliciesByArn { get; }
}

/// <summary>The ECS state of one account in one region: its task definitions.</summary>
internal sealed class EcsRegion
{
    public static readonly EcsRegion Empty = new([]);

    public EcsRegion(IEnumerable<FakeTaskDefinition> taskDefinitions)
    {
        TaskDefinitions = [.. taskDefinitions.OrderBy(t => t.Family, StringComparer.Ordinal).ThenBy(t => t.Revision)];
        TaskDefinitionsByArn = TaskDefinitions.ToDictionary(t => t.Arn, StringComparer.Ordinal);
    }

    /// <summary>Sorted by family, then revision (ListTaskDefinitions' ASC order).</summary>
    public IReadOnlyList<FakeTaskDefinition> TaskDefinitions { get; }

    public IReadOnlyDictionary<string, FakeTaskDefinition> TaskDefinitionsByArn { get; }
}

/// <summary>An identity as GetCallerIdentity describes it; <paramref name="RoleArn"/> is the role behind an assumed-role session.</summary>
internal sealed record Caller(string Arn, string UserId, string? RoleArn = null)
{
    public string AccountId => Arn.Split(':')[4];

    public static Caller Of(string userArn) => new(userArn, FakeIds.Make("AIDA", userArn));
}
