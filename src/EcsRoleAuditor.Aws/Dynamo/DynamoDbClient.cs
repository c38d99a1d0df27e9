using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Dynamo;

/// <summary>
/// <see cref="IDynamoDbApi"/> over DynamoDB's awsJson1_0 API (DynamoDB_20120810) on the SDK pipeline shared with the ECS,
/// IAM and SNS clients: the same operation table, retries (DynamoDB's throttling codes included), call counting, bounded
/// answers and error type. A write whose condition fails answers <c>Applied: false</c>; every other error is thrown.
/// </summary>
internal sealed class DynamoDbClient : JsonServiceClient, IDynamoDbApi
{
    private const string ConditionalCheckFailed = "ConditionalCheckFailedException";

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public DynamoDbClient(AWSCredentials? credentials, DynamoDbClientConfig config)
        : base(credentials, config, AwsJsonProtocol.DynamoDb)
    {
    }

    /// <inheritdoc />
    public Task<DynamoWriteResult> PutItemAsync(DynamoPut request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(AwsActions.PutItem, DynamoWire.Body(json =>
        {
            json.WriteString("TableName", request.TableName);
            json.WritePropertyName("Item");
            DynamoWire.WriteItem(json, request.Item);
            WriteCondition(json, request.ConditionExpression, request.Terms, request.ReturnValues);
        }), cancellationToken);
    }

    /// <inheritdoc />
    public Task<DynamoWriteResult> UpdateItemAsync(DynamoUpdate request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(AwsActions.UpdateItem, DynamoWire.Body(json =>
        {
            json.WriteString("TableName", request.TableName);
            json.WritePropertyName("Key");
            DynamoWire.WriteItem(json, request.Key);
            json.WriteString("UpdateExpression", request.UpdateExpression);
            WriteCondition(json, request.ConditionExpression, request.Terms, request.ReturnValues);
        }), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<DynamoItem>> QueryAsync(DynamoQuery query, string? nextMarker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Parsed before anything is sent: a marker that is not ours is the caller's mistake, not an AWS failure.
        var startKey = nextMarker is null ? null : DynamoWire.KeyOf(nextMarker);
        var body = DynamoWire.Body(json =>
        {
            json.WriteString("TableName", query.TableName);
            if (query.IndexName is not null)
            {
                json.WriteString("IndexName", query.IndexName);
            }
            json.WriteString("KeyConditionExpression", query.KeyConditionExpression);
            DynamoWire.WriteTerms(json, query.Terms);
            json.WriteBoolean("ScanIndexForward", query.ScanIndexForward);
            if (query.Limit is { } limit)
            {
                json.WriteNumber("Limit", limit);
            }
            json.WriteBoolean("ConsistentRead", query.ConsistentRead);
            if (startKey is not null)
            {
                json.WritePropertyName("ExclusiveStartKey");
                DynamoWire.WriteItem(json, startKey);
            }
        });
        var text = await CallAsync(AwsActions.Query, body, cancellationToken).ConfigureAwait(false);
        return Read(AwsActions.Query, text, root =>
        {
            var items = root.TryGetProperty("Items", out var list)
                ? list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray().Select(DynamoWire.ReadItem)] : throw new JsonException("Items is not a list.")
                : new List<DynamoItem>();
            // An empty LastEvaluatedKey would be a marker that reads the first page again: taken as the end.
            var next = root.TryGetProperty("LastEvaluatedKey", out var last) && DynamoWire.ReadItem(last) is { Attributes.IsEmpty: false } key
                ? DynamoWire.Marker(key)
                : null;
            return new Page<DynamoItem>(items, next);
        });
    }

    private static void WriteCondition(Utf8JsonWriter json, string? conditionExpression, DynamoExpressionTerms terms, DynamoReturnValues returnValues)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (conditionExpression is not null)
        {
            json.WriteString("ConditionExpression", conditionExpression);
        }
        DynamoWire.WriteTerms(json, terms);
        DynamoWire.WriteReturnValues(json, returnValues);
    }

    private async Task<DynamoWriteResult> WriteAsync(AwsOperation operation, byte[] body, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await CallAsync(operation, body, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (e.ErrorCode == ConditionalCheckFailed)
        {
            // Not an error for the store: the condition is how concurrent writers decide who wins.
            return new DynamoWriteResult(Applied: false, Attributes: null);
        }
        return Read(operation, text, root => new DynamoWriteResult(true, root.TryGetProperty("Attributes", out var attributes) ? DynamoWire.ReadItem(attributes) : null));
    }

    /// <summary>Reads an answer; JSON of another shape is an unmarshalling error naming the operation, as for the other clients.</summary>
    private T Read<T>(AwsOperation operation, string text, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? read(document.RootElement)
                : throw new JsonException($"The answer is {document.RootElement.ValueKind}, not an object.");
        }
        catch (JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, null, e);
        }
    }
}
