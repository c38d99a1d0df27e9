using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Ecs;
using EcsRoleAuditor.Aws.Iam;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.Sts;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Aws.Connection;

/// <summary>Reads the accounts of an organization: the ECS and IAM APIs of one account and region at a time.</summary>
public interface IMemberAccounts
{
    /// <summary>
    /// The ECS API of <paramref name="accountId"/> in <paramref name="region"/> and its IAM API, read with the reader
    /// role assumed in that account. Throws <see cref="AccountAccessException"/> when the role cannot be assumed.
    /// </summary>
    /// <param name="accountId">The 12-digit account.</param>
    /// <param name="region">The region of its task definitions.</param>
    /// <param name="sessionName">The role session name if a new session is needed (CloudTrail in the member account shows it).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task<MemberAccess> OpenAsync(string accountId, string region, string sessionName, CancellationToken cancellationToken);
}

/// <summary>One member account's APIs in one region.</summary>
/// <param name="Ecs">ECS in the region.</param>
/// <param name="Iam">IAM (global).</param>
public sealed record MemberAccess(IEcsApi Ecs, IIamApi Iam)
{
    /// <summary>Security Hub of the account in the region, through the same role (its findings must be imported by the account itself); null where not offered.</summary>
    public ISecurityHubApi? SecurityHub { get; init; }
}

/// <summary>The reader role of a member account could not be assumed.</summary>
public sealed class AccountAccessException : Exception
{
    /// <summary>An exception for <paramref name="roleArn"/>, failed with <paramref name="reason"/> (an error code, never AWS's message).</summary>
    public AccountAccessException(string accountId, string roleArn, string reason, Exception? inner = null)
        : base($"could not assume {roleArn} ({reason})", inner)
    {
        AccountId = accountId;
        RoleArn = roleArn;
        Reason = reason;
    }

    /// <summary>The account.</summary>
    public string AccountId { get; }

    /// <summary>The role that could not be assumed.</summary>
    public string RoleArn { get; }

    /// <summary>STS's error code, or what else failed (a timeout).</summary>
    public string Reason { get; }
}

/// <summary>
/// <see cref="IMemberAccounts"/> over STS: each account's session is assumed once and kept (the SDK renews it in the
/// background six minutes before it expires, see <see cref="AssumedRoleCredentials"/>), with one IAM client per account
/// and one ECS client per account and region, so a warm function assumes a role about once an hour per account, not once
/// per event. The function's own account is read with its own credentials. At most <see cref="Capacity"/> accounts are
/// kept, the least recently opened one dropped first: one execution environment may meet every account of a large
/// organization over its life (an account kept costs about 20 KB of managed heap with three regions' clients,
/// docs/benchmarks.md).
/// </summary>
public sealed class MemberAccounts : IMemberAccounts, IDisposable
{
    private readonly AwsConnection connection;
    private readonly AmazonSecurityTokenServiceClient sts;
    private readonly string roleName;
    private readonly string? ownAccountId;
    private readonly string partition;
    private readonly ConcurrentDictionary<string, Lazy<Account>> accounts = new(StringComparer.Ordinal);
    private readonly Lock evicting = new();
    private long opened;
    private volatile string sessionName = AssumeRoleOptions.DefaultSessionName;

    /// <summary>The default of <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 1000;

    internal MemberAccounts(AwsConnection connection, AmazonSecurityTokenServiceClient sts, string roleName, string? ownAccountId, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        this.connection = connection;
        this.sts = sts;
        this.roleName = roleName;
        this.ownAccountId = ownAccountId;
        partition = AwsConnection.PartitionOf(connection.Region);
    }

    /// <summary>The most accounts whose sessions and clients are kept.</summary>
    public int Capacity { get; }

    /// <summary>The reader role's ARN in <paramref name="accountId"/>.</summary>
    public string RoleArnIn(string accountId) => Arn.Create(partition, "iam", "", accountId, "role/" + roleName).ToString();

