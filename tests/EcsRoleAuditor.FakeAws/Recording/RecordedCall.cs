namespace EcsRoleAuditor.FakeAws;

/// <summary>One request the fake answered.</summary>
/// <param name="Sequence">The order of arrival (1, 2, ...).</param>
/// <param name="Service">The service that answered (<c>iam</c>, <c>ecs</c>, <c>sns</c>, <c>sts</c>), or the signing name when none did.</param>
/// <param name="Operation">The operation (query <c>Action</c>, or the part of <c>X-Amz-Target</c> after the dot).</param>
/// <param name="Parameters">The query parameters, or the JSON body's top-level members (non-strings as JSON text).</param>
/// <param name="StatusCode">The HTTP status returned.</param>
/// <param name="ErrorCode">The wire error code returned, or null on success.</param>
/// <param name="Scope">The SigV4 credential scope, or null for unsigned requests.</param>
/// <param name="SecurityToken">The <c>X-Amz-Security-Token</c>, or null.</param>
/// <param name="Fault">The injected fault that shaped the answer (<c>Throttle</c>, <c>Fail</c>, <c>DenyAccess</c>, <c>Truncate</c>, <c>Malform</c>), or null.</param>
/// <param name="Time">When the request arrived.</param>
/// <param name="Authorization">The <c>Authorization</c> header as received (SigV4: algorithm, credential scope, signed headers, signature), or null.</param>
public sealed record RecordedCall(
    long Sequence,
    string Service,
    string Operation,
    IReadOnlyDictionary<string, string> Parameters,
    int StatusCode,
    string? ErrorCode,
    SigV4Scope? Scope,
    string? SecurityToken,
    string? Fault,
    DateTimeOffset Time,
    string? Authorization = null);
