using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// Resolves a service's endpoint: the configured endpoint URL when there is one (ServiceURL, <c>AWS_ENDPOINT_URL*</c>,
/// profile <c>endpoint_url</c>), else the partition's <c>https://{prefix}.{region}.{dnsSuffix}</c>. The signing name and
/// region travel in the endpoint's <c>authSchemes</c> attribute, so IAM is signed for its partition's global region
/// even when it is reached through an override.
/// </summary>
internal sealed class ServiceEndpointProvider(ServiceDescription service) : IEndpointProvider
{
    /// <summary>The endpoint for the parameters mapped by <see cref="ServiceEndpointResolver"/>.</summary>
    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var region = parameters["Region"] as string;
        var configured = parameters["Endpoint"] as string;
        if (string.IsNullOrEmpty(region))
        {
            throw new AmazonClientException($"No region is set for {service.ServiceId}: pass a region or set AWS_REGION.");
        }

        var url = string.IsNullOrEmpty(configured) ? "https://" + PartitionEndpoints.HostFor(service, region) : configured;
        return new Endpoint(url, AuthSchemesJson(PartitionEndpoints.SigningRegionFor(service, region)), null);
    }

    private string AuthSchemesJson(string signingRegion)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("authSchemes");
            writer.WriteStartObject();
            writer.WriteString("name", "sigv4");
            writer.WriteString("signingName", service.SigningName);
            writer.WriteString("signingRegion", signingRegion);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
