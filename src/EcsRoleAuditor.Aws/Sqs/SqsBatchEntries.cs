using System.Text;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Sqs;

/// <summary>
/// The checks SQS makes of a SendMessageBatch request, made before sending ("SendMessageBatch" and
/// "SendMessageBatchRequestEntry", Amazon SQS API Reference): a batch SQS would refuse is the caller's mistake, reported
/// as an <see cref="ArgumentException"/> naming what is wrong, not as an AWS failure after a round trip.
/// </summary>
internal static class SqsBatchEntries
{
    /// <summary>Throws <see cref="ArgumentException"/> unless SQS would accept <paramref name="entries"/> as one batch.</summary>
    public static void Validate(IReadOnlyList<(string Id, string Body)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count is 0 or > SqsLimits.MaxBatchEntries)
        {
            throw new ArgumentException($"A batch holds 1 to {SqsLimits.MaxBatchEntries} entries, not {entries.Count}.", nameof(entries));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        long payload = 0;
        foreach (var (id, body) in entries)
        {
            if (!IsValidId(id))
            {
                throw new ArgumentException($"Entry id '{id}' is not 1 to {SqsLimits.MaxEntryIdLength} letters, digits, '-' or '_'.", nameof(entries));
            }
            if (!ids.Add(id))
            {
                throw new ArgumentException($"Entry id '{id}' appears twice; the ids of a batch must be distinct.", nameof(entries));
            }
            if (string.IsNullOrEmpty(body))
            {
                throw new ArgumentException($"Entry '{id}' has an empty body.", nameof(entries));
            }
            if (FirstRefusedCharacter(body) is { } index)
            {
                throw new ArgumentException($"Entry '{id}' has a character SQS refuses (U+{(int)body[index]:X4} at {index}); a body may hold #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF.", nameof(entries));
            }
            payload += Encoding.UTF8.GetByteCount(body);
        }

        if (payload > SqsLimits.MaxBatchPayloadBytes)
        {
            throw new ArgumentException($"The bodies hold {payload:N0} bytes; a batch may hold at most {SqsLimits.MaxBatchPayloadBytes:N0}.", nameof(entries));
        }
    }

    /// <summary>An entry id: 1 to 80 ASCII letters, digits, hyphens and underscores.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= SqsLimits.MaxEntryIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The index of the first character outside the set SQS accepts (XML's Char production), or null.</summary>
    private static int? FirstRefusedCharacter(string body)
    {
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
            {
                // #x10000-#x10FFFF, written as a surrogate pair.
                i++;
                continue;
            }
            var accepted = c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');
            if (!accepted)
            {
                return i;
            }
        }
        return null;
    }
}
