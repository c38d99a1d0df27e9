using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Sqs;

/// <summary>SQS client configuration: <c>https://sqs.{region}.{dnsSuffix}</c>, or <c>AWS_ENDPOINT_URL_SQS</c>.</summary>
internal sealed class SqsClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public SqsClientConfig()
        : base(ServiceDescription.Sqs)
    {
    }
}
