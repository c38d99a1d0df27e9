using EcsRoleAuditor.EventAudit.Handling;
using System.Text;
using System.Text.Json;
using CsCheck;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Tests.Observability;

// Sets ALERT_TOPIC_ARN for one test: in the environment collection so the loop tests do not see it.
[Collection(nameof(EcsRoleAuditor.Lambda.Tests.Hosting.ProcessEnvironmentTests))]
public sealed class JsonLineLoggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 2, 3, 4, 567, TimeSpan.Zero);

    private static (JsonLineLogger Logger, MemoryStream Output) Logger(LogLevel threshold = LogLevel.Debug, SensitiveValues? sensitive = null)
    {
        var output = new MemoryStream();
        return (new JsonLineLogger(output, threshold, new FixedClock(Now), sensitive ?? SensitiveValues.None), output);
    }

    private static List<JsonElement> Lines(MemoryStream output)
    {
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    private static List<string> Keys(JsonElement line) => line.EnumerateObject().Select(property => property.Name).ToList();

    [Fact]
    public void A_line_has_the_fixed_keys_timestamp_level_message_and_request_id()
    {
        var (logger, output) = Logger();

        logger.Info("Acknowledged an unrelated event");

        var line = Assert.Single(Lines(output));
        Assert.Equal(["timestamp", "level", "message", "requestId"], Keys(line));
        Assert.Equal("2026-11-29T02:03:04.567Z", line.GetProperty("timestamp").GetString());
        Assert.Equal("INFO", line.GetProperty("level").GetString());
        Assert.Equal("Acknowledged an unrelated event", line.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("requestId").ValueKind);
    }

    [Fact]
    public void An_audit_line_carries_event_name_family_findings_by_severity_api_calls_and_duration()
    {
        var (logger, output) = Logger();
        var findings = SeverityCounts.Of([Severity.High, Severity.High, Severity.Medium, Severity.Info]);

        using (logger.BeginRequest("req-42"))
        {
            logger.Warn("Audit completed with findings", new LogFields(EventName: "RegisterTaskDefinition", Family: "web-api:42",
                Findings: findings, AwsApiCalls: 7, DurationMs: 183.25));
        }

        var line = Assert.Single(Lines(output));
        Assert.Equal(["timestamp", "level", "message", "requestId", "eventName", "family", "findings", "awsApiCalls", "durationMs"], Keys(line));
        Assert.Equal("WARN", line.GetProperty("level").GetString());
        Assert.Equal("req-42", line.GetProperty("requestId").GetString());
        Assert.Equal("RegisterTaskDefinition", line.GetProperty("eventName").GetString());
        Assert.Equal("web-api:42", line.GetProperty("family").GetString());
        var bySeverity = line.GetProperty("findings");
        Assert.Equal(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"], Keys(bySeverity));
        Assert.Equal([0, 2, 1, 0, 1], bySeverity.EnumerateObject().Select(p => p.Value.GetInt32()));
        Assert.Equal(7, line.GetProperty("awsApiCalls").GetInt32());
        Assert.Equal(183.25, line.GetProperty("durationMs").GetDouble());
    }

    [Fact]
    public void A_cold_start_line_carries_each_phase_by_name_with_its_start_and_duration_in_order()
    {
        var (logger, output) = Logger();

        logger.Info("Cold start", new LogFields(ColdStart: [new ColdStartPhase("compose", 1.25, 9.5), new ColdStartPhase("catalogLoad", 1.5, 6.0004)], ProcessCpuMs: 41.0002, GcCollections: 1, AllocatedBytes: 6_500_000, MinorPageFaults: 4_321));

        var line = Assert.Single(Lines(output));
        Assert.Equal(["timestamp", "level", "message", "requestId", "coldStart", "processCpuMs", "gcCollections", "allocatedBytes", "minorPageFaults"], Keys(line));
        Assert.Equal(41.0, line.GetProperty("processCpuMs").GetDouble());
        Assert.Equal(1, line.GetProperty("gcCollections").GetInt32());
        Assert.Equal(6_500_000, line.GetProperty("allocatedBytes").GetInt64());
        Assert.Equal(4_321, line.GetProperty("minorPageFaults").GetInt64());
        var phases = line.GetProperty("coldStart");
        Assert.Equal(["compose", "catalogLoad"], Keys(phases));
        Assert.Equal(1.25, phases.GetProperty("compose").GetProperty("startMs").GetDouble());
        Assert.Equal(9.5, phases.GetProperty("compose").GetProperty("durationMs").GetDouble());
        Assert.Equal(6.0, phases.GetProperty("catalogLoad").GetProperty("durationMs").GetDouble());
    }

    [Fact]
    public void The_request_id_applies_only_inside_its_scope()
    {
        var (logger, output) = Logger();

        using (logger.BeginRequest("req-1"))
        {
            logger.Info("inside");
        }
        logger.Info("after");

        var lines = Lines(output);
        Assert.Equal("req-1", lines[0].GetProperty("requestId").GetString());
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("requestId").ValueKind);
    }

    [Theory]
    [InlineData(LogLevel.Debug, new[] { "DEBUG", "INFO", "WARN", "ERROR" })]
    [InlineData(LogLevel.Info, new[] { "INFO", "WARN", "ERROR" })]
    [InlineData(LogLevel.Warn, new[] { "WARN", "ERROR" })]
    [InlineData(LogLevel.Error, new[] { "ERROR" })]
    public void Lines_below_the_threshold_are_not_written(LogLevel threshold, string[] written)
    {
        var (logger, output) = Logger(threshold);

        logger.Debug("d");
        logger.Info("i");
        logger.Warn("w");
        logger.Error("e");

        Assert.Equal(written, Lines(output).Select(line => line.GetProperty("level").GetString()));
    }

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData(" Info ", LogLevel.Info)]
    [InlineData("WARN", LogLevel.Warn)]
    [InlineData("warning", LogLevel.Warn)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData(null, LogLevel.Info)]
    [InlineData("", LogLevel.Info)]
    [InlineData("verbose", LogLevel.Info)]
    public void LOG_LEVEL_is_read_ignoring_case_and_defaults_to_INFO(string? value, LogLevel expected) =>
        Assert.Equal(expected, LogLevelNames.ParseOrDefault(value));

    [Fact]
    public void Values_of_sensitive_environment_variables_never_reach_a_line()
    {
        // Unique names so no other test sees them; one named like a secret, one on the fixed list.
        var secretName = "ERA_TEST_SLACK_TOKEN_" + Guid.NewGuid().ToString("N")[..8];
        const string secret = "xoxb-1234567890-abcdefghij";
        const string topic = "arn:aws:sns:eu-west-1:111122223333:era-alerts-logger-test";
        var previousTopic = Environment.GetEnvironmentVariable("ALERT_TOPIC_ARN");
        Environment.SetEnvironmentVariable(secretName, secret);
        Environment.SetEnvironmentVariable("ALERT_TOPIC_ARN", topic);
        try
        {
            var (logger, output) = Logger(sensitive: SensitiveValues.FromEnvironment());

            logger.Error($"Publishing to {topic} with {secret} failed", new LogFields(EventName: secret, Family: topic, ErrorType: secret));

            var text = Encoding.UTF8.GetString(output.ToArray());
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(topic, text, StringComparison.Ordinal);
            var line = Assert.Single(Lines(output));
            Assert.Equal($"Publishing to {SensitiveValues.Placeholder} with {SensitiveValues.Placeholder} failed", line.GetProperty("message").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(secretName, null);
            Environment.SetEnvironmentVariable("ALERT_TOPIC_ARN", previousTopic);
        }
    }

    [Fact]
    public void A_sensitive_value_anywhere_in_any_message_is_redacted()
    {
        var gen = Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 6, 40], Gen.String, Gen.String);
        gen.Sample((secret, before, after) =>
        {
            var sensitive = SensitiveValues.FromVariables([new("AWS_SECRET_ACCESS_KEY", secret)]);
            var (logger, output) = Logger(sensitive: sensitive);

            logger.Info(before + secret + after, new LogFields(Family: secret));

            var line = Assert.Single(Lines(output));
            Assert.DoesNotContain(secret, line.GetProperty("message").GetString()!, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, line.GetProperty("family").GetString()!, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Values_from_a_five_megabyte_event_are_cut_to_a_short_line_that_says_so()
    {
        var (logger, output) = Logger();
        var huge = new string('a', 5 * 1024 * 1024);

        var message = $"Ignored {huge}: the call failed.";

        logger.Info(message);
        logger.Warn("Audit failed", new LogFields(EventName: huge, Family: huge, ErrorType: huge));

        var text = Encoding.UTF8.GetString(output.ToArray());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(Encoding.UTF8.GetByteCount(lines[0]) < 1024, $"{Encoding.UTF8.GetByteCount(lines[0]):N0} bytes");
        Assert.True(Encoding.UTF8.GetByteCount(lines[1]) < 3 * 1024, $"{Encoding.UTF8.GetByteCount(lines[1]):N0} bytes");
        var parsed = Lines(output);
        Assert.StartsWith("Ignored aaaa", parsed[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"…[truncated {message.Length - LoggedText.MaxLength} characters]", parsed[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(new[] { "eventName", "family", "errorType" }, key =>
            Assert.Equal(new string('a', LoggedText.MaxLength) + $"…[truncated {huge.Length - LoggedText.MaxLength} characters]", parsed[1].GetProperty(key).GetString()));
    }

    [Fact]
    public void A_secret_is_redacted_before_the_cut_so_no_part_of_it_survives()
    {
        const string secret = "arn:aws:sns:eu-west-1:111122223333:alerts-topic";
        var sensitive = SensitiveValues.FromVariables([new("ALERT_TOPIC_ARN", secret)]);
        var (logger, output) = Logger(sensitive: sensitive);
        // The secret straddles the cut: cutting first would keep its first half.
        var message = new string('x', LoggedText.MaxLength - 20) + secret + new string('y', 1000);

        logger.Info(message);

        var written = Assert.Single(Lines(output)).GetProperty("message").GetString()!;
        Assert.DoesNotContain(secret[..20], written, StringComparison.Ordinal);
        Assert.Contains(SensitiveValues.Placeholder[..10], written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALERT_TOPIC_ARN", true)]
    [InlineData("SUPPRESSIONS", true)]
    [InlineData("AWS_SESSION_TOKEN", true)]
    [InlineData("SLACK_WEBHOOK_SECRET", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("LOG_LEVEL", false)]
    [InlineData("MIN_SEVERITY", false)]
    [InlineData("AWS_REGION", false)]
    public void Variables_are_sensitive_by_the_fixed_list_or_a_secret_like_name(string name, bool sensitive) =>
        Assert.Equal(sensitive, SensitiveValues.IsSensitiveName(name));

    [Fact]
    public void The_logger_accepts_only_typed_fields_never_a_bag_of_values()
    {
        // What may reach a line is fixed by these types: text parameters are the message and named fields only.
        var allowed = new[] { typeof(string), typeof(LogLevel), typeof(LogFields) };
        var parameters = typeof(JsonLineLogger).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(method => method.DeclaringType == typeof(JsonLineLogger))
            .SelectMany(method => method.GetParameters())
            .Select(parameter => parameter.ParameterType);
        Assert.All(parameters, type => Assert.Contains(type, allowed));
        var fieldTypes = new[] { typeof(string), typeof(int?), typeof(long?), typeof(double?), typeof(SeverityCounts?), typeof(IReadOnlyList<ColdStartPhase>) };
        Assert.All(typeof(LogFields).GetProperties(), property => Assert.Contains(property.PropertyType, fieldTypes));
    }
}
