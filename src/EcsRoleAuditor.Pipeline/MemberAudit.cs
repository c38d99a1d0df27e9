using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Pipeline;

/// <summary>
/// Opening one account and region of an organization for an audit (the function's organization mode and the CLI's
/// <c>--accounts</c>/<c>--organization</c>): its sources, read with the reader role assumed there, or the "audit
/// incomplete" item that stands for it when the role cannot be assumed.
/// </summary>
public static class MemberAudit
{
    /// <summary>How an account and region is named where a whole account stands for a step: <c>account 111122223333 in eu-west-1</c>.</summary>
    public static string Name(string accountId, string region) => $"account {accountId} in {region}";

    /// <summary>The sources of <paramref name="accountId"/> in <paramref name="region"/>, or why there are none.</summary>
    /// <param name="members">The organization's accounts.</param>
    /// <param name="accountId">The 12-digit account.</param>
    /// <param name="region">The region.</param>
    /// <param name="sessionName">The role session name if a session must be started.</param>
    /// <param name="deadline">When to stop waiting for STS.</param>
    public static async Task<(AuditSources? Sources, UnfinishedAudit? Unfinished)> OpenAsync(IMemberAccounts members, string accountId, string region, string sessionName, CancellationToken deadline)
    {
        var (sources, _, unfinished) = await OpenAccessAsync(members, accountId, region, sessionName, deadline).ConfigureAwait(false);
        return (sources, unfinished);
    }

    /// <summary>As <see cref="OpenAsync"/>, with the account's access itself (its Security Hub, for the findings it must import).</summary>
    public static async Task<(AuditSources? Sources, MemberAccess? Access, UnfinishedAudit? Unfinished)> OpenAccessAsync(
        IMemberAccounts members, string accountId, string region, string sessionName, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(members);
        try
        {
            var access = await members.OpenAsync(accountId, region, sessionName, deadline).ConfigureAwait(false);
            return (new AuditSources(access.Ecs, access.Iam, new IamRoleDirectoryOptions(AccountId: accountId)), access, null);
        }
        catch (AccountAccessException e)
        {
            return (null, null, new UnfinishedAudit(Name(accountId, region), $"the reader role {e.RoleArn} could not be assumed ({e.Reason})", IsStep: true,
                Remedy: $"Deploy member.yaml in account {accountId} (it creates the reader role), or check that the role's trust policy admits the auditor's role, ")
            {
                Account = new AccountRegion(accountId, region),
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (null, null, new UnfinishedAudit(Name(accountId, region), "the deadline came before the reader role was assumed", IsStep: true) { Account = new AccountRegion(accountId, region) });
        }
    }

    /// <summary>
    /// The organization's ACTIVE accounts (<see cref="OrganizationAccounts.ListActiveIdsAsync"/>) with the ids that are
    /// not 12 digits left out and counted (they would become role ARNs), or, when ListAccounts fails, the "audit
    /// incomplete" item that stands for every account: an account left out must not look clean.
    /// </summary>
    /// <param name="organizations">The Organizations API of the management or a delegated administrator account.</param>
    /// <param name="remedy">What the caller can do about a refusal (ListAccounts answers only those two kinds of account), ending in ", ".</param>
    /// <param name="deadline">When to stop waiting.</param>
    public static async Task<(IReadOnlyList<string> Accounts, int NotAccountIds, UnfinishedAudit? Unfinished)> ListAccountsAsync(
        IOrganizationsApi organizations, string remedy, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        try
        {
            var listed = await OrganizationAccounts.ListActiveIdsAsync(organizations, deadline).ConfigureAwait(false);
            List<string> accounts = [.. listed.Where(id => id is { Length: 12 } && id.All(char.IsAsciiDigit))];
            return (accounts, listed.Count - accounts.Count, null);
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e) || e is OperationCanceledException && deadline.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException { InnerException: not TimeoutException } ? "the deadline came before it answered"
                : AwsFailure.From(e, AwsActions.ListAccounts, "the organization").ErrorCode;
            return ([], 0, new UnfinishedAudit("the organization's accounts", $"{AwsActions.ListAccounts.Action} failed ({reason}), so no account was audited", IsStep: true, Remedy: remedy));
        }
    }
}
