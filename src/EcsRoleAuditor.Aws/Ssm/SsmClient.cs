using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Ssm;

/// <summary>
/// <see cref="ISsmApi"/> over Systems Manager's awsJson1_1 API (target prefix <c>AmazonSSM</c>) on the SDK pipeline
/// shared with the other clients: the same operation table, retries, call counting, bounded answers and error type.
/// </summary>
internal sealed class SsmClient : JsonServiceClient, ISsmApi
{
    /// <summary>The largest answer read: a page holds at most 50 parameters' metadata (policies included, each a few KB); 4 MiB is ample.</summary>
    public const long MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public SsmClient(AWSCredentials? credentials, SsmClientConfig config)
        : base(credentials, config, AwsJsonProtocol.Ssm, MaxResponseBytes)
    {
    }

    /// <inheritdoc />
    public Task<Page<ParameterDescription>> DescribeParametersAsync(IReadOnlyList<string> names, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfLessThan(names.Count, 1, nameof(names));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(names.Count, ISsmApi.MaxNames, nameof(names));
        var request = new DescribeParametersBody([new ParameterStringFilter("Name", "Equals", names)], ISsmApi.MaxNames, string.IsNullOrEmpty(nextToken) ? null : nextToken);
        return CallAsync(AwsActions.DescribeParameters, request, SsmJsonContext.Default.DescribeParametersBody, SsmJsonContext.Default.DescribeParametersResult,
            result => new Page<ParameterDescription>([.. (result.Parameters ?? []).Select(Read)], string.IsNullOrEmpty(result.NextToken) ? null : result.NextToken),
            cancellationToken);
    }

    /// <summary>A parameter of the answer; one without a name cannot be matched to what was asked, so the answer is unreadable.</summary>
    private static ParameterDescription Read(ParameterMetadata? parameter) =>
        parameter?.Name is { Length: > 0 } name
            ? new ParameterDescription(name, parameter.Type, string.IsNullOrEmpty(parameter.KeyId) ? null : parameter.KeyId)
            : throw new JsonException("A parameter's Name is missing.");
}
