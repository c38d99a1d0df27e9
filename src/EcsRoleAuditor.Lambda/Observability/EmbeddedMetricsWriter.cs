using EcsRoleAuditor.EventAudit.Handling;
using System.Buffers;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// Writes metrics as CloudWatch Embedded Metric Format log lines: CloudWatch Logs extracts the metrics from the
/// <c>_aws</c> block without any API call from the function (no cloudwatch:PutMetricData permission, no latency).
/// </summary>
internal sealed class EmbeddedMetricsWriter
{
    /// <summary>The CloudWatch namespace all of the auditor's metrics live under.</summary>
    public const string DefaultNamespace = "EcsRoleAuditor";

    // The EMF member names are the specification's, spelled out once.
    private const string NamespaceKey = "Namespace";

    private readonly JsonLineLogger lines;
    private readonly TimeProvider time;

    /// <summary>Creates a writer that shares <paramref name="lines"/>' output, so metric and log lines never interleave.</summary>
    public EmbeddedMetricsWriter(JsonLineLogger lines, TimeProvider time, string metricNamespace = DefaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricNamespace);
        this.lines = lines;
        this.time = time;
        Namespace = metricNamespace;
    }

    public string Namespace { get; }

    /// <summary>
    /// Writes AuditsCompleted, AuditIncomplete, AwsApiCalls and AuditDurationMs on one line without dimensions, then one
    /// FindingsBySeverity line per severity (dimension Severity). One line per severity because a dimension's value is a
    /// single root member of the document; zero counts are written too so alarms see continuous data.
    /// </summary>
    public void WriteAudit(AuditMetrics metrics)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        WriteDocument(timestamp, dimension: null, json =>
        {
            json.WriteNumber("AuditsCompleted", metrics.AuditsCompleted);
            json.WriteNumber("AuditIncomplete", metrics.AuditIncomplete);
            json.WriteNumber("AwsApiCalls", metrics.AwsApiCalls);
            json.WriteNumber("AuditDurationMs", Math.Round(metrics.DurationMs, 3));
        }, ("AuditsCompleted", "Count"), ("AuditIncomplete", "Count"), ("AwsApiCalls", "Count"), ("AuditDurationMs", "Milliseconds"));

        foreach (var severity in SeverityCounts.HighestFirst)
        {
            WriteDocument(timestamp, ("Severity", severity.Name()),
                json => json.WriteNumber("FindingsBySeverity", metrics.Findings[severity]),
                ("FindingsBySeverity", "Count"));
        }
    }

    /// <summary>Writes FindingsStoreErrors = 1 (no dimensions): the invocation alerted without its findings store.</summary>
    public void WriteFindingsStoreError() =>
        WriteDocument(time.GetUtcNow().ToUnixTimeMilliseconds(), dimension: null, json => json.WriteNumber(FindingsStoreErrors, 1), (FindingsStoreErrors, "Count"));

    /// <summary>Organization mode: AccountsSwept or AccountsIncomplete = 1 (no dimensions) for one account and region swept from the queue.</summary>
    public void WriteAccountSwept(bool complete)
    {
        var name = complete ? "AccountsSwept" : "AccountsIncomplete";
        WriteDocument(time.GetUtcNow().ToUnixTimeMilliseconds(), dimension: null, json => json.WriteNumber(name, 1), (name, "Count"));
    }

    /// <summary>Organization mode: SweepMessagesQueued and SweepMessagesFailed (no dimensions), the schedule's plan.</summary>
    public void WriteSweepPlanned(int queued, int failed) =>
        WriteDocument(time.GetUtcNow().ToUnixTimeMilliseconds(), dimension: null, json =>
        {
            json.WriteNumber("SweepMessagesQueued", queued);
            json.WriteNumber("SweepMessagesFailed", failed);
        }, ("SweepMessagesQueued", "Count"), ("SweepMessagesFailed", "Count"));

    /// <summary>The metric of <see cref="WriteFindingsStoreError"/>.</summary>
    public const string FindingsStoreErrors = "FindingsStoreErrors";

    private void WriteDocument(long timestamp, (string Name, string Value)? dimension, Action<Utf8JsonWriter> writeValues,
        params (string Name, string Unit)[] metrics)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp);
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString(NamespaceKey, Namespace);
            // Dimensions is a list of dimension sets; the empty set publishes the metric without dimensions.
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            if (dimension is { } set)
            {
                json.WriteStringValue(set.Name);
            }
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, unit) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", unit);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            if (dimension is { } value)
            {
                json.WriteString(value.Name, value.Value);
            }
            if (lines.RequestId is { } requestId)
            {
                // Not a dimension (that would make a metric per invocation): a property for finding the log lines.
                json.WriteString("requestId", requestId);
            }
            writeValues(json);
            json.WriteEndObject();
        }
        lines.WriteLine(buffer.WrittenSpan);
    }
}
