namespace EcsRoleAuditor.FakeAws;

/// <summary>A message attribute as SNS or SQS received it.</summary>
/// <param name="DataType"><c>String</c>, <c>String.Array</c>, <c>Number</c>, <c>Binary</c> (optionally with a custom suffix).</param>
/// <param name="StringValue">The string value, or null for binary attributes.</param>
/// <param name="BinaryValue">The base64 binary value, or null.</param>
public sealed record PublishedAttributeValue(string DataType, string? StringValue, string? BinaryValue);

/// <summary>A message the fake SNS accepted.</summary>
/// <param name="MessageId">The MessageId returned to the publisher.</param>
/// <param name="TopicArn">The topic.</param>
/// <param name="Subject">The subject, or null.</param>
/// <param name="Message">The message text (with <c>MessageStructure=json</c>, the JSON object of per-protocol messages).</param>
/// <param name="MessageStructure">The MessageStructure parameter (<c>json</c>) or null.</param>
/// <param name="Attributes">The message attributes by name.</param>
/// <param name="Time">When it was accepted.</param>
public sealed record PublishedMessage(
    string MessageId, string TopicArn, string? Subject, string Message, string? MessageStructure,
    IReadOnlyDictionary<string, PublishedAttributeValue> Attributes, DateTimeOffset Time);

/// <summary>A successful STS AssumeRole call.</summary>
/// <param name="RoleArn">The role assumed.</param>
/// <param name="RoleSessionName">The session name.</param>
/// <param name="ExternalId">The external id, or null.</param>
/// <param name="AccessKeyId">The access key id issued; calls signed with it act as the assumed role.</param>
/// <param name="Expiration">When the issued credentials expire.</param>
public sealed record AssumedRole(string RoleArn, string RoleSessionName, string? ExternalId, string AccessKeyId, DateTimeOffset Expiration);
