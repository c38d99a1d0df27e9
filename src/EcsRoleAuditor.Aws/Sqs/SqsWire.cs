using System.Text.Json.Serialization;

namespace EcsRoleAuditor.Aws.Sqs;

/// <summary>SendMessageBatch's request body.</summary>
internal sealed record SendMessageBatchBody(string QueueUrl, IReadOnlyList<SendMessageBatchEntry> Entries);

/// <summary>One message of a batch (SendMessageBatchRequestEntry; no attributes, delay or FIFO fields).</summary>
internal sealed record SendMessageBatchEntry(string Id, string MessageBody);

/// <summary>SendMessageBatch's response body.</summary>
internal sealed record SendMessageBatchResult(IReadOnlyList<SentEntry?>? Successful, IReadOnlyList<FailedEntry?>? Failed);

/// <summary>SendMessageBatchResultEntry: the members the client reads.</summary>
internal sealed record SentEntry(string? Id, string? MessageId, string? MD5OfMessageBody);

/// <summary>BatchResultErrorEntry.</summary>
internal sealed record FailedEntry(string? Id, string? Code, string? Message, bool? SenderFault);

/// <summary>Source-generated (AOT-safe) JSON for SQS's awsJson1_0 bodies: PascalCase members as the API names them, absent when null.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendMessageBatchBody))]
[JsonSerializable(typeof(SendMessageBatchResult))]
internal sealed partial class SqsJsonContext : JsonSerializerContext;
