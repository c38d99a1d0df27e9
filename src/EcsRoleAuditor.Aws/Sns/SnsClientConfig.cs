using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Sns;

/// <summary>SNS client configuration: <c>https://sns.{region}.{dnsSuffix}</c>, or <c>AWS_ENDPOINT_URL_SNS</c>.</summary>
internal sealed class SnsClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public SnsClientConfig()
        : base(ServiceDescription.Sns)
    {
    }
}
