using System.Globalization;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// One attempt of an AWS call got no complete answer within its limit. A <see cref="TimeoutException"/>, so the SDK's
/// retry policy retries it like the HttpClient timeouts it already knows; never thrown for the caller's cancellation.
/// It carries no inner exception on purpose: the SDK reads an aborted read inside ("the response ended prematurely") as
/// a stale pooled connection and retries that without counting the attempt, so a stalling endpoint was retried forever.
/// </summary>
internal sealed class AwsRequestTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for <paramref name="limit"/>.</summary>
    public AwsRequestTimeoutException(TimeSpan limit)
        : base($"request timed out after {Seconds(limit)} s")
    {
        Limit = limit;
    }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Limit { get; }

    private static string Seconds(TimeSpan limit) => limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
