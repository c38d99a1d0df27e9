using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Ecs;

/// <summary>ECS client configuration: <c>https://ecs.{region}.{dnsSuffix}</c>, or <c>AWS_ENDPOINT_URL_ECS</c>.</summary>
internal sealed class EcsClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public EcsClientConfig()
        : base(ServiceDescription.Ecs)
    {
    }

    /// <summary>The <c>maxResults</c> sent with list operations (ECS allows up to 100).</summary>
    public int MaxResults { get; set; } = 100;
}
