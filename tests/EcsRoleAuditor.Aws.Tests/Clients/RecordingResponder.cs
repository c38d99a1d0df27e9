using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>A request as it arrived on the wire.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The form parameters of an awsQuery body, decoded.</summary>
    public IReadOnlyDictionary<string, string> Form
    {
        get
        {
            var form = HttpUtility.ParseQueryString(Body);
            return form.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => form[k]!, StringComparer.Ordinal);
        }
    }

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException(name);

    /// <summary>The credential scope of the SigV4 Authorization header: access key, date, region, service.</summary>
    public (string AccessKey, string Region, string Service) CredentialScope
    {
        get
        {
            var match = Regex.Match(Header("Authorization"), @"^AWS4-HMAC-SHA256 Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$");
            Assert.True(match.Success, "not a SigV4 Authorization header: " + Header("Authorization"));
            return (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        }
    }
}

/// <summary>A canned response, with extra headers when given.</summary>
public sealed record CannedResponse(HttpStatusCode Status, string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A loopback HTTP server for client tests: answers each request with the next canned response (the last one repeats)
/// and records what it received.
/// </summary>
public sealed class RecordingResponder : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<CannedResponse> responses = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly Task loop;
    private CannedResponse? last;

    public RecordingResponder()
    {
        Url = $"http://127.0.0.1:{FreePort()}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public RecordedRequest OnlyRequest => Assert.Single(requests);

    public RecordingResponder Xml(string body, HttpStatusCode status = HttpStatusCode.OK) => Enqueue(new(status, "text/xml", body));

    public RecordingResponder Json(string body, HttpStatusCode status = HttpStatusCode.OK) => Enqueue(new(status, "application/x-amz-json-1.1", body));

    /// <summary>An awsJson1_0 answer (SQS, DynamoDB), with headers such as SQS's <c>x-amzn-query-error</c>.</summary>
    public RecordingResponder Json10(string body, HttpStatusCode status = HttpStatusCode.OK, IReadOnlyDictionary<string, string>? headers = null) =>
        Enqueue(new(status, "application/x-amz-json-1.0", body, headers));

    /// <summary>A restJson1 answer (Security Hub), with headers such as <c>x-amzn-ErrorType</c>.</summary>
    public RecordingResponder RestJson(string body, HttpStatusCode status = HttpStatusCode.OK, IReadOnlyDictionary<string, string>? headers = null) =>
        Enqueue(new(status, "application/json", body, headers));

    public RecordingResponder Enqueue(CannedResponse response)
    {
        responses.Enqueue(response);
        return this;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync: that is how the loop ends.
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, await reader.ReadToEndAsync()));
            }

            var response = responses.TryDequeue(out var next) ? last = next : last ?? new CannedResponse(HttpStatusCode.NotImplemented, "text/plain", "no canned response");
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.StatusCode = (int)response.Status;
            context.Response.ContentType = response.ContentType;
            context.Response.Headers["x-amzn-RequestId"] = "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE";
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
