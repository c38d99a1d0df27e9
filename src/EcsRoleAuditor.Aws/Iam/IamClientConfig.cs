using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Iam;

/// <summary>
/// IAM client configuration. IAM has one endpoint per partition (<c>iam.amazonaws.com</c>, signed for us-east-1), chosen
/// from <see cref="Amazon.Runtime.ClientConfig.RegionEndpoint"/>; <c>AWS_ENDPOINT_URL_IAM</c> overrides it.
/// </summary>
internal sealed class IamClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public IamClientConfig()
        : base(ServiceDescription.Iam)
    {
    }

    /// <summary>The <c>MaxItems</c> sent with list operations (IAM allows up to 1000; fewer pages means fewer calls).</summary>
    public int MaxItems { get; set; } = 1000;
}
