using EcsRoleAuditor.EventAudit.Handling;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.Lambda.Hosting;
using EcsRoleAuditor.Lambda.Observability;
using EcsRoleAuditor.Lambda.Tests.Observability;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

// One collection with parallelization off: the trace id is a process-wide environment variable.
[Collection(nameof(ProcessEnvironmentTests))]
public sealed class InvocationLoopTests
{
    private static Task<string> Echo(ReadOnlyMemory<byte> payload) => Task.FromResult(Encoding.UTF8.GetString(payload.Span));

    [Fact]
    public async Task A_handler_response_is_posted_as_the_invocation_response()
    {
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((payload, _, _) => Echo(payload)));

        var outcome = await harness.InvokeAsync("""{"detail-type":"Scheduled Event"}""");

        Assert.Equal(OutcomeKind.Response, outcome.Kind);
        Assert.Equal("Scheduled Event", outcome.Json().GetProperty("detail-type").GetString());
    }

    [Fact]
    public async Task The_context_carries_the_request_id_deadline_and_function_arn_from_the_headers()
    {
        InvocationContext? seen = null;
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((_, context, _) =>
        {
            seen = context;
            return Task.FromResult("{}");
        }));
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds());
        const string arn = "arn:aws:lambda:us-east-1:444455556666:function:auditor:live";

        await harness.InvokeAsync("{}", new FakeInvocation(RequestId: "req-ctx-1", Deadline: deadline, FunctionArn: arn));

        Assert.Equal(new InvocationContext("req-ctx-1", deadline, arn, null), seen);
    }

    [Fact]
    public async Task A_throwing_handler_posts_an_invocation_error_named_after_the_exception_type()
    {
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((_, _, _) =>
            throw new HttpRequestException("SNS is unreachable")));

        var outcome = await harness.InvokeAsync("{}");

        Assert.Equal(OutcomeKind.InvocationError, outcome.Kind);
        Assert.Equal("HttpRequestException", outcome.ErrorType);
        Assert.Equal("HttpRequestException", outcome.ErrorTypeHeader);
        Assert.Equal("SNS is unreachable", outcome.ErrorMessage);
        Assert.Equal(JsonValueKind.Array, outcome.Json().GetProperty("stackTrace").ValueKind);
    }

    [Fact]
    public async Task The_loop_serves_the_next_event_after_a_failed_invocation()
    {
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((payload, _, _) =>
            Encoding.UTF8.GetString(payload.Span) == "\"bad\"" ? throw new InvalidOperationException("bug") : Echo(payload)));

        var failed = await harness.InvokeAsync("\"bad\"");
        var next = await harness.InvokeAsync("\"good\"");

        Assert.Equal(OutcomeKind.InvocationError, failed.Kind);
        Assert.Equal(OutcomeKind.Response, next.Kind);
        Assert.Equal("\"good\"", next.Body);
        Assert.False(harness.Loop.IsCompleted);
    }

    [Fact]
    public async Task A_rejected_response_post_is_logged_and_the_loop_continues()
    {
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((payload, _, _) => Echo(payload)));
        harness.Runtime.RejectResponseOf("req-rejected");
        harness.Runtime.Enqueue("1", new FakeInvocation(RequestId: "req-rejected"));

        var next = await harness.InvokeAsync("2");

        Assert.Equal("2", next.Body);
        var line = LogLines(harness).Single(line => line.GetProperty("message").GetString()!.StartsWith("Posting the response", StringComparison.Ordinal));
        Assert.Equal("ERROR", line.GetProperty("level").GetString());
        Assert.Equal("req-rejected", line.GetProperty("requestId").GetString());
        Assert.Equal("HttpRequestException", line.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task The_deadline_does_not_cancel_the_handler_token_the_handler_budgets_it_itself()
    {
        // A second margin here, beside the handler's InvocationDeadline, would cut the handler's budget short.
        var now = new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((_, _, token) =>
            Task.FromResult(token.IsCancellationRequested ? "\"cancelled\"" : "\"running\"")), new FixedClock(now));

        var outcome = await harness.InvokeAsync("{}", new FakeInvocation(Deadline: now.AddMilliseconds(100)));

        Assert.Equal("\"running\"", outcome.Body);
    }

    [Fact]
    public async Task A_response_returned_past_the_deadline_is_still_posted()
    {
        var now = new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((_, _, _) => Task.FromResult("\"late\"")), new FixedClock(now));

        var outcome = await harness.InvokeAsync("{}", new FakeInvocation(Deadline: now.AddSeconds(-1)));

        Assert.Equal(OutcomeKind.Response, outcome.Kind);
        Assert.Equal("\"late\"", outcome.Body);
    }

    [Fact]
    public async Task The_trace_id_is_exported_for_the_invocation_and_cleared_when_the_next_has_none()
    {
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((_, _, _) =>
            Task.FromResult(JsonSerializer.Serialize(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID")))));
        const string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

        var traced = await harness.InvokeAsync("{}", new FakeInvocation(TraceId: trace));
        var untraced = await harness.InvokeAsync("{}");

        Assert.Equal(trace, traced.Json().GetString());
        Assert.Equal(JsonValueKind.Null, untraced.Json().ValueKind);
    }

    [Fact]
    public async Task A_composition_failure_posts_an_init_error_and_ends_the_loop_with_exit_code_1()
    {
        await using var harness = await LoopHarness.StartAsync(_ => throw new InvalidOperationException("ALERT_TOPIC_ARN is not set"));

        var initError = await harness.Runtime.InitErrorAsync(LoopHarness.Patience);

        Assert.Equal("InvalidOperationException", initError.ErrorType);
        Assert.Equal("InvalidOperationException", initError.ErrorTypeHeader);
        Assert.Equal("ALERT_TOPIC_ARN is not set", initError.ErrorMessage);
        Assert.Equal(InvocationLoop.InitFailedExitCode, await harness.Loop.WaitAsync(LoopHarness.Patience));
        Assert.Equal(0, harness.Runtime.NextCalls);
    }

    [Fact]
    public async Task Sensitive_values_in_an_exception_message_are_redacted_from_the_error_and_the_log()
    {
        const string topic = "arn:aws:sns:eu-west-1:111122223333:era-alerts";
        var sensitive = SensitiveValues.FromVariables([new("ALERT_TOPIC_ARN", topic)]);
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((_, _, _) =>
            throw new InvalidOperationException($"Publish to {topic} failed")), sensitive: sensitive);

        var outcome = await harness.InvokeAsync("{}");

        Assert.Equal($"Publish to {SensitiveValues.Placeholder} failed", outcome.ErrorMessage);
        Assert.DoesNotContain(topic, outcome.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(topic, harness.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_loop_ends_with_the_runtime_api_failure_code_when_the_runtime_api_goes_away()
    {
        var harness = await LoopHarness.StartAsync(new DelegateHandler((payload, _, _) => Echo(payload)));
        await harness.InvokeAsync("{}");

        await harness.Runtime.DisposeAsync();

        Assert.Equal(InvocationLoop.RuntimeApiFailedExitCode, await harness.Loop.WaitAsync(LoopHarness.Patience));
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task After_the_first_response_one_cold_start_line_names_the_phases_up_to_it()
    {
        await using var harness = await LoopHarness.StartAsync(new DelegateHandler((payload, _, _) => Echo(payload)),
            coldStart: new ColdStartTimeline(TimeProvider.System));

        await harness.InvokeAsync("{}");
        await harness.InvokeAsync("{}");
        // The line follows the post, so it may land just after the runtime saw the second response.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!harness.LogText().Contains("coldStart", StringComparison.Ordinal) && waited.Elapsed < LoopHarness.Patience)
        {
            await Task.Delay(10);
        }

        var line = Assert.Single(LogLines(harness), l => l.TryGetProperty("coldStart", out _));
        Assert.Equal("Cold start", line.GetProperty("message").GetString());
        Assert.Equal(["compose", "firstNext", "firstInvocation", "firstResponse"],
            line.GetProperty("coldStart").EnumerateObject().Select(phase => phase.Name));
        Assert.All(line.GetProperty("coldStart").EnumerateObject(), phase => Assert.True(phase.Value.GetProperty("durationMs").GetDouble() >= 0));
        // The process's CPU so far: this test process has certainly used some.
        Assert.True(line.GetProperty("processCpuMs").GetDouble() > 0);
        Assert.True(line.GetProperty("gcCollections").GetInt32() >= 0);
        Assert.True(line.GetProperty("allocatedBytes").GetInt64() > 0);
    }

    private static List<JsonElement> LogLines(LoopHarness harness) =>
        harness.LogText().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
}

/// <summary>Tests that read or write process-wide environment variables run in this collection, one at a time.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentTests), DisableParallelization = true)]
public sealed class ProcessEnvironmentTests;
