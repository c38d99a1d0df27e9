using EcsRoleAuditor.EventAudit.Handling;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// Writes one JSON object per line to the function's stdout, which Lambda forwards to CloudWatch Logs. Every line has
/// the keys timestamp (ISO-8601 UTC), level, message and requestId; eventName, family, findings, awsApiCalls,
/// durationMs, errorType, coldStart (phase name → startMs, durationMs), processCpuMs, gcCollections, allocatedBytes and minorPageFaults appear when given. Lines below the LOG_LEVEL threshold are dropped. Every string is
/// redacted (<see cref="SensitiveValues"/>) and cut to <see cref="LoggedText.MaxLength"/> characters with a marker.
/// </summary>
internal sealed class JsonLineLogger
{
    private readonly Stream output;
    private readonly TimeProvider time;
    private readonly SensitiveValues sensitive;
    private readonly Lock writing = new();
    // The invocation the current async flow belongs to; AsyncLocal so a line written deep in the handler carries it.
    private readonly AsyncLocal<string?> requestId = new();

    public JsonLineLogger(Stream output, LogLevel threshold, TimeProvider time, SensitiveValues sensitive)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(sensitive);
        this.output = output;
        this.time = time;
        this.sensitive = sensitive;
        Threshold = threshold;
    }

    public LogLevel Threshold { get; }

    /// <summary>The request id written on lines of the current invocation, or null between invocations.</summary>
    public string? RequestId => requestId.Value;

    /// <summary>Whether a line at <paramref name="level"/> would be written.</summary>
    public bool IsEnabled(LogLevel level) => level >= Threshold;

    /// <summary>Tags the lines written in the current async flow with <paramref name="id"/> until disposed.</summary>
    public IDisposable BeginRequest(string id)
    {
        var previous = requestId.Value;
        requestId.Value = id;
        return new RequestScope(this, previous);
    }

    public void Debug(string message, LogFields fields = default) => Write(LogLevel.Debug, message, fields);

    public void Info(string message, LogFields fields = default) => Write(LogLevel.Info, message, fields);

    public void Warn(string message, LogFields fields = default) => Write(LogLevel.Warn, message, fields);

    public void Error(string message, LogFields fields = default) => Write(LogLevel.Error, message, fields);

    /// <summary>Writes one line at <paramref name="level"/> unless it is below the threshold.</summary>
    public void Write(LogLevel level, string message, LogFields fields = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsEnabled(level))
        {
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", level.Name());
            json.WriteString("message", Safe(message));
            WriteOptionalString(json, "requestId", RequestId, always: true);
            WriteOptionalString(json, "eventName", fields.EventName);
            WriteOptionalString(json, "family", fields.Family);
            if (fields.Findings is { } findings)
            {
                json.WriteStartObject("findings");
                foreach (var severity in SeverityCounts.HighestFirst)
                {
                    json.WriteNumber(severity.Name(), findings[severity]);
                }
                json.WriteEndObject();
            }
            if (fields.AwsApiCalls is { } calls)
            {
                json.WriteNumber("awsApiCalls", calls);
            }
            if (fields.DurationMs is { } duration)
            {
                json.WriteNumber("durationMs", Math.Round(duration, 3));
            }
            WriteOptionalString(json, "errorType", fields.ErrorType);
            if (fields.ColdStart is { } phases)
            {
                json.WriteStartObject("coldStart");
                foreach (var phase in phases)
                {
                    json.WriteStartObject(Safe(phase.Name));
                    json.WriteNumber("startMs", Math.Round(phase.StartMs, 3));
                    json.WriteNumber("durationMs", Math.Round(phase.DurationMs, 3));
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            if (fields.ProcessCpuMs is { } cpu)
            {
                json.WriteNumber("processCpuMs", Math.Round(cpu, 3));
            }
            if (fields.GcCollections is { } collections)
            {
                json.WriteNumber("gcCollections", collections);
            }
            if (fields.AllocatedBytes is { } allocated)
            {
                json.WriteNumber("allocatedBytes", allocated);
            }
            if (fields.MinorPageFaults is { } faults)
            {
                json.WriteNumber("minorPageFaults", faults);
            }
            json.WriteEndObject();
        }
        WriteLine(buffer.WrittenSpan);
    }

    private void WriteOptionalString(Utf8JsonWriter json, string key, string? value, bool always = false)
    {
        if (value is not null)
        {
            json.WriteString(key, Safe(value));
        }
        else if (always)
        {
            json.WriteNull(key);
        }
    }

    // Redacted first, then bounded: a value from the event can be megabytes, and a cut must not leave half a secret.
    private string Safe(string value) => LoggedText.Bounded(sensitive.Redact(value));

    /// <summary>Writes an already serialized JSON object as one line (the EMF writer shares the output this way).</summary>
    internal void WriteLine(ReadOnlySpan<byte> jsonObject)
    {
        // One write of the whole line under a lock: CloudWatch splits log events at newlines, so lines must not interleave.
        var line = new byte[jsonObject.Length + 1];
        jsonObject.CopyTo(line);
        line[^1] = (byte)'\n';
        lock (writing)
        {
            output.Write(line);
            output.Flush();
        }
    }

    private sealed class RequestScope(JsonLineLogger logger, string? previous) : IDisposable
    {
        public void Dispose() => logger.requestId.Value = previous;
    }
}
