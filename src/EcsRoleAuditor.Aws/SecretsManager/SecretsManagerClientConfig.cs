using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.SecretsManager;

/// <summary>Secrets Manager client configuration: <c>https://secretsmanager.{region}.{dnsSuffix}</c>, or <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>.</summary>
internal sealed class SecretsManagerClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public SecretsManagerClientConfig()
        : base(ServiceDescription.SecretsManager)
    {
    }
}
