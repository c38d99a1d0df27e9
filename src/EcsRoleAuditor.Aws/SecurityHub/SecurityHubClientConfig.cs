using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.SecurityHub;

/// <summary>Security Hub client configuration: <c>https://securityhub.{region}.{dnsSuffix}</c>, or <c>AWS_ENDPOINT_URL_SECURITYHUB</c>.</summary>
internal sealed class SecurityHubClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public SecurityHubClientConfig()
        : base(ServiceDescription.SecurityHub)
    {
    }
}
