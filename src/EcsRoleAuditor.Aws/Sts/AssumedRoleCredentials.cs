using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.Util;
using Amazon.Util.Internal;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Sts;

/// <summary>
/// Credentials of a role assumed through STS AssumeRole (cross-account audits). Within <see cref="RenewBeforeExpiry"/>
/// of expiry the SDK renews the session in the background while calls keep using the still-valid one; an expired
/// session is renewed before the next call. The SDK counts a session as ending its ExpirationBuffer (a minute) before
/// STS's expiration, so renewal starts six minutes before it. The STS client signs with the source credentials it was built with. When STS
/// fails (after its own retries) the credentials throw an <see cref="AmazonClientException"/> naming the role, with STS's
/// error inside.
/// </summary>
internal sealed class AssumedRoleCredentials : RefreshingAWSCredentials
{
    /// <summary>How long before expiry a new session is requested in the background.</summary>
    public static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly IAmazonSecurityTokenService sts;
    private readonly AssumeRoleOptions options;
    private readonly ITimeProvider clock;
    private readonly Func<string>? sessionName;

    /// <summary>Credentials for <paramref name="options"/>'s role, obtained with <paramref name="sts"/>.</summary>
    public AssumedRoleCredentials(IAmazonSecurityTokenService sts, AssumeRoleOptions options)
        : this(sts, options, (ITimeProvider?)null)
    {
    }

    /// <summary>
    /// As above; each new session is named by <paramref name="sessionName"/> at the time it is requested (organization
    /// mode names it after the invocation that needed it, so CloudTrail in the member account leads to its log).
    /// </summary>
    public AssumedRoleCredentials(IAmazonSecurityTokenService sts, AssumeRoleOptions options, Func<string> sessionName)
        : this(sts, options, (ITimeProvider?)null) => this.sessionName = sessionName;

    /// <summary>As above, with the clock that decides when the session is due for renewal (tests move it).</summary>
    internal AssumedRoleCredentials(IAmazonSecurityTokenService sts, AssumeRoleOptions options, ITimeProvider? clock)
        : base(clock ?? SdkClock.Instance)
    {
        this.clock = clock ?? SdkClock.Instance;
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(options);
        this.sts = sts;
        this.options = options;
        PreemptExpiryTime = RenewBeforeExpiry;
    }

    /// <summary>The role being assumed.</summary>
    public string RoleArn => options.RoleArn;

    /// <summary>
    /// STS's error, wrapped as the SDK's own AssumeRoleAWSCredentials does: a client-side error to the call that needed the
    /// credentials, so that call's retry policy does not retry what the STS client has already retried (3 × 3 AssumeRole
    /// calls for one IAM call otherwise). The STS error is the inner exception.
    /// </summary>
    private AmazonClientException CouldNotAssume(AmazonServiceException error) =>
        CouldNotAssume($"{error.ErrorCode ?? error.GetType().Name}: {error.Message}", error);

    private AmazonClientException CouldNotAssume(string reason, Exception error) =>
        new($"Could not assume role {RoleArn} (sts:AssumeRole): {reason}", error);

    /// <inheritdoc />
    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    /// <inheritdoc />
    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var request = new AssumeRoleRequest
        {
            RoleArn = options.RoleArn,
            RoleSessionName = sessionName?.Invoke() ?? options.SessionName,
            ExternalId = options.ExternalId,
            DurationSeconds = (int)options.SessionDuration.TotalSeconds,
        };
        AssumeRoleResponse response;
        try
        {
            response = await sts.AssumeRoleAsync(request).ConfigureAwait(false);
        }
        catch (System.Xml.XmlException e)
        {
            // The SDK's STS unmarshaller lets a body that is not XML escape as a parser exception.
            throw CouldNotAssume(UnreadableResponse.For("STS", "AssumeRole", null, e));
        }
        catch (AmazonServiceException e)
        {
            throw CouldNotAssume(e);
        }
        catch (AwsRequestTimeoutException e)
        {
            // STS's attempts all timed out; as a client-side error the call that needed the credentials does not start them over.
            throw CouldNotAssume(e.Message, e);
        }


        var session = response.Credentials;
        var expiration = session.Expiration ?? DateTime.UtcNow.Add(options.SessionDuration);
        var credentials = new ImmutableCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        return new CredentialsRefreshState(credentials, expiration.ToUniversalTime(), clock);
    }
}

/// <summary>Which role to assume and how.</summary>
/// <param name="RoleArn">The role ARN.</param>
/// <param name="SessionName">The role session name (shows in CloudTrail).</param>
/// <param name="ExternalId">The external id the role's trust policy requires, or null.</param>
/// <param name="SessionDuration">The session length asked for (STS allows 15 minutes up to the role's maximum).</param>
internal sealed record AssumeRoleOptions(string RoleArn, string SessionName, string? ExternalId, TimeSpan SessionDuration)
{
    /// <summary>The session name used when none is given.</summary>
    public const string DefaultSessionName = "EcsRoleAuditor";

    /// <summary>One hour, STS's default.</summary>
    public static readonly TimeSpan DefaultSessionDuration = TimeSpan.FromHours(1);
}

/// <summary>The SDK's clock-skew-corrected UTC time.</summary>
internal sealed class SdkClock : ITimeProvider
{
    /// <summary>The shared instance.</summary>
    public static SdkClock Instance { get; } = new();

    /// <inheritdoc />
    public DateTime CorrectedUtcNow => AWSSDKUtils.CorrectedUtcNow;
}
