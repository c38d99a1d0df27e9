using EcsRoleAuditor.Aws.Connection;

namespace EcsRoleAuditor.Aws.Tests.Clients;

public sealed class PartitionOfTests
{
    // China (Beijing, Ningxia) is aws-cn: https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html; GovCloud (US-West,
    // US-East) is aws-us-gov: https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html; the
    // commercial regions are aws: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html.
    [Theory]
    [InlineData("eu-west-1", "aws")]
    [InlineData("us-east-1", "aws")]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("cn-northwest-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("us-gov-east-1", "aws-us-gov")]
    public void Each_region_belongs_to_its_partition(string region, string partition)
    {
        Assert.Equal(partition, AwsConnection.PartitionOf(region));
    }

    [Fact]
    public void A_name_no_partition_claims_is_taken_as_the_standard_partition()
    {
        Assert.Equal("aws", AwsConnection.PartitionOf("moon-base-1"));
    }
}
