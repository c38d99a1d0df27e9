using System.Collections.Concurrent;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>The account as the handlers look things up, built once when the server starts; also the credentials AssumeRole issued.</summary>
internal sealed class AccountIndex
{
    private readonly ConcurrentDictionary<string, Caller> _assumedByKey = new(StringComparer.Ordinal);
    private readonly Caller _defaultCaller;

    public AccountIndex(FakeAccount account)
    {
        AccountId = account.AccountId;
        Region = account.Region;
        _defaultCaller = new Caller(account.CallerArn, FakeIds.Make("AIDA", account.CallerArn));
        Roles = [.. account.Roles];
        RolesByName = Roles.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        Policies = [.. account.ManagedPolicies];
        PoliciesByArn = Policies.ToDictionary(p => p.Arn, StringComparer.Ordinal);
        TaskDefinitions = [.. account.TaskDefinitions.OrderBy(t => t.Family, StringComparer.Ordinal).ThenBy(t => t.Revision)];
        TaskDefinitionsByArn = TaskDefinitions.ToDictionary(t => t.Arn, StringComparer.Ordinal);
        Topics = account.Topics.ToHashSet(StringComparer.Ordinal);
    }

    public string AccountId { get; }

    public string Region { get; }

    public IReadOnlyList<FakeRole> Roles { get; }

    public IReadOnlyDictionary<string, FakeRole> RolesByName { get; }

    public IReadOnlyList<FakeManagedPolicy> Policies { get; }

    public IReadOnlyDictionary<string, FakeManagedPolicy> PoliciesByArn { get; }

    /// <summary>Sorted by family, then revision (ListTaskDefinitions' ASC order).</summary>
    public IReadOnlyList<FakeTaskDefinition> TaskDefinitions { get; }

    public IReadOnlyDictionary<string, FakeTaskDefinition> TaskDefinitionsByArn { get; }

    public IReadOnlySet<string> Topics { get; }

    /// <summary>Remembers credentials issued by AssumeRole so later calls signed with them act as the assumed role.</summary>
    public void Issued(string accessKeyId, Caller assumedRole) => _assumedByKey[accessKeyId] = assumedRole;

    /// <summary>Whoever signed with <paramref name="scope"/>: an assumed role for keys AssumeRole issued, else the account's caller.</summary>
    public Caller CallerOf(SigV4Scope? scope) =>
        scope is not null && _assumedByKey.TryGetValue(scope.AccessKeyId, out var caller) ? caller : _defaultCaller;
}

/// <summary>An identity as GetCallerIdentity describes it.</summary>
internal sealed record Caller(string Arn, string UserId)
{
    public string AccountId => Arn.Split(':')[4];
}
