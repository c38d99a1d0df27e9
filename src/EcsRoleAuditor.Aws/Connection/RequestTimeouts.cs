namespace EcsRoleAuditor.Aws.Connection;

/// <summary>
/// How long one HTTP request to AWS may take, per attempt of the SDK's retries: without limits a silent endpoint (one
/// that accepts the connection and never answers) holds a call for HttpClient's 100 s on each attempt.
/// </summary>
public static class RequestTimeouts
{
    /// <summary>From sending the request to the response's headers (the SDK's <c>ClientConfig.Timeout</c>).</summary>
    public static TimeSpan TimeToFirstByte { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The default limit of one whole request, connection to last byte of the body.</summary>
    public static TimeSpan Request { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest request limit accepted: longer than any IAM or ECS answer, shorter than Lambda's 15 minutes.</summary>
    public static TimeSpan MaximumRequest { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The time to first byte that goes with a request limit: never longer than the request itself.</summary>
    public static TimeSpan TimeToFirstByteWithin(TimeSpan request) => request < TimeToFirstByte ? request : TimeToFirstByte;

    /// <summary>Throws unless <paramref name="request"/> is more than zero and at most <see cref="MaximumRequest"/>.</summary>
    public static void Validate(TimeSpan request)
    {
        if (request <= TimeSpan.Zero || request > MaximumRequest)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request, $"a request timeout must be more than 0 and at most {MaximumRequest.TotalSeconds:0} seconds");
        }
    }
}
