using System.Text.RegularExpressions;

namespace EcsRoleAuditor.FakeAws;

/// <summary>
/// A member account as Organizations ListAccounts describes it. <see cref="Status"/> is the older field (ACTIVE,
/// SUSPENDED, PENDING_CLOSURE); <see cref="State"/> the newer one (PENDING_ACTIVATION, ACTIVE, SUSPENDED,
/// PENDING_CLOSURE, CLOSED), which defaults to the status.
/// </summary>
/// <param name="Id">The 12-digit account id.</param>
/// <param name="Name">The account name.</param>
/// <param name="Email">The account's email address.</param>
/// <param name="Status">ACTIVE, SUSPENDED or PENDING_CLOSURE.</param>
public sealed record FakeOrganizationAccount(string Id, string Name, string Email, string Status = "ACTIVE")
{
    /// <summary>The account state; defaults to <see cref="Status"/>.</summary>
    public string State { get; init; } = Status;

    /// <summary>INVITED or CREATED.</summary>
    public string JoinedMethod { get; init; } = "CREATED";

    /// <summary>When the account joined.</summary>
    public DateTimeOffset JoinedTimestamp { get; init; } = FakeIds.Epoch;
}

/// <summary>
/// The AWS Organizations organization the served accounts belong to: its id, management account, delegated
/// administrators and members. Without members added it lists every served account as ACTIVE. Configure before
/// <see cref="FakeAwsServer.StartAsync(IEnumerable{FakeAccount}, FakeOrganization?, CancellationToken)"/>.
/// </summary>
public sealed partial class FakeOrganization
{
    /// <summary>Creates an organization.</summary>
    /// <param name="id">The organization id, <c>o-</c> and 10 to 32 lowercase letters or digits.</param>
    /// <param name="managementAccountId">The management account's id.</param>
    public FakeOrganization(string id, string managementAccountId)
    {
        Id = IdPattern().IsMatch(id) ? id : throw new ArgumentException($"'{id}' is not an organization id (o- and 10 to 32 lowercase letters or digits)", nameof(id));
        ManagementAccountId = managementAccountId;
    }

    /// <summary>The organization id.</summary>
    public string Id { get; }

    /// <summary>The management account's id; its callers may list accounts.</summary>
    public string ManagementAccountId { get; }

    /// <summary>Delegated administrator account ids; their callers may list accounts too.</summary>
    public IList<string> DelegatedAdministratorIds { get; } = [];

    /// <summary>The member accounts in ListAccounts order; empty for every served account, ACTIVE.</summary>
    public IList<FakeOrganizationAccount> Accounts { get; } = [];

    /// <summary>
    /// Whether accounts carry the older <c>Status</c> field. AWS announced its retirement for 2026-09-09 in favour of
    /// <c>State</c>; set false to answer as Organizations does once it is gone.
    /// </summary>
    public bool ReportsStatus { get; set; } = true;

    /// <summary>Adds a member account.</summary>
    public FakeOrganizationAccount AddAccount(string id, string status = "ACTIVE", string? state = null)
    {
        var account = new FakeOrganizationAccount(id, $"account-{id}", $"aws+{id}@example.com", status) { State = state ?? status };
        Accounts.Add(account);
        return account;
    }

    /// <summary>A snapshot with the member list filled in from <paramref name="servedAccountIds"/> when none was added.</summary>
    internal ResolvedOrganization Resolve(IReadOnlyList<string> servedAccountIds) => new(
        Id,
        ManagementAccountId,
        [.. DelegatedAdministratorIds],
        Accounts.Count > 0 ? [.. Accounts] : [.. servedAccountIds.Select(a => new FakeOrganizationAccount(a, $"account-{a}", $"aws+{a}@example.com"))],
        ReportsStatus);

    [GeneratedRegex("^o-[a-z0-9]{10,32}$")]
    private static partial Regex IdPattern();
}

/// <summary>The organization as the server answers for it, read once at start.</summary>
internal sealed record ResolvedOrganization(
    string Id, string ManagementAccountId, IReadOnlyList<string> DelegatedAdministratorIds, IReadOnlyList<FakeOrganizationAccount> Accounts, bool ReportsStatus)
{
    public bool IsMember(string accountId) => Accounts.Any(a => a.Id == accountId);

    public bool MayListAccounts(string accountId) => accountId == ManagementAccountId || DelegatedAdministratorIds.Contains(accountId);
}
