using Amazon;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>Where a service lives in a region's partition, and which region its requests are signed for.</summary>
internal static class PartitionEndpoints
{
    /// <summary>The host of <paramref name="service"/> for <paramref name="region"/>, without scheme.</summary>
    public static string HostFor(ServiceDescription service, string region)
    {
        var endpoint = RegionEndpoint.GetBySystemName(region);
        if (service.GlobalPerPartition)
        {
            // IAM has one endpoint per partition; only the commercial one omits the region from the host name.
            return endpoint.PartitionName switch
            {
                "aws-cn" => $"{service.EndpointPrefix}.cn-north-1.{endpoint.PartitionDnsSuffix}",
                "aws-us-gov" => $"{service.EndpointPrefix}.us-gov.{endpoint.PartitionDnsSuffix}",
                "aws" => $"{service.EndpointPrefix}.{endpoint.PartitionDnsSuffix}",
                _ => $"{service.EndpointPrefix}.{region}.{endpoint.PartitionDnsSuffix}",
            };
        }

        return $"{service.EndpointPrefix}.{region}.{endpoint.PartitionDnsSuffix}";
    }

    /// <summary>The region of the SigV4 credential scope for <paramref name="service"/> called from <paramref name="region"/>.</summary>
    public static string SigningRegionFor(ServiceDescription service, string region)
    {
        if (!service.GlobalPerPartition)
        {
            return region;
        }

        return RegionEndpoint.GetBySystemName(region).PartitionName switch
        {
            "aws-cn" => "cn-north-1",
            "aws-us-gov" => "us-gov-west-1",
            "aws" => "us-east-1",
            _ => region,
        };
    }
}
