using System.Runtime.InteropServices;
using EcsRoleAuditor.Lambda.Hosting;
using EcsRoleAuditor.Lambda.Observability;

// The 'bootstrap' of the provided.al2023 runtime: Lambda starts this process once per execution environment; it reads
// the runtime configuration, composes the handler and serves invocations until Lambda shuts the environment down.

var time = TimeProvider.System;
var sensitive = SensitiveValues.FromEnvironment();
var log = new JsonLineLogger(Console.OpenStandardOutput(), LogLevelNames.ParseOrDefault(Environment.GetEnvironmentVariable("LOG_LEVEL")),
    time, sensitive);

var runtimeApiAddress = Environment.GetEnvironmentVariable(RuntimeApiClient.AddressVariable);
if (string.IsNullOrWhiteSpace(runtimeApiAddress))
{
    // Without the Runtime API there is nowhere to report an init error; the log line and the exit code are all we have.
    log.Error("AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs inside Lambda or against a Runtime API emulator");
    return InvocationLoop.InitFailedExitCode;
}

var metrics = new EmbeddedMetricsWriter(log, time);
using var runtime = new RuntimeApiClient(runtimeApiAddress);
var loop = new InvocationLoop(runtime, log, sensitive, time, new InvocationLoopOptions());

using var stopping = new CancellationTokenSource();
// Lambda sends SIGTERM before it ends an environment (when extensions are registered): leave the loop cleanly.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stopping.Cancel();
});

return await loop.RunAsync(cancellationToken => ComposeHandler(log, metrics, cancellationToken), stopping.Token).ConfigureAwait(false);

// ============================================================================================================
// INTEGRATION POINT (issue 5): the lead replaces the body of ComposeHandler with the auditor's handler
// (configuration from the environment -> AWS clients -> handler, with IAuditLog/IAuditMetrics bound to `log` and
// `metrics`). Anything thrown here is reported to Lambda as an init error and the process exits with code 1, so
// configuration validation belongs here. Until then it validates ALERT_TOPIC_ARN (the variable the real
// configuration requires) and composes the acknowledgement handler that the runtime's end-to-end tests run.
// ============================================================================================================
static Task<IInvocationHandler> ComposeHandler(JsonLineLogger log, EmbeddedMetricsWriter metrics, CancellationToken cancellationToken)
{
    cancellationToken.ThrowIfCancellationRequested();
    if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ALERT_TOPIC_ARN")))
    {
        // The message names the variable, never a value.
        throw new InvalidOperationException("ALERT_TOPIC_ARN is not set: the function has no SNS topic to publish alerts to.");
    }
    _ = metrics; // The auditor's handler writes its EmbeddedMetricsWriter metrics; the acknowledgement handler has none.
    log.Debug("Composed the acknowledgement handler (the auditor's handler is not wired in yet)");
    return Task.FromResult<IInvocationHandler>(new AcknowledgementHandler());
}
