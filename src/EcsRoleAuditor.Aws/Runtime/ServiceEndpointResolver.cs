using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// The pipeline step that feeds <see cref="ServiceEndpointProvider"/>: region, FIPS, dual-stack and the configured
/// endpoint URL, taken from the client's configuration as the SDK's generated resolvers do.
/// </summary>
internal sealed class ServiceEndpointResolver : BaseEndpointResolver
{
    /// <inheritdoc />
    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        var config = requestContext.ClientConfig;
        var parameters = new EndpointParameters
        {
            ["Region"] = RegionOf(config, requestContext.Request.AlternateEndpoint?.SystemName),
            ["UseFIPS"] = config.UseFIPSEndpoint,
            ["UseDualStack"] = config.UseDualstackEndpoint,
            ["Endpoint"] = config.ServiceURL,
        };
        return parameters;
    }

    /// <summary>
    /// The client's region; with an explicit ServiceURL (which clears RegionEndpoint) the authentication region, else the
    /// region named in the URL.
    /// </summary>
    internal static string? RegionOf(IClientConfig config, string? alternate)
    {
        if (!string.IsNullOrEmpty(alternate))
        {
            return alternate;
        }

        if (config.RegionEndpoint is { } region)
        {
            return region.SystemName;
        }

        if (!string.IsNullOrEmpty(config.AuthenticationRegion))
        {
            return config.AuthenticationRegion;
        }

        return string.IsNullOrEmpty(config.ServiceURL) ? null : AWSSDKUtils.DetermineRegion(config.ServiceURL);
    }
}
