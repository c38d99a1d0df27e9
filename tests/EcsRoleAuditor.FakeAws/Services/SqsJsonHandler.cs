using System.Text.Json;
using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// SQS on the JSON 1.0 protocol (target prefix <c>AmazonSQS</c>), as current SDKs call it: SendMessageBatch. Errors
/// carry the JSON shape in <c>__type</c> and the query code in <c>x-amzn-query-error</c>, which SDKs prefer.
/// </summary>
internal sealed class SqsJsonHandler : JsonServiceHandler
{
    private readonly SqsBatch _batch;

    public SqsJsonHandler(SqsBatch batch)
    {
        _batch = batch;
        Add("SendMessageBatch", SendMessageBatch);
    }

    public override string TargetPrefix => "AmazonSQS.";

    public override string SigningName => "sqs";

    public override string ContentType => "application/x-amz-json-1.0";

    public override ServiceErrors Errors => SqsBatch.Errors;

    public override FaultTarget Target(AwsRequest request) => SqsBatch.Target(request.Optional("QueueUrl"));

    public override byte[] WriteError(AwsErrorException error, string requestId) => JsonWire.Write(w =>
    {
        w.WriteString("__type", SqsBatch.JsonType(error.Code));
        w.WriteString("message", error.Message);
    });

    public override IEnumerable<KeyValuePair<string, string>> ErrorHeaders(AwsErrorException error) =>
        [new("x-amzn-query-error", $"{error.Code};{error.FaultType}")];

    private byte[] SendMessageBatch(AwsRequest request)
    {
        var entries = request.Json.TryGetProperty("Entries", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(Entry)]
            : new List<SqsEntry>();
        var (successful, failed) = _batch.Send(request.Required("QueueUrl"), entries);
        return JsonWire.Write(w =>
        {
            w.WriteStartArray("Successful");
            foreach (var sent in successful)
            {
                w.WriteStartObject();
                w.WriteString("Id", sent.Id);
                w.WriteString("MessageId", sent.MessageId);
                w.WriteString("MD5OfMessageBody", sent.Md5OfBody);
                if (sent.Md5OfAttributes is { } md5)
                {
                    w.WriteString("MD5OfMessageAttributes", md5);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("Failed");
            foreach (var entry in failed)
            {
                w.WriteStartObject();
                w.WriteString("Id", entry.Id);
                w.WriteBoolean("SenderFault", entry.SenderFault);
                w.WriteString("Code", entry.Code);
                w.WriteString("Message", entry.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private SqsEntry Entry(JsonElement entry)
    {
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int? delay = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("DelaySeconds", out var d) && d.ValueKind != JsonValueKind.Null
            ? d.TryGetInt32(out var seconds) ? seconds : throw Errors.Validation("DelaySeconds must be an integer.")
            : null;
        var attributes = new Dictionary<string, PublishedAttributeValue>(StringComparer.Ordinal);
        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("MessageAttributes", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var attribute in map.EnumerateObject())
            {
                attributes[attribute.Name] = new PublishedAttributeValue(Text(attribute.Value, "DataType") ?? "", Text(attribute.Value, "StringValue"), Text(attribute.Value, "BinaryValue"));
            }
        }
        return new SqsEntry(Text(entry, "Id"), Text(entry, "MessageBody"), delay, attributes);
    }
}
