using System.Security.Cryptography;
using System.Text.Json;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>
/// The claim an invocation decides alerts under (docs/state.md): the same for every delivery of one event, different
/// for different events. EventBridge gives each event an <c>id</c> it keeps on retries, and Lambda retries an
/// asynchronous invocation with the same event; a payload without one (a direct invocation) is named by its hash.
/// </summary>
internal static class EventClaim
{
    /// <summary><c>event:</c> and the EventBridge id, or <c>payload:</c> and 32 hex digits of the payload's SHA-256.</summary>
    public static string Of(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload.Span);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isId = reader.ValueTextEquals("id"u8);
                    reader.Read();
                    if (isId && reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 and <= 128 } id)
                    {
                        return "event:" + id;
                    }
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: classified as ignored before any claim is needed; the hash still names it.
        }
        catch (InvalidOperationException)
        {
            // An id that is valid JSON but no text (an escaped lone surrogate): the hash names the event instead.
        }
        return "payload:" + Convert.ToHexStringLower(SHA256.HashData(payload.Span), 0, 16);
    }
}
