using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Dynamo;
using EcsRoleAuditor.Aws.Ecs;
using EcsRoleAuditor.Aws.Iam;
using EcsRoleAuditor.Aws.Organizations;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.SecretsManager;
using EcsRoleAuditor.Aws.SecurityHub;
using EcsRoleAuditor.Aws.Sns;
using EcsRoleAuditor.Aws.Sqs;
using EcsRoleAuditor.Aws.Ssm;
using EcsRoleAuditor.Aws.Sts;

namespace EcsRoleAuditor.Aws.Connection;

/// <summary>
/// The IAM, ECS, SNS, DynamoDB, Organizations, SQS and Security Hub clients for one region and one identity (and Secrets
/// Manager and SSM clients in whichever regions the secrets and parameters fix --live reads are), built from <see cref="AwsConnectionOptions"/>:
/// region and credentials resolved once (with clear errors when missing), a role assumed when asked, endpoint and
/// retry settings and request timeouts applied to every client. Dispose it to release the clients' HTTP resources.
/// </summary>
public sealed class AwsConnection : IDisposable
{
    private readonly IamClient iam;
    private readonly EcsClient ecs;
    private readonly SnsClient sns;
    private readonly Lazy<DynamoDbClient> dynamoDb;
    private readonly Lazy<OrganizationsClient> organizations;
    private readonly Lazy<SqsClient> sqs;
    private readonly Lazy<SecurityHubClient> securityHub;
    private readonly ConcurrentDictionary<string, Lazy<SecretsManagerClient>> secretsManager = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<SsmClient>> ssm = new(StringComparer.Ordinal);
    private readonly AmazonSecurityTokenServiceClient? sts;
    private readonly AwsConnectionOptions options;

    private AwsConnection(
        AwsConnectionOptions options, string region, AWSCredentials credentials, IamClient iam, EcsClient ecs, SnsClient sns,
        Lazy<DynamoDbClient> dynamoDb, Lazy<OrganizationsClient> organizations, Lazy<SqsClient> sqs, Lazy<SecurityHubClient> securityHub,
        AmazonSecurityTokenServiceClient? sts)
    {
        this.options = options;
        Region = region;
        Credentials = credentials;
        this.iam = iam;
        this.ecs = ecs;
        this.sns = sns;
        this.dynamoDb = dynamoDb;
        this.organizations = organizations;
        this.sqs = sqs;
        this.securityHub = securityHub;
        this.sts = sts;
    }

    /// <summary>The region the clients use (IAM still goes to its partition's global endpoint).</summary>
    public string Region { get; }

    /// <summary>The credentials every client signs with (the assumed role's when a role was given).</summary>
    internal AWSCredentials Credentials { get; }

    /// <summary>The IAM client.</summary>
    public IIamApi Iam => iam;

    /// <summary>The ECS client.</summary>
    public IEcsApi Ecs => ecs;

    /// <summary>The SNS client.</summary>
    public ISnsApi Sns => sns;

    /// <summary>
    /// The DynamoDB client (the findings store), created on first use: a function whose store is disabled never pays
    /// for it at cold start.
    /// </summary>
    public IDynamoDbApi DynamoDb => dynamoDb.Value;

    /// <summary>
    /// The Organizations client (organization mode's account list), created on first use like <see cref="DynamoDb"/>.
    /// It goes to the partition's global endpoint, signed for its region (us-east-1 in the commercial partition).
    /// </summary>
    public IOrganizationsApi Organizations => organizations.Value;

    /// <summary>The SQS client (organization mode's sweep queue), created on first use like <see cref="DynamoDb"/>.</summary>
    public ISqsApi Sqs => sqs.Value;

    /// <summary>The Security Hub client (the findings sink), created on first use like <see cref="DynamoDb"/>.</summary>
    public ISecurityHubApi SecurityHub => securityHub.Value;

