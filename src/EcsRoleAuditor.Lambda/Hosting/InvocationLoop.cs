using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>
/// The custom runtime's life: compose the handler (a failure is an init error and the process ends), then forever take
/// the next event, hand it to the handler with its deadline, and post its response or its error. The handler owns the
/// time budget up to the deadline, the time to post included; the loop keeps no margin of its own. One bad invocation
/// never ends the loop: Lambda retries or dead-letters that event, the next one runs.
/// </summary>
internal sealed class InvocationLoop
{
    /// <summary>After the init error was reported.</summary>
    public const int InitFailedExitCode = 1;

    /// <summary>The Runtime API stopped delivering events; Lambda restarts the environment.</summary>
    public const int RuntimeApiFailedExitCode = 2;

    private readonly RuntimeApiClient runtime;
    private readonly JsonLineLogger log;
    private readonly SensitiveValues sensitive;
    private readonly TimeProvider time;
    // Until the first response is posted: then its phases are logged once and timing stops.
    private ColdStartTimeline? coldStart;

    /// <summary>
    /// A loop over <paramref name="runtime"/> that redacts <paramref name="sensitive"/> values from error reports. With
    /// <paramref name="coldStart"/>, composing, the first 'next', the first invocation and its response are timed on it
    /// and one INFO line "Cold start" carries all its phases after the first response.
    /// </summary>
    public InvocationLoop(RuntimeApiClient runtime, JsonLineLogger log, SensitiveValues sensitive, TimeProvider time, ColdStartTimeline? coldStart = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(sensitive);
        ArgumentNullException.ThrowIfNull(time);
        this.runtime = runtime;
        this.log = log;
        this.sensitive = sensitive;
        this.time = time;
        this.coldStart = coldStart;
    }

    /// <summary>
    /// Composes the handler and serves invocations until <paramref name="stopping"/> is cancelled (0) or the Runtime API
    /// fails (<see cref="RuntimeApiFailedExitCode"/>); returns <see cref="InitFailedExitCode"/> when composing threw.
    /// </summary>
    public async Task<int> RunAsync(Func<CancellationToken, Task<IInvocationHandler>> compose, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(compose);
        var handler = await Timed("compose", () => ComposeAsync(compose, stopping)).ConfigureAwait(false);
        if (handler is null)
        {
            return InitFailedExitCode;
        }
        while (!stopping.IsCancellationRequested)
        {
            NextInvocation next;
            try
            {
                next = await Timed("firstNext", () => runtime.NextInvocationAsync(stopping)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure of 'next' means the environment is going away; it is logged and ends the process.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                log.Error("The Runtime API did not deliver the next invocation; exiting", new LogFields(ErrorType: exception.GetType().Name));
                return RuntimeApiFailedExitCode;
            }
            await InvokeAsync(handler, next, stopping).ConfigureAwait(false);
            LogColdStartOnce();
        }
        return 0;
    }

    // Times the first run of a step while the cold start is being timed; afterwards the step runs untimed.
    private Task<T> Timed<T>(string phase, Func<Task<T>> step) => coldStart is { } timeline ? timeline.MeasureAsync(phase, step) : step();

    private void LogColdStartOnce()
    {
        if (coldStart is { } timeline)
        {
            coldStart = null;
            log.Info("Cold start", new LogFields(ColdStart: timeline.Phases, ProcessCpuMs: Environment.CpuUsage.TotalTime.TotalMilliseconds,
                GcCollections: GC.CollectionCount(0), AllocatedBytes: GC.GetTotalAllocatedBytes(), MinorPageFaults: ProcessStat.MinorPageFaults()));
        }
    }

    private async Task<IInvocationHandler?> ComposeAsync(Func<CancellationToken, Task<IInvocationHandler>> compose, CancellationToken stopping)
    {
        try
        {
            return await compose(stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever composing throws must become an init error, or Lambda only sees a crashed process.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var report = RuntimeErrorReport.FromException(exception, sensitive);
            log.Error("The function could not initialize: " + report.ErrorMessage, new LogFields(ErrorType: report.ErrorType));
            await ReportAsync(() => runtime.PostInitErrorAsync(report, stopping), "Reporting the init error to the Runtime API failed")
                .ConfigureAwait(false);
            return null;
        }
    }

    private async Task InvokeAsync(IInvocationHandler handler, NextInvocation next, CancellationToken stopping)
    {
        var context = next.Context;
        using var requestScope = log.BeginRequest(context.RequestId);
        TraceEnvironment.Export(context.TraceId);
        var started = time.GetTimestamp();

        string response;
        try
        {
            response = await Timed("firstInvocation", () => handler.HandleAsync(next.Payload, context, stopping)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler failure of any kind is reported to Lambda as this invocation's error; the loop goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var report = RuntimeErrorReport.FromException(exception, sensitive);
            log.Error("The invocation failed: " + report.ErrorMessage,
                new LogFields(ErrorType: report.ErrorType, DurationMs: time.GetElapsedTime(started).TotalMilliseconds));
            await ReportAsync(() => runtime.PostInvocationErrorAsync(context.RequestId, report, stopping),
                "Reporting the invocation error to the Runtime API failed").ConfigureAwait(false);
            return;
        }
        await ReportAsync(() => Timed("firstResponse", async () =>
            {
                await runtime.PostResponseAsync(context.RequestId, response, stopping).ConfigureAwait(false);
                return true;
            }), "Posting the response to the Runtime API failed").ConfigureAwait(false);
        log.Debug("The invocation completed", new LogFields(DurationMs: time.GetElapsedTime(started).TotalMilliseconds));
    }

    private async Task ReportAsync(Func<Task> post, string failureMessage)
    {
        try
        {
            await post().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A lost post is logged; Lambda times the invocation out and retries it, and the loop continues.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            log.Error(failureMessage, new LogFields(ErrorType: exception.GetType().Name));
        }
    }
}
