namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// What the shared client plumbing needs to know about one AWS service: its SDK service id (which names the
/// <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c> override), endpoint prefix, signing name, API version and whether it has one global
/// endpoint per partition (IAM, Organizations; <see cref="PartitionEndpoints"/> has their hosts).
/// </summary>
/// <param name="ServiceId">The SDK service id, e.g. <c>IAM</c>, <c>ECS</c>, <c>SNS</c>.</param>
/// <param name="EndpointPrefix">The host prefix, e.g. <c>iam</c>, <c>ecs</c>, <c>sns</c>.</param>
/// <param name="SigningName">The SigV4 service name of the credential scope.</param>
/// <param name="ApiVersion">The API version (<c>Version</c> parameter of query APIs).</param>
/// <param name="GlobalPerPartition">True when the service has a single endpoint per partition, signed in one region.</param>
internal sealed record ServiceDescription(string ServiceId, string EndpointPrefix, string SigningName, string ApiVersion, bool GlobalPerPartition)
{
    /// <summary>AWS Identity and Access Management, awsQuery.</summary>
    public static ServiceDescription Iam { get; } = new("IAM", "iam", "iam", "2010-05-08", GlobalPerPartition: true);

    /// <summary>Amazon Elastic Container Service, awsJson1_1.</summary>
    public static ServiceDescription Ecs { get; } = new("ECS", "ecs", "ecs", "2014-11-13", GlobalPerPartition: false);

    /// <summary>Amazon DynamoDB, awsJson1_0.</summary>
    public static ServiceDescription DynamoDb { get; } = new("DynamoDB", "dynamodb", "dynamodb", "2012-08-10", GlobalPerPartition: false);

    /// <summary>Amazon Simple Notification Service, awsQuery.</summary>
    public static ServiceDescription Sns { get; } = new("SNS", "sns", "sns", "2010-03-31", GlobalPerPartition: false);

    /// <summary>AWS Organizations, awsJson1_1: one endpoint per partition (organization mode's account list).</summary>
    public static ServiceDescription Organizations { get; } = new("Organizations", "organizations", "organizations", "2016-11-28", GlobalPerPartition: true);

    /// <summary>Amazon Simple Queue Service, awsJson1_0 (organization mode's sweep queue).</summary>
    public static ServiceDescription Sqs { get; } = new("SQS", "sqs", "sqs", "2012-11-05", GlobalPerPartition: false);

    /// <summary>AWS Security Hub, restJson1 (the findings sink).</summary>
    public static ServiceDescription SecurityHub { get; } = new("SecurityHub", "securityhub", "securityhub", "2018-10-26", GlobalPerPartition: false);

    /// <summary>AWS Secrets Manager, awsJson1_1 (fix --live: which KMS key encrypts a secret). The SDK's service id is <c>Secrets Manager</c> (<c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>).</summary>
    public static ServiceDescription SecretsManager { get; } = new("Secrets Manager", "secretsmanager", "secretsmanager", "2017-10-17", GlobalPerPartition: false);

    /// <summary>AWS Systems Manager, awsJson1_1 (fix --live: which KMS key encrypts a SecureString parameter).</summary>
    public static ServiceDescription Ssm { get; } = new("SSM", "ssm", "ssm", "2014-11-06", GlobalPerPartition: false);
}
