using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Sqs;

/// <summary>
/// <see cref="ISqsApi"/> over SQS's awsJson1_0 API (AmazonSQS) on the SDK pipeline shared with the other clients: the
/// same operation table, retries (RequestThrottled is throttling), call counting, bounded answers and error type, with
/// SQS's query-era error codes (<c>AWS.SimpleQueueService.NonExistentQueue</c>) as the SDKs report them.
/// </summary>
internal sealed class SqsClient : JsonServiceClient, ISqsApi
{
    /// <summary>The largest answer read: ten ids, message ids and digests, or ten errors, fit in far less than 1 MiB.</summary>
    public const long MaxResponseBytes = 1024 * 1024;

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public SqsClient(AWSCredentials? credentials, SqsClientConfig config)
        : base(credentials, config, AwsJsonProtocol.Sqs, MaxResponseBytes)
    {
    }

    /// <inheritdoc />
    public async Task<SqsBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<(string Id, string Body)> entries, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        SqsBatchEntries.Validate(entries);
        var operation = AwsActions.SendMessageBatch;
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new SendMessageBatchBody(queueUrl, [.. entries.Select(e => new SendMessageBatchEntry(e.Id, e.Body))]),
            SqsJsonContext.Default.SendMessageBatchBody);
        var text = await CallAsync(operation, body, cancellationToken).ConfigureAwait(false);
        try
        {
            var answer = JsonSerializer.Deserialize(text, SqsJsonContext.Default.SendMessageBatchResult) ?? throw new JsonException("The response body is null.");
            return Outcome(entries, answer);
        }
        catch (JsonException e)
        {
            throw UnreadableResponse.For(ServiceId, operation.Name, null, e);
        }
    }

    /// <summary>
    /// Each sent entry's outcome. An enqueued entry counts as successful only when SQS's MD5 of the body it received
    /// ("SendMessageBatchResultEntry": MD5OfMessageBody, "to verify that Amazon SQS received the message correctly")
    /// is the MD5 of the body sent; an entry the answer does not mention failed, so the caller sends it again. An answer
    /// naming an entry that was not sent, or one entry twice, is unreadable.
    /// </summary>
    private static SqsBatchResult Outcome(IReadOnlyList<(string Id, string Body)> entries, SendMessageBatchResult answer)
    {
        var sent = entries.ToDictionary(e => e.Id, e => e.Body, StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var successful = new List<string>();
        var failed = new List<SqsBatchFailure>();
        foreach (var entry in answer.Successful ?? [])
        {
            var id = Answered(entry?.Id, sent, answered);
            if (string.Equals(entry!.MD5OfMessageBody, Md5Hex(sent[id]), StringComparison.OrdinalIgnoreCase))
            {
                successful.Add(id);
            }
            else
            {
                failed.Add(new SqsBatchFailure(id, SqsBatchFailure.Md5Mismatch, "SQS reported an MD5 of the message body other than the body sent's.", SenderFault: false));
            }
        }
        foreach (var entry in answer.Failed ?? [])
        {
            var id = Answered(entry?.Id, sent, answered);
            failed.Add(new SqsBatchFailure(id, string.IsNullOrEmpty(entry!.Code) ? "UnknownError" : entry.Code, entry.Message, entry.SenderFault ?? false));
        }
        foreach (var (id, _) in entries)
        {
            if (!answered.Contains(id))
            {
                failed.Add(new SqsBatchFailure(id, SqsBatchFailure.NotAnswered, "The answer named the entry neither successful nor failed.", SenderFault: false));
            }
        }
        return new SqsBatchResult(successful, failed);
    }

    private static string Answered(string? id, Dictionary<string, string> sent, HashSet<string> answered)
    {
        // The id is not quoted: it is the answer's text, unbounded.
        if (id is null || !sent.ContainsKey(id))
        {
            throw new JsonException("The answer names an entry that was not sent.");
        }
        if (!answered.Add(id))
        {
            throw new JsonException("The answer names one entry twice.");
        }
        return id;
    }

    /// <summary>The MD5 of the body's UTF-8 bytes as lowercase hex, as SQS writes MD5OfMessageBody.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "SQS's integrity digest is MD5 by protocol; nothing is protected by it.")]
    private static string Md5Hex(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
}
