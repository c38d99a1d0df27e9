using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.Lambda.Hosting;
using EcsRoleAuditor.Lambda.Observability;
using EcsRoleAuditor.Lambda.Tests.Observability;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>The invocation loop running in process against the fake Runtime API, its log captured.</summary>
internal sealed class LoopHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource stopping = new();
    private readonly RuntimeApiClient client;
    private readonly MemoryStream logOutput = new();

    private LoopHarness(FakeRuntimeApi runtime, Func<CancellationToken, Task<IInvocationHandler>> compose, TimeProvider time,
        SensitiveValues sensitive, ColdStartTimeline? coldStart)
    {
        Runtime = runtime;
        client = new RuntimeApiClient(runtime.Address);
        var log = new JsonLineLogger(logOutput, LogLevel.Debug, time, sensitive);
        var loop = new InvocationLoop(client, log, sensitive, time, coldStart);
        Loop = Task.Run(() => loop.RunAsync(compose, stopping.Token));
    }

    public FakeRuntimeApi Runtime { get; }

    /// <summary>The loop's exit code once it ends.</summary>
    public Task<int> Loop { get; }

    public static async Task<LoopHarness> StartAsync(IInvocationHandler handler, TimeProvider? time = null,
        SensitiveValues? sensitive = null, ColdStartTimeline? coldStart = null) =>
        await StartAsync(_ => Task.FromResult(handler), time, sensitive, coldStart);

    public static async Task<LoopHarness> StartAsync(Func<CancellationToken, Task<IInvocationHandler>> compose, TimeProvider? time = null,
        SensitiveValues? sensitive = null, ColdStartTimeline? coldStart = null)
    {
        var runtime = await FakeRuntimeApi.StartAsync();
        return new LoopHarness(runtime, compose, time ?? TimeProvider.System, sensitive ?? SensitiveValues.None, coldStart);
    }

    public Task<RuntimeOutcome> InvokeAsync(string payload, FakeInvocation? invocation = null) =>
        Runtime.OutcomeAsync(Runtime.Enqueue(payload, invocation), Patience);

    public string LogText()
    {
        // The logger writes whole lines under its own lock; reading after the outcome the line precedes is enough.
        return System.Text.Encoding.UTF8.GetString(logOutput.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        await Loop.WaitAsync(Patience);
        client.Dispose();
        await Runtime.DisposeAsync();
        stopping.Dispose();
    }
}

/// <summary>A handler whose behaviour each test supplies.</summary>
internal sealed class DelegateHandler(Func<ReadOnlyMemory<byte>, InvocationContext, CancellationToken, Task<string>> handle) : IInvocationHandler
{
    public Task<string> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken) =>
        handle(payload, context, cancellationToken);
}