    /// <summary>
    /// The Secrets Manager client for <paramref name="region"/> (a secret is read in its ARN's region, which may not be
    /// <see cref="Region"/>), created on first use and kept for the connection's life.
    /// </summary>
    internal ISecretsManagerApi SecretsManagerIn(string region) => SecretsManagerClientIn(region);

    /// <summary>The SSM client for <paramref name="region"/>, created on first use like <see cref="SecretsManagerIn"/>.</summary>
    internal ISsmApi SsmIn(string region) => SsmClientIn(region);

    private SecretsManagerClient SecretsManagerClientIn(string region) => ClientIn(secretsManager, region,
        r => new SecretsManagerClient(Credentials, ConfigureService(new SecretsManagerClientConfig(), options, r, options.EndpointUrls.SecretsManager)));

    private SsmClient SsmClientIn(string region) => ClientIn(ssm, region,
        r => new SsmClient(Credentials, ConfigureService(new SsmClientConfig(), options, r, options.EndpointUrls.Ssm)));

    /// <summary>The regions whose Secrets Manager and SSM clients exist yet (tests check one client per region).</summary>
    internal (IReadOnlyCollection<string> SecretsManager, IReadOnlyCollection<string> Ssm) RegionalClientsCreated =>
        ([.. secretsManager.Where(c => c.Value.IsValueCreated).Select(c => c.Key)], [.. ssm.Where(c => c.Value.IsValueCreated).Select(c => c.Key)]);

