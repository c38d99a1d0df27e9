using Amazon;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>Where a service lives in a region's partition, and which region its requests are signed for.</summary>
internal static class PartitionEndpoints
{
    /// <summary>The host of <paramref name="service"/> for <paramref name="region"/>, without scheme.</summary>
    public static string HostFor(ServiceDescription service, string region)
    {
        var endpoint = RegionEndpoint.GetBySystemName(region);
        return GlobalEndpointOf(service, endpoint.PartitionName, endpoint.PartitionDnsSuffix)?.Host
            ?? $"{service.EndpointPrefix}.{region}.{endpoint.PartitionDnsSuffix}";
    }

    /// <summary>The region of the SigV4 credential scope for <paramref name="service"/> called from <paramref name="region"/>.</summary>
    public static string SigningRegionFor(ServiceDescription service, string region)
    {
        if (!service.GlobalPerPartition)
        {
            return region;
        }

        var endpoint = RegionEndpoint.GetBySystemName(region);
        return GlobalEndpointOf(service, endpoint.PartitionName, endpoint.PartitionDnsSuffix)?.SigningRegion ?? region;
    }

    /// <summary>
    /// The single endpoint of a global service in a partition, or null (a regional service, or a partition whose global
    /// endpoint we do not know: the regional form is tried there).
    /// </summary>
    private static (string Host, string SigningRegion)? GlobalEndpointOf(ServiceDescription service, string partition, string dnsSuffix)
    {
        if (!service.GlobalPerPartition)
        {
            return null;
        }

        var prefix = service.EndpointPrefix;
        return (service.ServiceId, partition) switch
        {
            // IAM: only the commercial host omits the region.
            ("IAM", "aws") => ($"{prefix}.{dnsSuffix}", "us-east-1"),
            ("IAM", "aws-us-gov") => ($"{prefix}.us-gov.{dnsSuffix}", "us-gov-west-1"),
            ("IAM", "aws-cn") => ($"{prefix}.cn-north-1.{dnsSuffix}", "cn-north-1"),
            // Organizations: "In US East (N. Virginia) for commercial organizations, in AWS GovCloud (US-West) for AWS
            // GovCloud (US) organizations, in China (Ningxia) for China organizations" (AWS Organizations User Guide,
            // "Region support for AWS Organizations"; hosts from "AWS Organizations endpoints and quotas").
            ("Organizations", "aws") => ($"{prefix}.us-east-1.{dnsSuffix}", "us-east-1"),
            ("Organizations", "aws-us-gov") => ($"{prefix}.us-gov-west-1.{dnsSuffix}", "us-gov-west-1"),
            ("Organizations", "aws-cn") => ($"{prefix}.cn-northwest-1.{dnsSuffix}", "cn-northwest-1"),
            _ => null,
        };
    }
}
