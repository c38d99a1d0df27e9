namespace EcsRoleAuditor.FakeAws;

/// <summary>A message the fake SQS accepted from a SendMessageBatch entry.</summary>
/// <param name="MessageId">The MessageId returned for the entry.</param>
/// <param name="QueueUrl">The queue.</param>
/// <param name="EntryId">The entry's Id in its batch.</param>
/// <param name="Body">The message body.</param>
/// <param name="DelaySeconds">The entry's DelaySeconds, or null when it gave none.</param>
/// <param name="Attributes">The message attributes by name (binary values as base64).</param>
/// <param name="Time">When it was accepted.</param>
public sealed record SentMessage(
    string MessageId, string QueueUrl, string EntryId, string Body, int? DelaySeconds,
    IReadOnlyDictionary<string, PublishedAttributeValue> Attributes, DateTimeOffset Time);
