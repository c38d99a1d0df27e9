using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SecurityToken;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Sts;

/// <summary>The SDK's STS configuration with the limit of one whole request, which the SDK does not have.</summary>
internal sealed class BoundedStsConfig : AmazonSecurityTokenServiceConfig
{
    /// <summary>The limit of one attempt, connection to last byte; read when the client is created.</summary>
    public TimeSpan RequestTimeout { get; init; } = RequestTimeouts.Request;
}

/// <summary>The SDK's STS client with each attempt bounded as the auditor's own clients are (<see cref="AttemptTimeoutHandler"/>).</summary>
internal sealed class BoundedStsClient(AWSCredentials credentials, BoundedStsConfig config) : AmazonSecurityTokenServiceClient(credentials, config)
{
    /// <inheritdoc />
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        AttemptTimeoutHandler.AddTo(pipeline, ((BoundedStsConfig)Config).RequestTimeout);
    }
}
