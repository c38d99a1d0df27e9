using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Ecs;

/// <summary><see cref="IEcsApi"/> over ECS's awsJson1_1 API (AmazonEC2ContainerServiceV20141113) on the SDK pipeline.</summary>
internal sealed class EcsClient : JsonServiceClient, IEcsApi
{
    private static readonly string[] TagsOnly = ["TAGS"];
    private readonly int maxResults;

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public EcsClient(AWSCredentials? credentials, EcsClientConfig config)
        : base(credentials, config, AwsJsonProtocol.Ecs)
    {
        ArgumentNullException.ThrowIfNull(config);
        maxResults = config.MaxResults;
    }

    /// <inheritdoc />
    public Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken)
    {
        var body = new DescribeTaskDefinitionBody(taskDefinition, includeTags ? TagsOnly : null);
        return CallAsync(AwsActions.DescribeTaskDefinition, Serialize(body, EcsJsonContext.Default.DescribeTaskDefinitionBody), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var body = new ListTaskDefinitionsBody(filter.FamilyPrefix, StatusName(filter.Status), filter.Descending ? "DESC" : "ASC", nextToken, maxResults);
        var text = await CallAsync(AwsActions.ListTaskDefinitions, Serialize(body, EcsJsonContext.Default.ListTaskDefinitionsBody), cancellationToken).ConfigureAwait(false);
        var result = Deserialize(AwsActions.ListTaskDefinitions, text, EcsJsonContext.Default.ListTaskDefinitionsResult);
        return new([.. result.TaskDefinitionArns ?? []], NullIfEmpty(result.NextToken));
    }

    /// <inheritdoc />
    public async Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken)
    {
        var body = new ListTaskDefinitionFamiliesBody(familyPrefix, StatusName(status), nextToken, maxResults);
        var text = await CallAsync(AwsActions.ListTaskDefinitionFamilies, Serialize(body, EcsJsonContext.Default.ListTaskDefinitionFamiliesBody), cancellationToken).ConfigureAwait(false);
        var result = Deserialize(AwsActions.ListTaskDefinitionFamilies, text, EcsJsonContext.Default.ListTaskDefinitionFamiliesResult);
        return new([.. result.Families ?? []], NullIfEmpty(result.NextToken));
    }

    private static string StatusName(TaskDefinitionStatus status) => status switch
    {
        TaskDefinitionStatus.Active => "ACTIVE",
        TaskDefinitionStatus.Inactive => "INACTIVE",
        TaskDefinitionStatus.All => "ALL",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown task definition status."),
    };

    private static byte[] Serialize<T>(T body, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(body, type);

    /// <summary>Reads a result; JSON of another shape (e.g. a number where a list belongs) is an unmarshalling error naming the operation.</summary>
    private T Deserialize<T>(AwsOperation operation, string text, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(text, type) ?? throw new JsonException("The response body is null.");
        }
        catch (JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, null, e);
        }
    }

    private static string? NullIfEmpty(string? token) => string.IsNullOrEmpty(token) ? null : token;
}
