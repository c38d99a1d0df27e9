using System.Collections.Concurrent;
using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Accounts;

/// <summary>
/// <c>audit --live --accounts</c>/<c>--organization</c>: each account × region opened through the reader role there
/// (<see cref="MemberAudit"/>) and audited the way the single-account live audit is, a bounded number at once, the
/// outcomes put back in a stable order (account, region) whatever order they finished in.
/// </summary>
internal static class AccountsAudit
{
    /// <summary>The role session name CloudTrail shows in each audited account (STS: 2 to 64 of letters, digits and +=,.@_-).</summary>
    public const string SessionName = "ecs-role-auditor-cli";

    /// <summary>What a refusal of ListAccounts means, for the "audit incomplete" item that stands for the organization.</summary>
    private const string ListAccountsRemedy =
        "ListAccounts answers only the organization's management account and its delegated administrators: run --organization with their credentials, or name the accounts with --accounts, ";

    /// <summary>Audits <paramref name="accounts"/> (null: the organization's ACTIVE ones) in every region.</summary>
    /// <param name="organizations">Lists the organization's accounts when <paramref name="accounts"/> is null.</param>
    /// <param name="members">Opens each account through its reader role.</param>
    /// <param name="accounts">The accounts named, or null.</param>
    /// <param name="regions">The regions, each audited in every account.</param>
    /// <param name="concurrency">Accounts × regions audited at once.</param>
    /// <param name="audit">The single-account audit of one account × region's sources.</param>
    /// <param name="progress">Told of each account × region done, or null.</param>
    /// <param name="cancellationToken">Stops the run (Ctrl+C).</param>
    public static async Task<AccountsOutcome> RunAsync(
        Func<IOrganizationsApi> organizations, IMemberAccounts members, IReadOnlyList<string>? accounts, IReadOnlyList<string> regions, int concurrency,
        Func<AuditSources, CancellationToken, Task<AuditOutcome>> audit, AccountsProgress? progress, CancellationToken cancellationToken)
    {
        var calls = new ApiCallCounter();
        using var counting = ApiCallCounting.Begin(calls);
        UnfinishedAudit? unlisted = null;
        var notAccountIds = 0;
        if (accounts is null)
        {
            (accounts, notAccountIds, unlisted) = await MemberAudit.ListAccountsAsync(organizations(), ListAccountsRemedy, cancellationToken).ConfigureAwait(false);
        }
        var units = accounts.Order(StringComparer.Ordinal).SelectMany(account => regions.Order(StringComparer.Ordinal).Select(region => new AccountRegion(account, region))).ToList();
        progress?.Start(accounts.Count, regions.Count);
        var outcomes = new AuditOutcome[units.Count];
        var refusals = new ConcurrentDictionary<string, Lazy<Task<UnfinishedAudit?>>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(Enumerable.Range(0, units.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var unit = units[i];
                // The role is assumed once per account: its other regions wait for that and share a refusal rather than
                // ask STS again (a missing role in 500 accounts × 3 regions is 500 denied calls, not 1,500).
                var refused = await refusals.GetOrAdd(unit.AccountId, _ => new(() => RefusalAsync(members, unit, token))).Value.ConfigureAwait(false);
                outcomes[i] = refused is null
                    ? await AuditAsync(members, unit, audit, token).ConfigureAwait(false)
                    : new AuditOutcome([], [refused with { Reference = unit.ToString() }], new ApiCallCounter(), null);
                progress?.Done(unit, outcomes[i]);
            }).ConfigureAwait(false);
        progress?.Finish();
        return new AccountsOutcome(accounts.Count, [.. units.Zip(outcomes, (unit, outcome) => new AccountOutcome(unit, outcome))], unlisted, notAccountIds, calls);
    }

    // Why the account's reader role cannot be assumed, found by opening one of its regions; null when it can.
    private static async Task<UnfinishedAudit?> RefusalAsync(IMemberAccounts members, AccountRegion unit, CancellationToken cancellationToken) =>
        (await MemberAudit.OpenAsync(members, unit.AccountId, unit.Region, SessionName, cancellationToken).ConfigureAwait(false)).Unfinished;

    private static async Task<AuditOutcome> AuditAsync(IMemberAccounts members, AccountRegion unit, Func<AuditSources, CancellationToken, Task<AuditOutcome>> audit, CancellationToken cancellationToken)
    {
        var (sources, unreachable) = await MemberAudit.OpenAsync(members, unit.AccountId, unit.Region, SessionName, cancellationToken).ConfigureAwait(false);
        if (sources is null)
        {
            return new AuditOutcome([], [unreachable!], new ApiCallCounter(), null);
        }
        var outcome = await audit(sources, cancellationToken).ConfigureAwait(false);
        // A family or a listing does not name its account the way an ARN does: the item is told which it was.
        return new AuditOutcome(outcome.Reports, [.. outcome.Unfinished.Select(item => item with { Account = unit })], outcome.Calls, outcome.RolePlan)
        {
            FamiliesWithoutActive = outcome.FamiliesWithoutActive,
        };
    }
}

/// <summary>One account × region's outcome.</summary>
/// <param name="Account">The account and region.</param>
/// <param name="Outcome">Its audit, or the ERA005 item for a role that could not be assumed.</param>
internal sealed record AccountOutcome(AccountRegion Account, AuditOutcome Outcome);

/// <summary>What an audit of several accounts produced.</summary>
/// <param name="AccountCount">The accounts audited (named, or listed ACTIVE).</param>
/// <param name="Outcomes">Each account × region's, by account and then region.</param>
/// <param name="Unlisted">Why the organization's accounts could not be listed, or null.</param>
/// <param name="NotAccountIds">Ids ListAccounts returned that are not 12 digits (left out).</param>
/// <param name="Calls">Every AWS request of the run, AssumeRole and ListAccounts included.</param>
internal sealed record AccountsOutcome(int AccountCount, ImmutableArray<AccountOutcome> Outcomes, UnfinishedAudit? Unlisted, int NotAccountIds, ApiCallCounter Calls)
{
    /// <summary>Every report in order: the organization's listing if it failed, then by account, region, and as each run ordered them.</summary>
    public ImmutableArray<TaskDefinitionReport> AllReports =>
        [.. Unlisted is null ? [] : new[] { Unlisted.ToReport() }, .. Outcomes.SelectMany(o => o.Outcome.AllReports)];

    /// <summary>The accounts with an incomplete report in some region, in order.</summary>
    public IReadOnlyList<string> IncompleteAccounts =>
        [.. Outcomes.Where(o => o.Outcome.AllReports.Any(r => r.IsIncomplete)).Select(o => o.Account.AccountId).Distinct(StringComparer.Ordinal)];
}
