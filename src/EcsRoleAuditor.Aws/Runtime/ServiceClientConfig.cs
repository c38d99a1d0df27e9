using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// Configuration shared by the auditor's IAM, ECS, SNS and DynamoDB clients: the SDK's <see cref="ClientConfig"/> (region,
/// ServiceURL, retry mode, max attempts, time to first byte) with the service id set, so <c>AWS_ENDPOINT_URL</c>,
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> and profile <c>endpoint_url</c> overrides apply, and the limit of one whole
/// request, which the SDK does not have.
/// </summary>
internal abstract class ServiceClientConfig : ClientConfig
{
    private static readonly ServiceEndpointResolver EndpointResolver = new();
    private const string ClientVersion = "1.0.0";
    private readonly string userAgent;
    private TimeSpan requestTimeout = Connection.RequestTimeouts.Request;

    private protected ServiceClientConfig(ServiceDescription service)
        : base(new DefaultConfigurationProvider(ServiceDefaultConfigurations.All))
    {
        Service = service;
        ServiceId = service.ServiceId;
        AuthenticationServiceName = service.SigningName;
        EndpointProvider = new ServiceEndpointProvider(service);
        userAgent = InternalSDKUtils.BuildUserAgentString(service.ServiceId, ClientVersion);
        // Set here, not in the defaults modes: the SDK turns a mode's time to first byte into a deadline for the
        // whole call, retries included, whenever the caller passes no cancellation token.
        Timeout = Connection.RequestTimeouts.TimeToFirstByte;
    }

    internal ServiceDescription Service { get; }

    /// <summary>
    /// The limit of one attempt, connection to last byte (default <see cref="Connection.RequestTimeouts.Request"/>);
    /// <see cref="ClientConfig.Timeout"/> is the limit to the response headers. Read when the client is created.
    /// </summary>
    public TimeSpan RequestTimeout
    {
        get => requestTimeout;
        set
        {
            Connection.RequestTimeouts.Validate(value);
            requestTimeout = value;
        }
    }

    /// <summary>The endpoint prefix (the SDK's key into its region table).</summary>
    public override string RegionEndpointServiceName => Service.EndpointPrefix;

    /// <summary>The API version.</summary>
    public override string ServiceVersion => Service.ApiVersion;

    /// <summary>The User-Agent the SDK sends.</summary>
    public override string UserAgent => userAgent;

    /// <summary>The endpoint a request would go to (the SDK calls this for presigning and diagnostics).</summary>
    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var requestContext = new RequestContext(false)
        {
            ClientConfig = this,
            OriginalRequest = parameters.Request,
            Request = new DefaultRequest(parameters.Request, Service.ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
        };
        return EndpointResolver.GetEndpoint(new Amazon.Runtime.Internal.ExecutionContext(requestContext, null));
    }
}
