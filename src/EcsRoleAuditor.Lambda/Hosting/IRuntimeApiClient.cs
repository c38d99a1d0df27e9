namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) as the invocation loop uses it. An interface so the loop is tested
/// without Lambda, and so a later move to the official runtime client replaces one class.
/// </summary>
public interface IRuntimeApiClient
{
    /// <summary>Waits (without a timeout: Lambda freezes the environment while there is no event) for the next event.</summary>
    Task<NextInvocation> NextInvocationAsync(CancellationToken cancellationToken);

    /// <summary>Posts the handler's response body for <paramref name="requestId"/>.</summary>
    Task PostResponseAsync(string requestId, string body, CancellationToken cancellationToken);

    /// <summary>Reports that the invocation <paramref name="requestId"/> failed, so Lambda retries or dead-letters it.</summary>
    Task PostInvocationErrorAsync(string requestId, RuntimeErrorReport report, CancellationToken cancellationToken);

    /// <summary>Reports that the function could not initialize; the process exits afterwards.</summary>
    Task PostInitErrorAsync(RuntimeErrorReport report, CancellationToken cancellationToken);
}
