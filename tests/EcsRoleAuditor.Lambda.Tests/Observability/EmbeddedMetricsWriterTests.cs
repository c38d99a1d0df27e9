using EcsRoleAuditor.EventAudit.Handling;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Tests.Observability;

public sealed class EmbeddedMetricsWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 2, 3, 4, 567, TimeSpan.Zero);

    private static List<JsonElement> Write(AuditMetrics metrics, string? requestId = null)
    {
        var output = new MemoryStream();
        // The threshold does not apply to metrics: an ERROR-only log still carries them.
        var logger = new JsonLineLogger(output, LogLevel.Error, new FixedClock(Now), SensitiveValues.None);
        var writer = new EmbeddedMetricsWriter(logger, new FixedClock(Now));
        using (requestId is null ? null : logger.BeginRequest(requestId))
        {
            writer.WriteAudit(metrics);
        }
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    private static readonly AuditMetrics Sample = new(AuditsCompleted: 2, AuditIncomplete: 1, AwsApiCalls: 9, DurationMs: 412.5,
        SeverityCounts.Of([Severity.Critical, Severity.High, Severity.High, Severity.Low]));

    [Fact]
    public void The_audit_line_declares_four_metrics_without_dimensions_under_the_namespace()
    {
        var line = Write(Sample)[0];

        var metadata = line.GetProperty("_aws");
        Assert.Equal(Now.ToUnixTimeMilliseconds(), metadata.GetProperty("Timestamp").GetInt64());
        var directive = Assert.Single(metadata.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("EcsRoleAuditor", directive.GetProperty("Namespace").GetString());
        var dimensionSet = Assert.Single(directive.GetProperty("Dimensions").EnumerateArray());
        Assert.Empty(dimensionSet.EnumerateArray());
        Assert.Equal(
            [("AuditsCompleted", "Count"), ("AuditIncomplete", "Count"), ("AwsApiCalls", "Count"), ("AuditDurationMs", "Milliseconds")],
            directive.GetProperty("Metrics").EnumerateArray().Select(m => (m.GetProperty("Name").GetString(), m.GetProperty("Unit").GetString())));
        Assert.Equal(2, line.GetProperty("AuditsCompleted").GetInt32());
        Assert.Equal(1, line.GetProperty("AuditIncomplete").GetInt32());
        Assert.Equal(9, line.GetProperty("AwsApiCalls").GetInt32());
        Assert.Equal(412.5, line.GetProperty("AuditDurationMs").GetDouble());
    }

    [Fact]
    public void Findings_are_one_line_per_severity_with_the_Severity_dimension_zeros_included()
    {
        var severityLines = Write(Sample).Skip(1).ToList();

        Assert.Equal(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"], severityLines.Select(line => line.GetProperty("Severity").GetString()));
        Assert.Equal([1, 2, 0, 1, 0], severityLines.Select(line => line.GetProperty("FindingsBySeverity").GetInt32()));
        Assert.All(severityLines, line =>
        {
            var directive = Assert.Single(line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
            Assert.Equal(["Severity"], Assert.Single(directive.GetProperty("Dimensions").EnumerateArray()).EnumerateArray().Select(d => d.GetString()));
            Assert.Equal("FindingsBySeverity", Assert.Single(directive.GetProperty("Metrics").EnumerateArray()).GetProperty("Name").GetString());
        });
    }

    [Fact]
    public void Every_declared_metric_and_dimension_is_a_root_member_as_the_format_requires()
    {
        foreach (var line in Write(Sample, "req-9"))
        {
            foreach (var directive in line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray())
            {
                Assert.All(directive.GetProperty("Metrics").EnumerateArray(),
                    metric => Assert.Equal(JsonValueKind.Number, line.GetProperty(metric.GetProperty("Name").GetString()!).ValueKind));
                Assert.All(directive.GetProperty("Dimensions").EnumerateArray().SelectMany(set => set.EnumerateArray()),
                    dimension => Assert.Equal(JsonValueKind.String, line.GetProperty(dimension.GetString()!).ValueKind));
            }
            Assert.Equal("req-9", line.GetProperty("requestId").GetString());
        }
    }
}
