using System.Buffers;
using System.Text.Json;
using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>
/// The error body the Runtime API accepts for invocation and init errors: <c>{"errorMessage","errorType","stackTrace"}</c>.
/// Lambda shows it to whoever invoked the function and writes it to the log, so it is built through
/// <see cref="SensitiveValues"/> like every log line.
/// </summary>
/// <param name="ErrorMessage">What went wrong, with sensitive values redacted.</param>
/// <param name="ErrorType">The exception type name (e.g. <c>HttpRequestException</c>), also sent as the error-type header.</param>
/// <param name="StackTrace">The stack frames, one per entry.</param>
internal sealed record RuntimeErrorReport(string ErrorMessage, string ErrorType, IReadOnlyList<string> StackTrace)
{
    /// <summary>The report for an exception the handler or the composition threw.</summary>
    public static RuntimeErrorReport FromException(Exception exception, SensitiveValues sensitive)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(sensitive);
        // An async method's failure often arrives wrapped; the single inner exception is the one that says what happened.
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }
        var frames = (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(sensitive.Redact)
            .ToArray();
        return new RuntimeErrorReport(LoggedText.Bounded(sensitive.Redact(exception.Message)), exception.GetType().Name, frames);
    }

    /// <summary>The JSON body posted to the Runtime API.</summary>
    public byte[] ToJsonUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", ErrorMessage);
            json.WriteString("errorType", ErrorType);
            json.WriteStartArray("stackTrace");
            foreach (var frame in StackTrace)
            {
                json.WriteStringValue(frame);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
