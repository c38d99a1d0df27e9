using System.Text.Json;

namespace EcsRoleAuditor.FakeLambdaRuntime;

/// <summary>What the runtime posted for one invocation (response or invocation error), or for init (init error).</summary>
/// <param name="RequestId">The invocation's request id; null for an init error.</param>
/// <param name="Kind">Response, invocation error or init error.</param>
/// <param name="Body">The posted body as text.</param>
/// <param name="ErrorTypeHeader">Lambda-Runtime-Function-Error-Type, when posted.</param>
/// <param name="ReceivedTimestamp">Stopwatch timestamp at which the post arrived (for the cold start benchmark).</param>
public sealed record RuntimeOutcome(string? RequestId, OutcomeKind Kind, string Body, string? ErrorTypeHeader, long ReceivedTimestamp)
{
    /// <summary>The body parsed as JSON (responses and error reports are JSON documents).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>The <c>errorType</c> member of an error body.</summary>
    public string? ErrorType => Kind == OutcomeKind.Response ? null : Json().GetProperty("errorType").GetString();

    /// <summary>The <c>errorMessage</c> member of an error body.</summary>
    public string? ErrorMessage => Kind == OutcomeKind.Response ? null : Json().GetProperty("errorMessage").GetString();
}

/// <summary>Which Runtime API endpoint an outcome was posted to.</summary>
public enum OutcomeKind
{
    /// <summary>POST /runtime/invocation/{id}/response.</summary>
    Response,
    /// <summary>POST /runtime/invocation/{id}/error.</summary>
    InvocationError,
    /// <summary>POST /runtime/init/error.</summary>
    InitError,
}