    /// <inheritdoc />
    public async Task<MemberAccess> OpenAsync(string accountId, string region, string sessionName, CancellationToken cancellationToken)
    {
        // Both end up in an ARN and a host name: the callers validate them, this guards against a caller that did not.
        if (accountId is not { Length: 12 } || !accountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("not a 12-digit account id", nameof(accountId));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionName);
        this.sessionName = sessionName;
        var account = accounts.GetOrAdd(accountId, id => new Lazy<Account>(() => Create(id), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        account.LastOpened = Interlocked.Increment(ref opened);
        if (accounts.Count > Capacity)
        {
            Evict();
        }
        if (account.Credentials is AssumedRoleCredentials assumed)
        {
            try
            {
                // Up front, so a role that cannot be assumed is one clear failure for the account, not one per call.
                await assumed.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (AwsFailure.IsAwsError(e) && !cancellationToken.IsCancellationRequested)
            {
                // The SDK wraps STS's answer in an AmazonClientException, but an endpoint that cannot be reached at all
                // surfaces as the HttpRequestException itself: either way one account's failure, never the whole run's.
                var cause = e is AmazonClientException { InnerException: { } inner } ? inner : e;
                var reason = cause switch
                {
                    AmazonServiceException { ErrorCode: { Length: > 0 } code } => code,
                    AwsRequestTimeoutException => "STS did not answer in time",
                    HttpRequestException => "STS could not be reached",
                    _ => e.GetType().Name,
                };
                throw new AccountAccessException(accountId, assumed.RoleArn, reason, e);
            }
        }
        return new MemberAccess(account.Ecs(region), account.Iam) { SecurityHub = account.SecurityHub(region) };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var account in accounts.Values.Where(a => a.IsValueCreated))
        {
            account.Value.Dispose();
        }
        sts.Dispose();
    }

    // Drops the least recently opened accounts beyond the capacity. Their clients are not disposed: an audit running
    // concurrently (the CLI's) may still hold them; unreferenced, they and their connections go with the garbage collector.
    private void Evict()
    {
        lock (evicting)
        {
            var excess = accounts.Count - Capacity;
            if (excess <= 0)
            {
                return;
            }
            foreach (var (id, _) in accounts.Where(a => a.Value.IsValueCreated).OrderBy(a => a.Value.Value.LastOpened).Take(excess).ToList())
            {
                accounts.TryRemove(id, out _);
            }
        }
    }

    private Account Create(string accountId)
    {
        AWSCredentials credentials = accountId == ownAccountId
            ? connection.Credentials
            : new AssumedRoleCredentials(sts, new AssumeRoleOptions(RoleArnIn(accountId), AssumeRoleOptions.DefaultSessionName, null, AssumeRoleOptions.DefaultSessionDuration), () => sessionName);
        return new Account(connection, credentials, ownsCredentials: accountId != ownAccountId);
    }

    private sealed class Account(AwsConnection connection, AWSCredentials credentials, bool ownsCredentials) : IDisposable
    {
        private readonly ConcurrentDictionary<string, EcsClient> ecs = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Lazy<SecurityHub.SecurityHubClient>> securityHub = new(StringComparer.Ordinal);

        public AWSCredentials Credentials => credentials;

        /// <summary>When it was last opened (a sequence number; larger is later).</summary>
        public long LastOpened { get; set; }

        public IamClient Iam { get; } = connection.NewIamClient(credentials);

        public EcsClient Ecs(string region) => ecs.GetOrAdd(region, r => connection.NewEcsClient(credentials, r));

        // Created on first call: a function without SECURITY_HUB never builds one.
        public LazySecurityHub SecurityHub(string region) => new(securityHub.GetOrAdd(region,
            r => new Lazy<SecurityHub.SecurityHubClient>(() => connection.NewSecurityHubClient(credentials, r), LazyThreadSafetyMode.ExecutionAndPublication)));

        public void Dispose()
        {
            Iam.Dispose();
            foreach (var client in ecs.Values)
            {
                client.Dispose();
            }
            foreach (var client in securityHub.Values.Where(c => c.IsValueCreated))
            {
                client.Value.Dispose();
            }
            if (ownsCredentials)
            {
                (credentials as IDisposable)?.Dispose();
            }
        }
    }
}

/// <summary>A Security Hub client made on its first call.</summary>
internal sealed class LazySecurityHub(Lazy<SecurityHub.SecurityHubClient> client) : ISecurityHubApi
{
    public Task<SecurityHubImportResult> BatchImportFindingsAsync(IReadOnlyList<ReadOnlyMemory<byte>> findings, CancellationToken cancellationToken) =>
        client.Value.BatchImportFindingsAsync(findings, cancellationToken);

    public Task<SecurityHubUpdateResult> BatchUpdateFindingsAsync(SecurityHubFindingsUpdate update, CancellationToken cancellationToken) =>
        client.Value.BatchUpdateFindingsAsync(update, cancellationToken);

    public Task<SecurityHubFindingsPage> GetFindingsAsync(SecurityHubFindingsQuery query, string? nextToken, CancellationToken cancellationToken) =>
        client.Value.GetFindingsAsync(query, nextToken, cancellationToken);
}
