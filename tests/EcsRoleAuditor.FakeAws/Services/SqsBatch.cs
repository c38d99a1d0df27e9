using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>One SendMessageBatch entry as either wire protocol carried it.</summary>
internal sealed record SqsEntry(string? Id, string? Body, int? DelaySeconds, IReadOnlyDictionary<string, PublishedAttributeValue> Attributes);

/// <summary>An accepted entry: <c>SendMessageBatchResultEntry</c>.</summary>
internal sealed record SqsSent(string Id, string MessageId, string Md5OfBody, string? Md5OfAttributes);

/// <summary>A rejected entry: <c>BatchResultErrorEntry</c>.</summary>
internal sealed record SqsFailed(string Id, bool SenderFault, string Code, string Message);

/// <summary>
/// SQS SendMessageBatch, whatever the wire (JSON 1.0 for current SDKs, query for older ones such as AWS CLI 2.9): the
/// batch checks that reject the whole request, the per-entry checks that fail one entry, and the MD5 digests clients verify.
/// </summary>
internal sealed partial class SqsBatch(AccountIndex accounts, FaultPlan faults, ConcurrentQueue<SentMessage> sent)
{
    /// <summary>Entries per batch.</summary>
    public const int MaxEntries = 10;

    /// <summary>Bodies and attributes of one batch together, and of one message (1 MiB since SQS raised the limit from 256 KiB).</summary>
    public const int MaxPayloadBytes = 1_048_576;

    /// <summary>SQS's errors: status 400, the query code; the JSON <c>__type</c> is derived from it (<see cref="JsonType"/>).</summary>
    public static readonly ServiceErrors Errors = new("sqs", "RequestThrottled", "InternalError", "AccessDenied", 403, "InvalidParameterValue");

    private const string Prefix = "AWS.SimpleQueueService.";

    /// <summary>The JSON protocol's shape name for a query error code (<c>AWS.SimpleQueueService.NonExistentQueue</c> is <c>QueueDoesNotExist</c>).</summary>
    public static string JsonType(string code) => "com.amazonaws.sqs#" + code switch
    {
        Prefix + "NonExistentQueue" => "QueueDoesNotExist",
        _ when code.StartsWith(Prefix, StringComparison.Ordinal) => code[Prefix.Length..],
        _ => code,
    };

    /// <summary>What faults and access-denied messages name: the queue URL, described by its ARN.</summary>
    public static FaultTarget Target(string? queueUrl) =>
        Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri) && uri.Host.Split('.') is [_, var region, ..] && uri.AbsolutePath.Split('/') is [_, var account, var name]
            ? new FaultTarget([queueUrl], $"arn:aws:sqs:{region}:{account}:{name}")
            : FaultTarget.Of(queueUrl, "*");

    public (IReadOnlyList<SqsSent> Successful, IReadOnlyList<SqsFailed> Failed) Send(string queueUrl, IReadOnlyList<SqsEntry> entries)
    {
        if (!accounts.Queues.Contains(queueUrl))
        {
            throw new AwsErrorException(Prefix + "NonExistentQueue", 400, "The specified queue does not exist.");
        }
        CheckBatch(entries);
        var successful = new List<SqsSent>();
        var failed = new List<SqsFailed>();
        foreach (var entry in entries)
        {
            var id = entry.Id!;
            if (Problem(entry) is { } problem)
            {
                failed.Add(problem);
            }
            else if (faults.Take("SendMessageBatch", [id], FaultPlan.Kind.FailEntry) is { } rule)
            {
                failed.Add(new SqsFailed(id, rule.SenderFault, rule.ErrorCode!, "The fault plan failed this entry."));
            }
            else
            {
                var messageId = Guid.NewGuid().ToString();
                sent.Enqueue(new SentMessage(messageId, queueUrl, id, entry.Body!, entry.DelaySeconds, entry.Attributes, DateTimeOffset.UtcNow));
                successful.Add(new SqsSent(id, messageId, Md5Hex(Encoding.UTF8.GetBytes(entry.Body!)), entry.Attributes.Count == 0 ? null : Md5OfAttributes(entry.Attributes)));
            }
        }
        return (successful, failed);
    }

    /// <summary>
    /// The MD5 SQS returns as MD5OfMessageAttributes: per attribute in name order, the name, data type and value each
    /// as a 4-byte big-endian length and bytes, with a transport byte (1 string, 2 binary) before the value.
    /// </summary>
    public static string Md5OfAttributes(IReadOnlyDictionary<string, PublishedAttributeValue> attributes)
    {
        using var buffer = new MemoryStream();
        void Write(byte[] bytes)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Write(Encoding.UTF8.GetBytes(name));
            Write(Encoding.UTF8.GetBytes(value.DataType));
            var binary = value.DataType.StartsWith("Binary", StringComparison.Ordinal);
            buffer.WriteByte(binary ? (byte)2 : (byte)1);
            Write(binary ? Convert.FromBase64String(value.BinaryValue ?? "") : Encoding.UTF8.GetBytes(value.StringValue ?? ""));
        }
        return Md5Hex(buffer.ToArray());
    }

