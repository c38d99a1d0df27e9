using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace EcsRoleAuditor.Aws.Sts;

/// <summary>
/// Credentials of a role assumed through STS AssumeRole (cross-account audits). The session is renewed
/// <see cref="RenewBeforeExpiry"/> before it expires, so long audits keep working; the STS client signs with the
/// source credentials it was built with.
/// </summary>
public sealed class AssumedRoleCredentials : RefreshingAWSCredentials
{
    /// <summary>How long before expiry a new session is requested.</summary>
    public static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly IAmazonSecurityTokenService sts;
    private readonly AssumeRoleOptions options;

    /// <summary>Credentials for <paramref name="options"/>'s role, obtained with <paramref name="sts"/>.</summary>
    public AssumedRoleCredentials(IAmazonSecurityTokenService sts, AssumeRoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(options);
        this.sts = sts;
        this.options = options;
        PreemptExpiryTime = RenewBeforeExpiry;
    }

    /// <summary>The role being assumed.</summary>
    public string RoleArn => options.RoleArn;

    /// <inheritdoc />
    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    /// <inheritdoc />
    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var request = new AssumeRoleRequest
        {
            RoleArn = options.RoleArn,
            RoleSessionName = options.SessionName,
            ExternalId = options.ExternalId,
            DurationSeconds = (int)options.SessionDuration.TotalSeconds,
        };
        var response = await sts.AssumeRoleAsync(request).ConfigureAwait(false);
        var session = response.Credentials;
        var expiration = session.Expiration ?? DateTime.UtcNow.Add(options.SessionDuration);
        return new CredentialsRefreshState(new ImmutableCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), expiration.ToUniversalTime());
    }
}

/// <summary>Which role to assume and how.</summary>
/// <param name="RoleArn">The role ARN.</param>
/// <param name="SessionName">The role session name (shows in CloudTrail).</param>
/// <param name="ExternalId">The external id the role's trust policy requires, or null.</param>
/// <param name="SessionDuration">The session length asked for (STS allows 15 minutes up to the role's maximum).</param>
public sealed record AssumeRoleOptions(string RoleArn, string SessionName, string? ExternalId, TimeSpan SessionDuration)
{
    /// <summary>The session name used when none is given.</summary>
    public const string DefaultSessionName = "EcsRoleAuditor";

    /// <summary>One hour, STS's default.</summary>
    public static readonly TimeSpan DefaultSessionDuration = TimeSpan.FromHours(1);
}
