namespace EcsRoleAuditor.Aws.Api;

/// <summary>The SQS operations organization mode calls; each method is one request. Errors as for <see cref="IIamApi"/>.</summary>
public interface ISqsApi
{
    /// <summary>
    /// SendMessageBatch: up to 10 messages to <paramref name="queueUrl"/>. The entries are checked before anything is
    /// sent (<see cref="ArgumentException"/>: 1 to 10 entries, distinct ids of 1 to 80 letters, digits, <c>-</c> and
    /// <c>_</c>, non-empty bodies of the characters SQS accepts, at most <see cref="SqsLimits.MaxBatchPayloadBytes"/> in
    /// all). A call that succeeds can still fail entries: each is reported, successful or failed; a body whose MD5 SQS
    /// reports differently from the one sent is a failed entry.
    /// </summary>
    Task<SqsBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<(string Id, string Body)> entries, CancellationToken cancellationToken);
}

/// <summary>What SendMessageBatch did with each entry.</summary>
/// <param name="Successful">The ids of the entries SQS enqueued (and whose body digest matched), in the answer's order.</param>
/// <param name="Failed">The entries SQS did not enqueue, or whose body digest did not match.</param>
public sealed record SqsBatchResult(IReadOnlyList<string> Successful, IReadOnlyList<SqsBatchFailure> Failed);

/// <summary>A failed entry of a batch (SQS's BatchResultErrorEntry).</summary>
/// <param name="Id">The entry's id as sent.</param>
/// <param name="Code">SQS's error code, or <see cref="SqsBatchFailure.Md5Mismatch"/> / <see cref="SqsBatchFailure.NotAnswered"/>.</param>
/// <param name="Message">SQS's message, or null.</param>
/// <param name="SenderFault">True when the entry itself is at fault (sending it again will not help).</param>
public sealed record SqsBatchFailure(string Id, string Code, string? Message, bool SenderFault)
{
    /// <summary>The code of an entry SQS enqueued with a body digest other than the sent body's.</summary>
    public const string Md5Mismatch = "MD5OfMessageBodyMismatch";

    /// <summary>The code of an entry the answer named neither successful nor failed.</summary>
    public const string NotAnswered = "NotInAnswer";
}

/// <summary>SQS's documented limits the client checks before sending.</summary>
public static class SqsLimits
{
    /// <summary>Entries in one SendMessageBatch ("SendMessageBatch", Amazon SQS API Reference: up to 10).</summary>
    public const int MaxBatchEntries = 10;

    /// <summary>Characters of an entry id ("SendMessageBatchRequestEntry": up to 80 alphanumerics, <c>-</c>, <c>_</c>).</summary>
    public const int MaxEntryIdLength = 80;

    /// <summary>
    /// The sum of the bodies' UTF-8 lengths in one batch: 1 MiB (1,048,576 bytes), the maximum the current
    /// "SendMessageBatch" page of the Amazon SQS API Reference gives for a message and for a batch (older copies of the page
    /// say 256 KiB; a queue's own MaximumMessageSize can be lower, and SQS then refuses the entry).
    /// </summary>
    public const int MaxBatchPayloadBytes = 1_048_576;
}
