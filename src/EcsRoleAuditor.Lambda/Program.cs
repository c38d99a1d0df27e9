using System.Runtime.InteropServices;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Lambda.Composition;
using EcsRoleAuditor.Lambda.Hosting;
using EcsRoleAuditor.Lambda.Observability;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.State.Dynamo;

// The 'bootstrap' of the provided.al2023 runtime: Lambda starts this process once per execution environment; it reads
// the runtime configuration, composes the handler and serves invocations until Lambda shuts the environment down.

var time = TimeProvider.System;
var coldStart = new ColdStartTimeline(time);
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
var loop = new InvocationLoop(runtime, log, sensitive, time, coldStart);

using var stopping = new CancellationTokenSource();
// Lambda sends SIGTERM before it ends an environment (when extensions are registered): leave the loop cleanly.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stopping.Cancel();
});

return await loop.RunAsync(cancellationToken => ComposeHandler(log, metrics, coldStart, cancellationToken), stopping.Token).ConfigureAwait(false);

// Composition: configuration from the environment -> AWS clients (counted) -> the auditor's handler, with its log and
// metrics ports bound to the runtime's JSON lines and Embedded Metric Format. Anything thrown here (a missing
// ALERT_TOPIC_ARN, no region, no credentials) is reported to Lambda as an init error and the process exits with code 1.
static Task<IInvocationHandler> ComposeHandler(JsonLineLogger log, EmbeddedMetricsWriter metrics, ColdStartTimeline coldStart, CancellationToken cancellationToken)
{
    cancellationToken.ThrowIfCancellationRequested();
    // Two start-up costs run in the background from the start of init: the action catalog the auditor needs (validated
    // and viewed in place in the executable) and the AWS calls' one-time local costs (OpenSSL, XML), which the first IAM
    // call would otherwise pay. Each on a thread of its own: CPU-bound work on the thread pool's few threads starved the
    // Runtime API client's I/O continuations (docs/benchmarks.md).
    _ = Task.Factory.StartNew(() => coldStart.Measure("catalogLoad", () => ActionCatalog.Default), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    _ = Task.Factory.StartNew(() => coldStart.Measure("awsWarmUp", AwsConnection.WarmUp), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    var settings = SettingsReader.FromEnvironment();
    // The connection lives as long as the process (one execution environment); Lambda ends it with the process.
    var aws = coldStart.Measure("awsConnection", () => AwsConnection.Open(new AwsConnectionOptions()));
    var dependencies = AuditDependencies.ForAws(aws.Ecs, aws.Iam, aws.Sns, settings.AccountId,
        new JsonLineAuditLog(log), new EmbeddedAuditMetrics(metrics), TimeProvider.System) with
    {
        // STATE_TABLE empty: stateless, every audit alerts what it finds (docs/state.md, "Modes").
        Findings = settings.StateTable is { } table ? new DynamoFindingStore(aws.DynamoDb, table, TimeProvider.System, settings.HistoryDays) : null,
        // Organization mode (ORGANIZATION_ID): member accounts through their reader role, the sweep fanned out over SQS.
        Members = settings.Organization is { } organization ? aws.OpenMemberAccounts(organization.ReaderRoleName, settings.AccountId) : null,
        Organizations = settings.Organization is { Accounts.IsEmpty: true } ? aws.Organizations : null,
        SweepQueue = settings.Organization is not null ? aws.Sqs : null,
        // SECURITY_HUB: findings imported into the function's own account's Security Hub (members' through their role).
        SecurityHub = settings.SecurityHub ? aws.SecurityHub : null,
    };
    // Built last, so the catalog has loaded beside the AWS clients and is rarely waited for; an unreadable catalog is
    // then an init error like any other composition failure.
    var handler = coldStart.Measure("auditor", () => new AuditInvocationHandler(settings, dependencies));
    log.Debug("Composed the auditor's handler");
    return Task.FromResult<IInvocationHandler>(handler);
}