    private static T ClientIn<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(ConcurrentDictionary<string, Lazy<T>> clients, string region, Func<string, T> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        return clients.GetOrAdd(region, r => new Lazy<T>(() => create(r), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>The configurations of every client (the regional ones in <see cref="Region"/>), creating the lazy ones (tests check the settings applied).</summary>
    internal IReadOnlyList<IClientConfig> ClientConfigs =>
    [
        iam.Config, ecs.Config, sns.Config, dynamoDb.Value.Config, organizations.Value.Config, sqs.Value.Config, securityHub.Value.Config,
        SecretsManagerClientIn(Region).Config, SsmClientIn(Region).Config,
    ];

    /// <summary>Which of the clients created on first use exist yet (tests check single-account use creates none).</summary>
    internal (bool DynamoDb, bool Organizations, bool Sqs, bool SecurityHub) LazyClientsCreated =>
        (dynamoDb.IsValueCreated, organizations.IsValueCreated, sqs.IsValueCreated, securityHub.IsValueCreated);

    /// <summary>The STS client's configuration when a role is assumed (tests check its timeouts).</summary>
    internal IClientConfig? StsConfig => sts?.Config;

    /// <summary>Builds the clients. Throws <see cref="NoRegionException"/> or <see cref="NoCredentialsException"/> when those cannot be found.</summary>
    public static AwsConnection Open(AwsConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = FindProfile(options.Profile);
        var region = ResolveRegion(options, profile);
        var credentials = ResolveCredentials(options, profile);

        AmazonSecurityTokenServiceClient? sts = null;
        if (!string.IsNullOrEmpty(options.RoleArn))
        {
            var stsConfig = Configure(new BoundedStsConfig { RequestTimeout = RequestTimeoutOf(options) }, options, region, options.EndpointUrls.Sts, signingRegion: region);
            sts = new BoundedStsClient(credentials, stsConfig);
            credentials = new AssumedRoleCredentials(sts, new AssumeRoleOptions(
                options.RoleArn,
                options.RoleSessionName ?? AssumeRoleOptions.DefaultSessionName,
                options.ExternalId,
                options.RoleSessionDuration ?? AssumeRoleOptions.DefaultSessionDuration));
        }

        var iam = new IamClient(credentials, ConfigureService(new IamClientConfig(), options, region, options.EndpointUrls.Iam));
        var ecs = new EcsClient(credentials, ConfigureService(new EcsClientConfig(), options, region, options.EndpointUrls.Ecs));
        var sns = new SnsClient(credentials, ConfigureService(new SnsClientConfig(), options, region, options.EndpointUrls.Sns));
        var dynamoDb = new Lazy<DynamoDbClient>(
            () => new DynamoDbClient(credentials, ConfigureService(new DynamoDbClientConfig(), options, region, options.EndpointUrls.DynamoDb)),
            LazyThreadSafetyMode.ExecutionAndPublication);
        var organizations = new Lazy<OrganizationsClient>(
            () => new OrganizationsClient(credentials, ConfigureService(new OrganizationsClientConfig(), options, region, options.EndpointUrls.Organizations)),
            LazyThreadSafetyMode.ExecutionAndPublication);
        var sqs = new Lazy<SqsClient>(
            () => new SqsClient(credentials, ConfigureService(new SqsClientConfig(), options, region, options.EndpointUrls.Sqs)),
            LazyThreadSafetyMode.ExecutionAndPublication);
        var securityHub = new Lazy<SecurityHubClient>(
            () => new SecurityHubClient(credentials, ConfigureService(new SecurityHubClientConfig(), options, region, options.EndpointUrls.SecurityHub)),
            LazyThreadSafetyMode.ExecutionAndPublication);
        return new AwsConnection(options, region, credentials, iam, ecs, sns, dynamoDb, organizations, sqs, securityHub, sts);
    }

    /// <summary>
    /// The member accounts of an organization, each read with <paramref name="roleName"/> assumed there with this
    /// connection's credentials (<paramref name="ownAccountId"/> is read with them directly). Dispose it before this connection.
    /// </summary>
    /// <param name="roleName">The reader role's name (path <c>/</c>).</param>
    /// <param name="ownAccountId">This connection's account, read without assuming a role; null to assume in every account.</param>
    /// <param name="capacity">How many accounts' sessions and clients are kept (<see cref="MemberAccounts.Capacity"/>).</param>
    public MemberAccounts OpenMemberAccounts(string roleName, string? ownAccountId, int capacity = MemberAccounts.DefaultCapacity)
    {
        var stsConfig = Configure(new BoundedStsConfig { RequestTimeout = RequestTimeoutOf(options) }, options, Region, options.EndpointUrls.Sts, signingRegion: Region);
        return new MemberAccounts(this, new BoundedStsClient(Credentials, stsConfig), roleName, ownAccountId, capacity);
    }

    /// <summary>An IAM client signing with <paramref name="credentials"/>, configured as this connection's.</summary>
    internal IamClient NewIamClient(AWSCredentials credentials) =>
        new(credentials, ConfigureService(new IamClientConfig(), options, Region, options.EndpointUrls.Iam));

    /// <summary>An ECS client for <paramref name="region"/> signing with <paramref name="credentials"/>, configured as this connection's.</summary>
    internal EcsClient NewEcsClient(AWSCredentials credentials, string region) =>
        new(credentials, ConfigureService(new EcsClientConfig(), options, region, options.EndpointUrls.Ecs));

    /// <summary>A Security Hub client for <paramref name="region"/> signing with <paramref name="credentials"/>, configured as this connection's.</summary>
    internal SecurityHubClient NewSecurityHubClient(AWSCredentials credentials, string region) =>
        new(credentials, ConfigureService(new SecurityHubClientConfig(), options, region, options.EndpointUrls.SecurityHub));

    /// <summary>
    /// The partition of <paramref name="region"/> (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>, ...) from the SDK's
    /// endpoint data, which also knows regions newer than this code; a name no partition claims is taken as <c>aws</c>.
    /// </summary>
    public static string PartitionOf(string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        return RegionEndpoint.GetBySystemName(region).PartitionName is { Length: > 0 } partition ? partition : "aws";
    }

    /// <summary>
    /// Pays the first call's one-time costs that need no network (OpenSSL for SigV4, the XML reader) now. Safe to run on
    /// another thread concurrently with anything, calls included; a Lambda cold start runs it beside the rest of init.
    /// </summary>
    public static void WarmUp() => FirstCallWarmUp.Run();

    /// <inheritdoc />
    public void Dispose()
    {
        iam.Dispose();
        ecs.Dispose();
        sns.Dispose();
        if (dynamoDb.IsValueCreated)
        {
            dynamoDb.Value.Dispose();
        }
        if (organizations.IsValueCreated)
        {
            organizations.Value.Dispose();
        }
        if (sqs.IsValueCreated)
        {
            sqs.Value.Dispose();
        }
        if (securityHub.IsValueCreated)
        {
            securityHub.Value.Dispose();
        }
        foreach (var client in secretsManager.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
        foreach (var client in ssm.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
        sts?.Dispose();
        // Only the assumed-role credentials are this connection's own: credentials passed in, and the default chain's
        // (a process-wide cache shared by every connection), belong to others.
        if (sts is not null)
        {
            (Credentials as IDisposable)?.Dispose();
        }
    }

    private static CredentialProfile? FindProfile(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        return new CredentialProfileStoreChain().TryGetProfile(name, out var profile)
            ? profile
            : throw new NoCredentialsException($"no AWS credentials found: profile '{name}' is not in the shared config or credentials file");
    }

    private static string ResolveRegion(AwsConnectionOptions options, CredentialProfile? profile)
    {
        if (!string.IsNullOrWhiteSpace(options.Region))
        {
            return options.Region.Trim();
        }

        if (profile?.Region is { } profileRegion)
        {
            return profileRegion.SystemName;
        }

        // Environment and the default profile; instance metadata is left out so a laptop without a region fails fast.
        return FallbackRegionFactory.GetRegionEndpoint(includeInstanceMetadata: false)?.SystemName ?? throw new NoRegionException();
    }

    private static AWSCredentials ResolveCredentials(AwsConnectionOptions options, CredentialProfile? profile)
    {
        if (options.Credentials is { } explicitCredentials)
        {
            return explicitCredentials;
        }

        if (profile is not null)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile.Name, out var profileCredentials)
                ? profileCredentials
                : throw new NoCredentialsException($"no AWS credentials found: profile '{profile.Name}' has no usable credentials");
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(new IamClientConfig())
                ?? throw new NoCredentialsException();
        }
        catch (AmazonClientException e)
        {
            throw new NoCredentialsException(NoCredentialsException.DefaultMessage, e);
        }
    }

    private static T ConfigureService<T>(T config, AwsConnectionOptions options, string region, string? endpointUrl)
        where T : ServiceClientConfig
    {
        config.RequestTimeout = RequestTimeoutOf(options);
        return Configure(config, options, region, endpointUrl, PartitionEndpoints.SigningRegionFor(config.Service, region));
    }

    private static TimeSpan RequestTimeoutOf(AwsConnectionOptions options)
    {
        var timeout = options.RequestTimeout ?? RequestTimeouts.Request;
        RequestTimeouts.Validate(timeout);
        return timeout;
    }

    private static T Configure<T>(T config, AwsConnectionOptions options, string region, string? endpointUrl, string signingRegion)
        where T : ClientConfig
    {
        if (!string.IsNullOrEmpty(options.Profile))
        {
            config.Profile = new Profile(options.Profile);
        }

        config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        if (!string.IsNullOrEmpty(endpointUrl))
        {
            // ServiceURL replaces RegionEndpoint in the SDK; the signing region is kept through AuthenticationRegion.
            config.ServiceURL = endpointUrl;
            config.AuthenticationRegion = signingRegion;
        }

        // Set on every client, the SDK's STS included: its defaults leave it unset (HttpClient's 100 s).
        config.Timeout = RequestTimeouts.TimeToFirstByteWithin(RequestTimeoutOf(options));

        if (options.RetryMode is { } retryMode)
        {
            config.RetryMode = retryMode;
        }

        if (options.MaxAttempts is { } maxAttempts)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1, nameof(options));
            config.MaxErrorRetry = maxAttempts - 1;
        }

        return config;
    }
}
