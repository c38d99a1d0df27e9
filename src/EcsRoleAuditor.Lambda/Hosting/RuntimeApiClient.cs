using EcsRoleAuditor.EventAudit.Handling;
using System.Globalization;
using System.Net.Http.Headers;

namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>
/// The Runtime API over HTTP: <c>http://{AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/...</c>. A thin client of the
/// documented contract (next, response, invocation error, init error); nothing is retried, because every call is to a
/// local endpoint that fails only when Lambda is tearing the environment down. No interface: the loop's tests run it
/// against an HTTP fake of the Runtime API (tests/EcsRoleAuditor.FakeLambdaRuntime), which also checks the wire format.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    /// <summary>The environment variable that holds the Runtime API's host:port.</summary>
    public const string AddressVariable = "AWS_LAMBDA_RUNTIME_API";

    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient http;

    /// <summary>Creates a client of the Runtime API at <paramref name="address"/> (host:port, as Lambda sets it).</summary>
    public RuntimeApiClient(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var handler = new SocketsHttpHandler
        {
            // The endpoint is local: a proxy configured for the function's outbound calls must not capture it.
            UseProxy = false,
            // One connection lives for the whole environment; recycling it would only add latency to 'next'.
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{address.Trim()}/2018-06-01/runtime/", UriKind.Absolute),
            // 'next' long-polls until an event arrives, which can be minutes (Lambda freezes the process meanwhile).
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits (without a timeout: Lambda freezes the environment while there is no event) for the next event.</summary>
    public async Task<NextInvocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("invocation/next", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead,
            cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidDataException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new InvalidDataException("The Runtime API sent an invocation without a valid Lambda-Runtime-Deadline-Ms.");
        var context = new InvocationContext(requestId, deadline, Header(response, "Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
            Header(response, "Lambda-Runtime-Trace-Id"));
        return new NextInvocation(context, payload);
    }

    /// <summary>Posts the handler's response body for <paramref name="requestId"/>.</summary>
    public async Task PostResponseAsync(string requestId, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body ?? "null");
        content.Headers.ContentType = JsonContentType;
        await PostAsync(InvocationPath(requestId, "response"), content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports that the invocation <paramref name="requestId"/> failed, so Lambda retries or dead-letters it.</summary>
    public Task PostInvocationErrorAsync(string requestId, RuntimeErrorReport report, CancellationToken cancellationToken) =>
        PostErrorAsync(InvocationPath(requestId, "error"), report, cancellationToken);

    /// <summary>Reports that the function could not initialize; the process exits afterwards.</summary>
    public Task PostInitErrorAsync(RuntimeErrorReport report, CancellationToken cancellationToken) =>
        PostErrorAsync(new Uri("init/error", UriKind.Relative), report, cancellationToken);

    public void Dispose() => http.Dispose();

    private static Uri InvocationPath(string requestId, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return new Uri($"invocation/{Uri.EscapeDataString(requestId)}/{action}", UriKind.Relative);
    }

    private async Task PostErrorAsync(Uri path, RuntimeErrorReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var content = new ByteArrayContent(report.ToJsonUtf8());
        content.Headers.ContentType = JsonContentType;
        await PostAsync(path, content, cancellationToken, report.ErrorType).ConfigureAwait(false);
    }

    private async Task PostAsync(Uri path, HttpContent content, CancellationToken cancellationToken, string? errorType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // 202 Accepted is the documented answer; 400/403/413 (bad request id, already answered, too large) throw here.
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
