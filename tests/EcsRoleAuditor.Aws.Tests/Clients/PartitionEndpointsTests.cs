using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>
/// Hosts and signing regions without any override. Organizations: "Region support for AWS Organizations" (AWS
/// Organizations User Guide: US East (N. Virginia), AWS GovCloud (US-West), China (Ningxia)) and "AWS Organizations
/// endpoints and quotas" (AWS General Reference: organizations.us-east-1.amazonaws.com from every commercial region);
/// China's host is the one its API reference names (--endpoint-url https://organizations.cn-northwest-1.amazonaws.com.cn).
/// SQS: "Making query API requests using AWS JSON protocol in Amazon SQS" (sqs.&lt;region&gt;.&lt;domain&gt;). The
/// signing region reaches the signer through the endpoint's authSchemes (EndpointOverrideTests, OrganizationsClientTests).
/// </summary>
public sealed class PartitionEndpointsTests
{
    public static TheoryData<string, string, string, string> Endpoints => new()
    {
        { "Organizations", "eu-west-1", "organizations.us-east-1.amazonaws.com", "us-east-1" },
        { "Organizations", "us-east-1", "organizations.us-east-1.amazonaws.com", "us-east-1" },
        { "Organizations", "cn-north-1", "organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1" },
        { "Organizations", "us-gov-east-1", "organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1" },
        { "IAM", "eu-west-1", "iam.amazonaws.com", "us-east-1" },
        { "IAM", "cn-northwest-1", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1" },
        { "IAM", "us-gov-east-1", "iam.us-gov.amazonaws.com", "us-gov-west-1" },
        { "SQS", "eu-west-1", "sqs.eu-west-1.amazonaws.com", "eu-west-1" },
        { "SQS", "cn-northwest-1", "sqs.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1" },
        { "SQS", "us-gov-west-1", "sqs.us-gov-west-1.amazonaws.com", "us-gov-west-1" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Each_service_has_its_host_and_signing_region_per_partition(string service, string region, string host, string signingRegion)
    {
        var description = service switch
        {
            "Organizations" => ServiceDescription.Organizations,
            "IAM" => ServiceDescription.Iam,
            _ => ServiceDescription.Sqs,
        };

        Assert.Equal((host, signingRegion), (PartitionEndpoints.HostFor(description, region), PartitionEndpoints.SigningRegionFor(description, region)));
    }
}
