using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Organizations;

/// <summary>
/// Organizations client configuration. Organizations has one endpoint per partition
/// (<c>organizations.us-east-1.amazonaws.com</c>, signed for us-east-1; see <see cref="PartitionEndpoints"/>), chosen
/// from <see cref="Amazon.Runtime.ClientConfig.RegionEndpoint"/>; <c>AWS_ENDPOINT_URL_ORGANIZATIONS</c> overrides it.
/// </summary>
internal sealed class OrganizationsClientConfig : ServiceClientConfig
{
    /// <summary>The largest <c>MaxResults</c> ListAccounts accepts ("ListAccounts", AWS Organizations API Reference: 1 to 20).</summary>
    public const int MaximumResults = 20;

    private int maxResults = MaximumResults;

    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public OrganizationsClientConfig()
        : base(ServiceDescription.Organizations)
    {
    }

    /// <summary>The <c>MaxResults</c> sent with ListAccounts, 1 to <see cref="MaximumResults"/> (the default: fewer pages, fewer calls).</summary>
    public int MaxResults
    {
        get => maxResults;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaximumResults);
            maxResults = value;
        }
    }
}
