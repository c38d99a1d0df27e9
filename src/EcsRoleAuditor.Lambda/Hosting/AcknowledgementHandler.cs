using EcsRoleAuditor.EventAudit.Handling;
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>
/// A handler that only acknowledges: <c>{"acknowledged":true,"requestId":"…","payloadBytes":n}</c>. It stands in for
/// the auditor's handler until that is composed in Program.cs, and keeps the runtime's end-to-end tests and the cold
/// start benchmark independent of the audit.
/// </summary>
public sealed class AcknowledgementHandler : IInvocationHandler
{
    /// <inheritdoc />
    public Task<string> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("acknowledged", true);
            json.WriteString("requestId", context.RequestId);
            json.WriteNumber("payloadBytes", payload.Length);
            json.WriteEndObject();
        }
        return Task.FromResult(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
