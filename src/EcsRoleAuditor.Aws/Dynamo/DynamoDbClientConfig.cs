using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Dynamo;

/// <summary>DynamoDB client configuration: <c>https://dynamodb.{region}.{dnsSuffix}</c>, or <c>AWS_ENDPOINT_URL_DYNAMODB</c>.</summary>
internal sealed class DynamoDbClientConfig : ServiceClientConfig
{
    /// <summary>Creates the configuration (region from the environment or profile unless set).</summary>
    public DynamoDbClientConfig()
        : base(ServiceDescription.DynamoDb)
    {
    }
}
