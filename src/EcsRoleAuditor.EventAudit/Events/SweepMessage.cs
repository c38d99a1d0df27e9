using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.EventAudit.Configuration;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>
/// Organization mode's sweep fan-out: the schedule's planner sends one SQS message per account and region,
/// <c>{"sweep":{"accountId":"111122223333","region":"eu-west-1"}}</c>, and the queue's event source mapping delivers
/// them back to the function in batches of SQS records.
/// </summary>
internal static class SweepMessage
{
    /// <summary>The message body asking to sweep <paramref name="origin"/>.</summary>
    public static string Body(EventOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("sweep");
            writer.WriteString("accountId", origin.AccountId);
            writer.WriteString("region", origin.Region);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A batch entry id for <paramref name="origin"/>, unique within a batch: <c>a&lt;accountId&gt;-&lt;region&gt;</c> as
    /// organization mode's contract names it (so a fault injected for one entry finds it), anything else than the up to
    /// 80 alphanumeric characters, hyphens and underscores SQS allows replaced by an underscore (SQS API Reference,
    /// SendMessageBatchRequestEntry, Id).
    /// </summary>
    public static string EntryId(EventOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var id = $"a{origin.AccountId}-{origin.Region}";
        var safe = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return safe.Length <= MaxEntryIdLength ? safe : safe[..MaxEntryIdLength];
    }

    private const int MaxEntryIdLength = 80;

    /// <summary>
    /// The records of an SQS event (<c>{"Records":[{"eventSource":"aws:sqs","messageId":...,"body":...}]}</c>, Lambda
    /// Developer Guide, "Using Lambda with Amazon SQS"), or null when the payload is not one.
    /// </summary>
    public static ImmutableArray<SweepRecord>? Records(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array
            || records.GetArrayLength() == 0 || records.EnumerateArray().Any(r => JsonValues.Text(r, "eventSource") != "aws:sqs"))
        {
            return null;
        }
        return [.. records.EnumerateArray().Select(Read)];
    }

    private static SweepRecord Read(JsonElement record)
    {
        // Lambda answers a partial batch failure by message id: a record without one can only be acknowledged with the batch.
        var messageId = JsonValues.Text(record, "messageId") ?? "";
        if (JsonValues.Text(record, "body") is not { } body)
        {
            return new SweepRecord(messageId, null, "the message has no body");
        }
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var account = JsonValues.Text(document.RootElement, "sweep", "accountId");
            var region = JsonValues.Text(document.RootElement, "sweep", "region");
            return AwsNames.IsAccountId(account) && AwsNames.IsRegion(region)
                ? new SweepRecord(messageId, new EventOrigin(account!, region!), null)
                : new SweepRecord(messageId, null, "the message is not {\"sweep\":{\"accountId\":...,\"region\":...}} with a 12-digit account and a region");
        }
        catch (JsonException)
        {
            return new SweepRecord(messageId, null, "the message body is not JSON, or repeats a key");
        }
    }
}

/// <summary>One SQS record of a sweep batch.</summary>
/// <param name="MessageId">The record's <c>messageId</c>: what a partial batch failure names.</param>
/// <param name="Origin">The account and region to sweep; null when the body is not a sweep message.</param>
/// <param name="Problem">Why the body is not one (never quotes it).</param>
internal sealed record SweepRecord(string MessageId, EventOrigin? Origin, string? Problem);
