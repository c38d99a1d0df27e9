using System.CommandLine;
using EcsRoleAuditor.EventAudit.Configuration;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>audit --live</c> over several accounts: <c>--accounts</c> or <c>--organization</c>, the reader role to assume in
/// each (<c>--role-name</c>) and how many accounts and regions are audited at once (<c>--concurrency</c>).
/// </summary>
internal sealed class AccountsOptions
{
    /// <summary>The reader role member.yaml creates.</summary>
    public const string DefaultRoleName = "EcsRoleAuditorReader";

    /// <summary>Accounts × regions audited at once when <c>--concurrency</c> is not given.</summary>
    public const int DefaultConcurrency = 4;

    /// <summary>
    /// The most accounts × regions audited at once: each holds its own HTTP connections, and the caller's account
    /// answers every AssumeRole, whose rate STS limits per account.
    /// </summary>
    public const int MaxConcurrency = 16;

    private readonly Option<string[]> _accounts = new("--accounts")
    {
        Description = "Audit these accounts (12-digit ids, comma-separated and/or repeated), each through the role --role-name in it. "
            + "The caller's own account is assumed like the others, so it needs the role too.",
        HelpName = "ID,ID...",
    };
    private readonly Option<bool> _organization = new("--organization")
    {
        Description = "Audit every ACTIVE account of the organization (Organizations ListAccounts: run it from the management account or a delegated administrator), "
            + "each through the role --role-name in it, the caller's own account included.",
    };
    private readonly Option<string?> _roleName = new("--role-name")
    {
        Description = $"With --accounts or --organization: the role to assume in each account (default {DefaultRoleName}, the role member.yaml creates).",
        HelpName = "NAME",
    };
    private readonly Option<int?> _concurrency = new("--concurrency")
    {
        Description = $"With --accounts or --organization: how many accounts × regions are audited at once (default {DefaultConcurrency}, 1 to {MaxConcurrency}).",
        HelpName = "N",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _accounts, _organization, _roleName, _concurrency })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>True when any of these options was given.</summary>
    public bool AnyGiven(ParseResult result) =>
        result.GetValue(_accounts) is { Length: > 0 } || result.GetValue(_organization) || result.GetValue(_roleName) is not null || result.GetValue(_concurrency) is not null;

    /// <summary>
    /// The accounts asked for, or null for today's single account. Usage errors: <c>--accounts</c> with
    /// <c>--organization</c>, an id that is not 12 digits or given twice (named by its position: the value may be
    /// anything), a role name IAM would refuse, a concurrency out of bounds, <c>--role-name</c> or <c>--concurrency</c> alone.
    /// </summary>
    public AccountSelection? Selection(ParseResult result)
    {
        var items = (result.GetValue(_accounts) ?? []).SelectMany(value => value.Split(',')).ToList();
        var organization = result.GetValue(_organization);
        if (items.Count == 0 && !organization)
        {
            return result.GetValue(_roleName) is not null || result.GetValue(_concurrency) is not null
                ? throw new UsageException("--role-name and --concurrency go with --accounts or --organization")
                : null;
        }
        if (items.Count > 0 && organization)
        {
            throw new UsageException("give --accounts or --organization, not both");
        }
        var accounts = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i].Trim();
            if (!AwsNames.IsAccountId(item))
            {
                throw new UsageException($"--accounts: item {i + 1} is not a 12-digit account id");
            }
            if (accounts.Contains(item, StringComparer.Ordinal))
            {
                throw new UsageException($"--accounts: item {i + 1} repeats account {item}");
            }
            accounts.Add(item);
        }
        var roleName = result.GetValue(_roleName) ?? DefaultRoleName;
        if (!AwsNames.IsRoleName(roleName))
        {
            throw new UsageException("--role-name must be an IAM role name: 1 to 64 letters, digits and +=,.@_-");
        }
        var concurrency = result.GetValue(_concurrency) ?? DefaultConcurrency;
        if (concurrency is < 1 or > MaxConcurrency)
        {
            throw new UsageException($"--concurrency must be from 1 to {MaxConcurrency}, not {concurrency}");
        }
        return new AccountSelection(organization ? null : accounts, roleName, concurrency);
    }
}

/// <summary>Which accounts <c>audit --live</c> covers and how.</summary>
/// <param name="Accounts">The accounts named by <c>--accounts</c>; null for the organization's ACTIVE accounts.</param>
/// <param name="RoleName">The role assumed in each.</param>
/// <param name="Concurrency">Accounts × regions audited at once.</param>
internal sealed record AccountSelection(IReadOnlyList<string>? Accounts, string RoleName, int Concurrency);
