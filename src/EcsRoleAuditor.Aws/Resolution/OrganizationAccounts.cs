using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>The accounts an organization-mode sweep covers when <c>ACCOUNTS</c> names none: the organization's active ones.</summary>
public static class OrganizationAccounts
{
    /// <summary>
    /// The most ListAccounts pages read (20 accounts a page: up to 20,000 accounts; pages
    /// can also come empty with a next token, and those count too). More is an error, not a silently partial sweep.
    /// </summary>
    public const int MaxPages = 1_000;

    /// <summary>
    /// The ids of the organization's ACTIVE accounts (<see cref="OrganizationAccount.IsActive"/>), all pages, each id
    /// once, in the order AWS listed them. AWS errors pass through; more than <paramref name="maxPages"/> pages, or a page
    /// token handed out twice, is an <see cref="Amazon.Runtime.AmazonClientException"/> naming
    /// <see cref="AwsActions.ListAccounts"/> (an AWS error to <see cref="AwsFailure"/>).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ListActiveIdsAsync(IOrganizationsApi organizations, CancellationToken cancellationToken, int maxPages = MaxPages)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in Pages.ReadAllAsync(AwsActions.ListAccounts, organizations.ListAccountsAsync, maxPages, cancellationToken).ConfigureAwait(false))
        {
            foreach (var account in page.Items)
            {
                if (account.IsActive && seen.Add(account.Id))
                {
                    ids.Add(account.Id);
                }
            }
        }
        return ids;
    }
}
