using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Ecs;
using EcsRoleAuditor.Aws.Iam;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.Sts;

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
public sealed record MemberAccess(IEcsApi Ecs, IIamApi Iam);

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
/// per event. The function's own account is read with its own credentials.
/// </summary>
public sealed class MemberAccounts : IMemberAccounts, IDisposable
{
    private readonly AwsConnection connection;
    private readonly AmazonSecurityTokenServiceClient sts;
    private readonly string roleName;
    private readonly string? ownAccountId;
    private readonly string partition;
    private readonly ConcurrentDictionary<string, Lazy<Account>> accounts = new(StringComparer.Ordinal);
    private volatile string sessionName = AssumeRoleOptions.DefaultSessionName;

    internal MemberAccounts(AwsConnection connection, AmazonSecurityTokenServiceClient sts, string roleName, string? ownAccountId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        this.connection = connection;
        this.sts = sts;
        this.roleName = roleName;
        this.ownAccountId = ownAccountId;
        partition = AwsConnection.PartitionOf(connection.Region);
    }

    /// <summary>The reader role's ARN in <paramref name="accountId"/>.</summary>
    public string RoleArnIn(string accountId) => $"arn:{partition}:iam::{accountId}:role/{roleName}";

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
        if (account.Credentials is AssumedRoleCredentials assumed)
        {
            try
            {
                // Up front, so a role that cannot be assumed is one clear failure for the account, not one per call.
                await assumed.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonClientException e) when (!cancellationToken.IsCancellationRequested)
            {
                var reason = e.InnerException switch
                {
                    AmazonServiceException { ErrorCode: { Length: > 0 } code } => code,
                    AwsRequestTimeoutException => "STS did not answer in time",
                    _ => e.GetType().Name,
                };
                throw new AccountAccessException(accountId, assumed.RoleArn, reason, e);
            }
        }
        return new MemberAccess(account.Ecs(region), account.Iam);
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

        public AWSCredentials Credentials => credentials;

        public IamClient Iam { get; } = connection.NewIamClient(credentials);

        public EcsClient Ecs(string region) => ecs.GetOrAdd(region, r => connection.NewEcsClient(credentials, r));

        public void Dispose()
        {
            Iam.Dispose();
            foreach (var client in ecs.Values)
            {
                client.Dispose();
            }
            if (ownsCredentials)
            {
                (credentials as IDisposable)?.Dispose();
            }
        }
    }
}
