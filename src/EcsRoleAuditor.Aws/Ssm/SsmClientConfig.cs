using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Ssm;

/// <summary>SSM client configuration: <c>https://ssm.{region}.{dnsSuffix}</c>, or <c>AWS_ENDPOINT_URL_SSM</c>.</summary>
internal sealed class SsmClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public SsmClientConfig()
        : base(ServiceDescription.Ssm)
    {
    }
}
