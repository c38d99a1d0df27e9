using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EcsRoleAuditor.FakeLambdaRuntime;

/// <summary>
/// An in-process Lambda Runtime API (2018-06-01) on 127.0.0.1 and a random port: tests queue events, the runtime under
/// test long-polls 'next' for them, and its responses, invocation errors and init errors are recorded for the test to
/// await. Written from the documented contract, independently of the runtime's client, so a mismatch shows up.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";
    private readonly WebApplication app;
    private readonly Channel<QueuedEvent> queue = Channel.CreateUnbounded<QueuedEvent>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimeOutcome>> outcomes = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<RuntimeOutcome> initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, bool> rejectedResponses = new(StringComparer.Ordinal);
    private int nextCalls;
    private int disposed;

    private FakeRuntimeApi(WebApplication app) => this.app = app;

    /// <summary>The value for AWS_LAMBDA_RUNTIME_API (host:port).</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>How many 'next' requests arrived so far (the runtime is waiting on the latest).</summary>
    public int NextCalls => Volatile.Read(ref nextCalls);

    /// <summary>Starts the fake on a free loopback port.</summary>
    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeRuntimeApi(app);
        fake.MapEndpoints();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.Address = new Uri(address).Authority;
        return fake;
    }

    /// <summary>Queues an event; returns its request id.</summary>
    public string Enqueue(string payload, FakeInvocation? invocation = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        invocation ??= new FakeInvocation();
        var requestId = invocation.RequestId ?? Guid.NewGuid().ToString();
        if (!outcomes.TryAdd(requestId, new TaskCompletionSource<RuntimeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously)))
        {
            throw new InvalidOperationException($"Request id {requestId} was queued already.");
        }
        var deadline = invocation.Deadline ?? DateTimeOffset.UtcNow.AddMinutes(15);
        queue.Writer.TryWrite(new QueuedEvent(requestId, Encoding.UTF8.GetBytes(payload), deadline, invocation.FunctionArn, invocation.TraceId));
        return requestId;
    }

    /// <summary>Answers the response post of <paramref name="requestId"/> with 500, to test that the runtime survives it.</summary>
    public void RejectResponseOf(string requestId) => rejectedResponses[requestId] = true;

    /// <summary>The response or invocation error posted for <paramref name="requestId"/>; fails after <paramref name="timeout"/>.</summary>
    public Task<RuntimeOutcome> OutcomeAsync(string requestId, TimeSpan timeout) =>
        outcomes.TryGetValue(requestId, out var outcome)
            ? outcome.Task.WaitAsync(timeout)
            : throw new ArgumentException($"Request id {requestId} was never queued.", nameof(requestId));

    /// <summary>The init error the runtime posted; fails after <paramref name="timeout"/>.</summary>
    public Task<RuntimeOutcome> InitErrorAsync(TimeSpan timeout) => initError.Task.WaitAsync(timeout);

    /// <summary>Whether an init error was posted.</summary>
    public bool InitErrorPosted => initError.Task.IsCompleted;

    /// <summary>Stops the server; a runtime still polling 'next' sees its connection close.</summary>
    public async ValueTask DisposeAsync()
    {
        // Tests stop the fake to simulate Lambda going away and dispose it again at the end.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        queue.Writer.TryComplete();
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private void MapEndpoints()
    {
        app.MapGet(Prefix + "/invocation/next", ServeNextAsync);
        app.MapPost(Prefix + "/invocation/{requestId}/response", context => RecordAsync(context, OutcomeKind.Response));
        app.MapPost(Prefix + "/invocation/{requestId}/error", context => RecordAsync(context, OutcomeKind.InvocationError));
        app.MapPost(Prefix + "/init/error", context => RecordAsync(context, OutcomeKind.InitError));
    }

    private async Task ServeNextAsync(HttpContext context)
    {
        Interlocked.Increment(ref nextCalls);
        QueuedEvent next;
        try
        {
            // Long-poll like Lambda: the request stays open until an event is queued.
            next = await queue.Reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            return;
        }
        if (context.RequestAborted.IsCancellationRequested)
        {
            // The poller went away (a killed process) between asking and receiving: the event goes to the next poller.
            queue.Writer.TryWrite(next);
            return;
        }
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = next.FunctionArn;
        if (next.TraceId is not null)
        {
            headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(next.Payload).ConfigureAwait(false);
    }

    private async Task RecordAsync(HttpContext context, OutcomeKind kind)
    {
        var received = Stopwatch.GetTimestamp();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
        if (kind == OutcomeKind.InitError)
        {
            initError.TrySetResult(new RuntimeOutcome(null, kind, body, errorType, received));
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }
        var requestId = (string)context.Request.RouteValues["requestId"]!;
        if (kind == OutcomeKind.Response && rejectedResponses.ContainsKey(requestId))
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        // Lambda answers 400 for an unknown request id and 403 for one that was answered already.
        if (!outcomes.TryGetValue(requestId, out var outcome))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        context.Response.StatusCode = outcome.TrySetResult(new RuntimeOutcome(requestId, kind, body, errorType, received))
            ? StatusCodes.Status202Accepted
            : StatusCodes.Status403Forbidden;
    }

    private sealed record QueuedEvent(string RequestId, byte[] Payload, DateTimeOffset Deadline, string FunctionArn, string? TraceId);
}