#pragma warning disable CA5351 // MD5 is what SQS returns for integrity checks, not a security choice.
    private static string Md5Hex(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351

    private static void CheckBatch(IReadOnlyList<SqsEntry> entries)
    {
        if (entries.Count == 0)
        {
            throw new AwsErrorException(Prefix + "EmptyBatchRequest", 400, "There should be at least one SendMessageBatchRequestEntry in the request.");
        }
        if (entries.Count > MaxEntries)
        {
            throw new AwsErrorException(Prefix + "TooManyEntriesInBatchRequest", 400, $"Maximum number of entries per request are {MaxEntries}. You have sent {entries.Count}.");
        }
        if (entries.FirstOrDefault(e => e.Id is null || !EntryIdPattern().IsMatch(e.Id)) is { } invalid)
        {
            throw new AwsErrorException(Prefix + "InvalidBatchEntryId", 400, $"A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long. Invalid id: {invalid.Id}");
        }
        if (entries.GroupBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new AwsErrorException(Prefix + "BatchEntryIdsNotDistinct", 400, $"Id {repeated.Key} repeated.");
        }
        var size = entries.Sum(e => Encoding.UTF8.GetByteCount(e.Body ?? "") + e.Attributes.Sum(a =>
            Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value.DataType) + Encoding.UTF8.GetByteCount(a.Value.StringValue ?? a.Value.BinaryValue ?? "")));
        if (size > MaxPayloadBytes)
        {
            throw new AwsErrorException(Prefix + "BatchRequestTooLong", 400, $"Batch requests cannot be longer than {MaxPayloadBytes} bytes. You have sent {size} bytes.");
        }
    }

    /// <summary>Why one entry cannot be sent, or null: SQS reports these per entry and sends the rest.</summary>
    private static SqsFailed? Problem(SqsEntry entry)
    {
        var id = entry.Id!;
        if (string.IsNullOrEmpty(entry.Body))
        {
            return new SqsFailed(id, true, "MissingParameter", "The request must contain the parameter MessageBody.");
        }
        if (!IsAllowedText(entry.Body))
        {
            return new SqsFailed(id, true, "InvalidMessageContents", "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
        }
        if (entry.DelaySeconds is < 0 or > 900)
        {
            return new SqsFailed(id, true, "InvalidParameterValue", $"Value {entry.DelaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.");
        }
        if (entry.Attributes.Count > 10)
        {
            return new SqsFailed(id, true, "InvalidParameterValue", $"Number of message attributes [{entry.Attributes.Count}] exceeds the allowed maximum [10].");
        }
        foreach (var (name, value) in entry.Attributes)
        {
            var binary = value.DataType.StartsWith("Binary", StringComparison.Ordinal);
            if (!(binary || value.DataType.StartsWith("String", StringComparison.Ordinal) || value.DataType.StartsWith("Number", StringComparison.Ordinal))
                || string.IsNullOrEmpty(binary ? value.BinaryValue : value.StringValue))
            {
                return new SqsFailed(id, true, "InvalidParameterValue", $"The message attribute '{name}' must contain a non-empty value of a supported type (String, Number or Binary).");
            }
        }
        return null;
    }

    /// <summary>SQS's allowed characters: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.</summary>
    private static bool IsAllowedText(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (!(c is 0x9 or 0xA or 0xD || c is >= 0x20 and <= 0xD7FF || c is >= 0xE000 and <= 0xFFFD || c >= 0x10000))
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex EntryIdPattern();
}
