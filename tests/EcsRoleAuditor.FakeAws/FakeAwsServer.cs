using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.FakeAws.Services;
using EcsRoleAuditor.FakeAws.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace EcsRoleAuditor.FakeAws;

/// <summary>
/// A fake AWS on 127.0.0.1 (random free port) that speaks the real wire protocols, so the AWS CLI, the AWS SDKs and our
/// clients can be pointed at it with an endpoint override. One endpoint serves every service, told apart as AWS would:
/// JSON requests by <c>X-Amz-Target</c> (ECS, Organizations, SQS, Secrets Manager, SSM), restJson1 requests by their path (Security Hub's
/// <c>/findings</c>), query requests by the SigV4 credential scope's service name (<c>iam</c>, <c>sns</c>, <c>sts</c>,
/// <c>sqs</c>), falling back to the <c>Action</c>. Unsigned requests get
/// <c>MissingAuthenticationToken</c>; signatures are not verified (any key signs).
/// It may serve several accounts and regions (<see cref="StartAsync(IEnumerable{FakeAccount}, FakeOrganization?, CancellationToken)"/>):
/// a request addresses its caller's account (keys from the fake's AssumeRole act as the assumed role, any other key as
/// the primary account's caller) and, for ECS, the region of its credential scope.
/// <code>
/// await using var aws = await FakeAwsServer.StartAsync(FakeAccount.Load("account.json", "task-definitions.json"));
/// aws.Faults.Throttle("GetRolePolicy", times: 2);
/// // ... point a client at aws.Endpoint ...
/// Assert.Equal(3, aws.CallCount("GetRolePolicy"));
/// </code>
/// </summary>
public sealed class FakeAwsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AccountIndex _account;
    private readonly JsonServiceHandler[] _jsonServices;
    private readonly QueryServiceHandler[] _queryServices;
    private readonly SecurityHubHandler _securityHub;
    private readonly ConcurrentQueue<PublishedMessage> _published = new();
    private readonly ConcurrentQueue<AssumedRole> _assumed = new();
    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private int _maxPageSize;
    private long _sessionLifetimeTicks;

    private FakeAwsServer(WebApplication app, AccountIndex accounts)
    {
        _app = app;
        _account = accounts;
        var sqs = new SqsBatch(_account, Faults, _sent);
        _jsonServices = [new EcsHandler(_account, PageCap), new OrganizationsHandler(_account, PageCap), new SqsJsonHandler(sqs), new SecretsManagerHandler(_account), new SsmHandler(_account, PageCap)];
        _queryServices = [new IamHandler(_account, PageCap), new SnsHandler(_account, _published), new StsHandler(_account, _assumed, SessionLifetimeNow), new SqsQueryHandler(sqs)];
        _securityHub = new SecurityHubHandler(_account, SecurityHub, PageCap);
        app.Run(HandleAsync);
    }

    /// <summary>Starts a server for <paramref name="account"/> (read now; later changes to the account are not seen).</summary>
    public static Task<FakeAwsServer> StartAsync(FakeAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return StartAsync([account], null, cancellationToken);
    }

    /// <summary>
    /// Starts a server for several accounts and regions (read now). Each <see cref="FakeAccount"/> is one account in one
    /// region; the first is the primary one, whose <see cref="FakeAccount.CallerArn"/> signs for keys the fake did not
    /// issue. An account's IAM state is the roles and policies of all its FakeAccounts (a role name twice is an
    /// <see cref="ArgumentException"/>), its ECS state in a region that FakeAccount's task definitions (none in regions
    /// without one; a server of one FakeAccount answers ECS in any region, as it always did).
    /// </summary>
    /// <param name="accounts">The accounts; the first is the primary one.</param>
    /// <param name="organization">The organization for Organizations ListAccounts and aws:PrincipalOrgID trust conditions, or null for none.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeAwsServer> StartAsync(IEnumerable<FakeAccount> accounts, FakeOrganization? organization = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var index = new AccountIndex([.. accounts], organization);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = new FakeAwsServer(builder.Build(), index);
        await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        server.Endpoint = new Uri(server._app.Urls.Single());
        return server;
    }

    /// <summary>The endpoint URL for every service, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>
    /// The environment a child process (the Lambda bootstrap, the CLI) needs to talk to this fake with the real AWS SDK
    /// or CLI: AWS_ENDPOINT_URL, test credentials, the region, empty profile files, no instance metadata.
    /// </summary>
    public Dictionary<string, string> ClientEnvironment()
    {
        var empty = Path.Combine(Path.GetTempPath(), "era-fake-aws-empty-config");
        File.WriteAllText(empty, "");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,
            ["AWS_ACCESS_KEY_ID"] = "AKIAFAKEAWSTESTKEY01",
            ["AWS_SECRET_ACCESS_KEY"] = "fake-aws-secret-access-key-not-real",
            ["AWS_SESSION_TOKEN"] = "fake-aws-session-token-not-real",
            ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/'),
            ["AWS_CONFIG_FILE"] = empty,
            ["AWS_SHARED_CREDENTIALS_FILE"] = empty,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
    }

    /// <summary>The primary account's id.</summary>
    public string AccountId => _account.AccountId;

    /// <summary>The primary account's region.</summary>
    public string Region => _account.Region;

    /// <summary>Every call answered, with its parameters, status, error code, Authorization header and SigV4 scope.</summary>
    public CallLog Calls { get; } = new();

    /// <summary>Faults to inject.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Security Hub's findings per account and region: seed them, read them, turn Security Hub off.</summary>
    public FakeSecurityHub SecurityHub { get; } = new();

    /// <summary>The messages SNS accepted, in order.</summary>
    public IReadOnlyList<PublishedMessage> Published => [.. _published];

    /// <summary>The successful AssumeRole calls, in order (denied ones are in <see cref="Calls"/>).</summary>
    public IReadOnlyList<AssumedRole> AssumedRoles => [.. _assumed];

    /// <summary>The messages SQS accepted (SendMessageBatch entries listed as Successful), in order.</summary>
    public IReadOnlyList<SentMessage> SentMessages => [.. _sent];

    /// <summary>
    /// Caps every list page (IAM MaxItems, ECS maxResults, Organizations and Security Hub MaxResults) at this many items; null (the default) for the services' own
    /// limits. Real services may return fewer items than asked, so clients must follow markers; this forces them to.
    /// </summary>
    public int? MaxPageSize
    {
        get => Volatile.Read(ref _maxPageSize) is var cap and > 0 ? cap : null;
        set => Volatile.Write(ref _maxPageSize, value is null ? 0 : value > 0 ? value.Value : throw new ArgumentOutOfRangeException(nameof(value)));
    }

    /// <summary>
    /// How long the sessions AssumeRole issues last, whatever DurationSeconds asks (STS's floor is 15 minutes); null (the
    /// default) for what was asked. A few seconds more than a client's renewal margin makes renewal testable in seconds.
    /// </summary>
    public TimeSpan? SessionLifetime
    {
        get => SessionLifetimeNow();
        set => Interlocked.Exchange(ref _sessionLifetimeTicks, value is null ? 0 : value > TimeSpan.Zero ? value.Value.Ticks : throw new ArgumentOutOfRangeException(nameof(value)));
    }

    /// <summary>How many calls of <paramref name="operation"/> were answered.</summary>
    public int CallCount(string operation) => Calls.Count(operation);

    /// <summary>Back to the state of a new server: no faults, records, page cap, session lifetime or Security Hub findings (for a server shared by several tests).</summary>
    public FakeAwsServer Reset()
    {
        Faults.Clear();
        ClearRecords();
        SecurityHub.Clear();
        MaxPageSize = null;
        SessionLifetime = null;
        return this;
    }

    /// <summary>Forgets recorded calls, published and sent messages and assumed roles (faults stay; see <see cref="FaultPlan.Clear"/>).</summary>
    public void ClearRecords()
    {
        Calls.Clear();
        _published.Clear();
        _assumed.Clear();
        _sent.Clear();
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private int? PageCap() => MaxPageSize;

    private TimeSpan? SessionLifetimeNow() => Interlocked.Read(ref _sessionLifetimeTicks) is var ticks and > 0 ? TimeSpan.FromTicks(ticks) : null;

    private async Task HandleAsync(HttpContext context)
    {
        var time = DateTimeOffset.UtcNow;
        var sequence = Calls.NextSequence();
        var requestId = Guid.NewGuid().ToString();
        var http = context.Request;
        string body;
        using (var reader = new StreamReader(http.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        var authorization = http.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null;
        var scope = SigV4Scope.FromAuthorization(authorization) ?? SigV4Scope.FromCredential(http.Query["X-Amz-Credential"]);
        var token = http.Headers["X-Amz-Security-Token"].ToString() is { Length: > 0 } tokenHeader ? tokenHeader : null;
        var target = http.Headers["X-Amz-Target"].ToString();

        using var parsed = target.Length > 0 ? ParseJson(target, body, scope, token)
            : SecurityHubHandler.Serves(http.Path.Value ?? "") ? ParseRest(http, body, scope, token)
            : ParseQuery(http, body, scope, token);
        var (handler, request) = (parsed.Handler, parsed.Request);
        string? fault = null;
        Reply reply;
        try
        {
            if (parsed.Error is { } parseError)
            {
                throw parseError;
            }
            if (scope is null)
            {
                throw parsed.Protocol != WireProtocol.Query
                    ? new AwsErrorException("MissingAuthenticationTokenException", 403, "Missing Authentication Token")
                    : new AwsErrorException("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
            }
            if (handler is null || !handler.Knows(request.Operation))
            {
                throw parsed.Protocol != WireProtocol.Query
                    ? new AwsErrorException("UnknownOperationException", 400, "")
                    : new AwsErrorException("InvalidAction", 400, $"Could not find operation {request.Operation} for version {request.Optional("Version")}");
            }
            var latency = Faults.LatencyFor(request.Operation);
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }
            var resource = handler.Target(request);
            if (Faults.Take(request.Operation, resource.Names, FaultPlan.Kind.DenyAccess, FaultPlan.Kind.Throttle, FaultPlan.Kind.Fail) is { } rule)
            {
                fault = rule.Fault.ToString();
                throw rule.Fault switch
                {
                    FaultPlan.Kind.DenyAccess => handler.Errors.AccessDenied(_account.CallerOf(scope).Arn, request.Operation, resource.Description),
                    FaultPlan.Kind.Throttle => handler.Errors.Throttling(),
                    _ => handler.Errors.Failure(rule.StatusCode, rule.ErrorCode),
                };
            }
            reply = new Reply(200, handler.Answer(request, requestId), handler.ContentType, null);
            if (Faults.Take(request.Operation, resource.Names, FaultPlan.Kind.Truncate, FaultPlan.Kind.Malform) is { } bodyRule)
            {
                fault = bodyRule.Fault.ToString();
                reply = reply with { Truncated = bodyRule.Fault == FaultPlan.Kind.Truncate, Body = bodyRule.Fault == FaultPlan.Kind.Malform ? reply.Body[..(reply.Body.Length / 2)] : reply.Body };
            }
        }
        catch (AwsErrorException error)
        {
            reply = ErrorReply(parsed.Protocol, handler, error, requestId);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up during an injected latency: nobody is left to answer.
            return;
        }

        Calls.Add(new RecordedCall(
            sequence, handler?.SigningName ?? scope?.Service ?? "unknown", request.Operation, request.Parameters,
            reply.StatusCode, reply.ErrorCode, scope, token, fault, time, authorization));
        await WriteAsync(context, reply, requestId).ConfigureAwait(false);
    }

    private ParsedRequest ParseJson(string target, string body, SigV4Scope? scope, string? token)
    {
        var handler = _jsonServices.FirstOrDefault(s => target.StartsWith(s.TargetPrefix, StringComparison.Ordinal));
        var operation = target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var errors = handler?.Errors ?? new ServiceErrors("", "", "", "", 400, "SerializationException");
        JsonDocument? document = null;
        AwsErrorException? error = null;
        try
        {
            document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        }
        catch (JsonException)
        {
            error = new AwsErrorException("SerializationException", 400, "Start of structure or map found where not expected.");
        }
        var json = document?.RootElement ?? default;
        return new ParsedRequest(WireProtocol.Json, handler, new AwsRequest(operation, JsonWire.Members(json), json, scope, token, errors), document, error);
    }

    private ParsedRequest ParseRest(HttpRequest http, string body, SigV4Scope? scope, string? token)
    {
        var operation = SecurityHubHandler.OperationOf(http.Method, http.Path.Value ?? "") ?? $"{http.Method} {http.Path}";
        JsonDocument? document = null;
        AwsErrorException? error = null;
        try
        {
            document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        }
        catch (JsonException)
        {
            error = _securityHub.Errors.Validation("The request body is not JSON.");
        }
        var json = document?.RootElement ?? default;
        if (error is null && json.ValueKind != JsonValueKind.Object)
        {
            error = _securityHub.Errors.Validation("The request body must be a JSON object.");
        }
        return new ParsedRequest(WireProtocol.RestJson, _securityHub, new AwsRequest(operation, JsonWire.Members(json), json, scope, token, _securityHub.Errors), document, error);
    }

    private ParsedRequest ParseQuery(HttpRequest http, string body, SigV4Scope? scope, string? token)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in QueryHelpers.ParseQuery(http.QueryString.Value).Concat(QueryHelpers.ParseQuery(body)))
        {
            parameters[name] = values.ToString();
        }
        var operation = parameters.GetValueOrDefault("Action") ?? "";
        // The credential scope names the service, as AWS's front end routes it; the Action decides when the scope names none of ours.
        var handler = _queryServices.FirstOrDefault(s => s.SigningName == scope?.Service)
            ?? _queryServices.FirstOrDefault(s => s.Knows(operation));
        var errors = handler?.Errors ?? new ServiceErrors("", "", "", "", 400, "ValidationError");
        return new ParsedRequest(WireProtocol.Query, handler, new AwsRequest(operation, parameters, default, scope, token, errors), null, null);
    }

    private static Reply ErrorReply(WireProtocol protocol, ServiceHandler? handler, AwsErrorException error, string requestId) =>
        handler is not null
            ? new Reply(error.StatusCode, handler.WriteError(error, requestId), handler.ContentType, error.Code) { Headers = [.. handler.ErrorHeaders(error)] }
            : protocol == WireProtocol.Json
                ? new Reply(error.StatusCode, JsonWire.Error(error), "application/x-amz-json-1.1", error.Code)
                : new Reply(error.StatusCode, QueryXml.Error("", error, requestId), "text/xml", error.Code);

    private static async Task WriteAsync(HttpContext context, Reply reply, string requestId)
    {
        var response = context.Response;
        response.StatusCode = reply.StatusCode;
        response.ContentType = reply.ContentType;
        response.Headers["x-amzn-RequestId"] = requestId;
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }
        response.ContentLength = reply.Body.Length;
        if (reply.Truncated)
        {
            await response.Body.WriteAsync(reply.Body.AsMemory(0, reply.Body.Length / 2), context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
            return;
        }
        await response.Body.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record Reply(int StatusCode, byte[] Body, string ContentType, string? ErrorCode, bool Truncated = false)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    }

    private sealed record ParsedRequest(WireProtocol Protocol, ServiceHandler? Handler, AwsRequest Request, JsonDocument? Document, AwsErrorException? Error) : IDisposable
    {
        public void Dispose() => Document?.Dispose();
    }
}
