using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Organizations;

/// <summary>
/// <see cref="IOrganizationsApi"/> over Organizations' awsJson1_1 API (AWSOrganizationsV20161128) on the SDK pipeline
/// shared with the other clients: the same operation table, retries (TooManyRequestsException is throttling), call
/// counting, bounded answers and error type.
/// </summary>
internal sealed class OrganizationsClient : JsonServiceClient, IOrganizationsApi
{
    /// <summary>
    /// The largest answer read: a page holds at most 20 accounts of a few hundred bytes each, so 1 MiB is ample, and an
    /// endpoint sending more is broken, not an organization to audit.
    /// </summary>
    public const long MaxResponseBytes = 1024 * 1024;

    private readonly int maxResults;

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public OrganizationsClient(AWSCredentials? credentials, OrganizationsClientConfig config)
        : base(credentials, config, AwsJsonProtocol.Organizations, MaxResponseBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        maxResults = config.MaxResults;
    }

    /// <inheritdoc />
    public Task<Page<OrganizationAccount>> ListAccountsAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var request = new ListAccountsBody(maxResults, string.IsNullOrEmpty(nextToken) ? null : nextToken);
        return CallAsync(AwsActions.ListAccounts, request, OrganizationsJsonContext.Default.ListAccountsBody, OrganizationsJsonContext.Default.ListAccountsResult,
            result => new Page<OrganizationAccount>([.. (result.Accounts ?? []).Select(Read)], string.IsNullOrEmpty(result.NextToken) ? null : result.NextToken),
            cancellationToken);
    }

    /// <summary>An account of the answer; one without a 12-digit id ("Account": <c>^\d{12}$</c>) cannot be audited or named, so the answer is unreadable.</summary>
    private static OrganizationAccount Read(AccountEntry? entry)
    {
        if (entry?.Id is not { Length: 12 } id || !id.All(char.IsAsciiDigit))
        {
            // The id itself is not quoted: an answer's text reaches messages only bounded, and this one is not.
            throw new JsonException("An account's Id is missing or not 12 digits.");
        }
        return new OrganizationAccount(id, entry.Arn, entry.Name, entry.Status, entry.State);
    }
}
