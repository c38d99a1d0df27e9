namespace EcsRoleAuditor.FakeAws;

/// <summary>
/// Faults injected on demand, scoped by operation (<c>"*"</c> for all) and optionally by resource (a role name, a policy
/// ARN, a task definition family or reference, a topic ARN, a role ARN for AssumeRole, a queue URL for SendMessageBatch). Thread-safe; a fault with a count
/// is used up by that many matching calls. Each error fault answers in the service's own words (IAM <c>Throttling</c>,
/// ECS <c>ThrottlingException</c>, ...).
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _lock = new();
    private readonly List<Rule> _rules = [];
    private readonly List<(TimeSpan Delay, string[] Operations)> _latencies = [];

    internal enum Kind
    {
        Throttle,
        Fail,
        DenyAccess,
        Truncate,
        Malform,
        FailEntry,
    }

    /// <summary>Answers the next <paramref name="times"/> matching calls with the service's throttling error (400).</summary>
    public FaultPlan Throttle(string operation, int times = 1, string? resource = null) => Add(new Rule(Kind.Throttle, operation, resource, times));

    /// <summary>
    /// Answers the next <paramref name="times"/> matching calls with <paramref name="statusCode"/>: the service's server error
    /// (IAM <c>ServiceFailure</c>, ECS <c>ServerException</c>, SNS <c>InternalError</c>) for 500, <c>ServiceUnavailable</c> for 503,
    /// or <paramref name="errorCode"/> when given.
    /// </summary>
    public FaultPlan Fail(string operation, int statusCode = 500, int times = 1, string? resource = null, string? errorCode = null) =>
        Add(new Rule(Kind.Fail, operation, resource, times) { StatusCode = statusCode, ErrorCode = errorCode });

    /// <summary>
    /// Denies matching calls (IAM/STS <c>AccessDenied</c> 403, ECS <c>AccessDeniedException</c> 400, SNS <c>AuthorizationError</c> 403)
    /// with AWS's message: "User: arn:... is not authorized to perform: iam:GetRolePolicy on resource: role X ...".
    /// Until <see cref="Clear"/> unless <paramref name="times"/> is given.
    /// </summary>
    public FaultPlan DenyAccess(string operation, string? resource = null, int? times = null) => Add(new Rule(Kind.DenyAccess, operation, resource, times));

    /// <summary>
    /// Fails the entry with Id <paramref name="entryId"/> of the next <paramref name="times"/> SendMessageBatch calls that
    /// carry it: the call succeeds (200) and lists the entry under <c>Failed</c> with <paramref name="errorCode"/> and
    /// <paramref name="senderFault"/>, as SQS reports a partial failure; the other entries are accepted.
    /// </summary>
    public FaultPlan FailBatchEntry(string entryId, string errorCode = "InternalError", bool senderFault = false, int times = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        return Add(new Rule(Kind.FailEntry, "SendMessageBatch", entryId, times) { ErrorCode = errorCode, SenderFault = senderFault });
    }

    /// <summary>Adds <paramref name="delay"/> before answering each call of the given operations (all when none are given).</summary>
    public FaultPlan Latency(TimeSpan delay, params string[] operations)
    {
        lock (_lock)
        {
            _latencies.Add((delay, operations));
        }
        return this;
    }

    /// <summary>
    /// The next <paramref name="times"/> matching successful answers announce their full Content-Length, send half the body
    /// and drop the connection, as a connection lost mid-response looks to the client.
    /// </summary>
    public FaultPlan TruncateNext(string operation, int times = 1, string? resource = null) => Add(new Rule(Kind.Truncate, operation, resource, times));

    /// <summary>The next <paramref name="times"/> matching successful answers are status 200 with a complete HTTP body that is only half the document (unparseable).</summary>
    public FaultPlan MalformNext(string operation, int times = 1, string? resource = null) => Add(new Rule(Kind.Malform, operation, resource, times));

    /// <summary>Removes every fault and latency.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
            _latencies.Clear();
        }
    }

    /// <summary>The delay for a call of <paramref name="operation"/>: the largest matching latency.</summary>
    internal TimeSpan LatencyFor(string operation)
    {
        lock (_lock)
        {
            return _latencies
                .Where(l => l.Operations.Length == 0 || l.Operations.Contains(operation, StringComparer.Ordinal))
                .Select(l => l.Delay)
                .DefaultIfEmpty(TimeSpan.Zero)
                .Max();
        }
    }

    /// <summary>Takes (uses up one count of) the first matching fault of the given kinds, in the order they were added.</summary>
    internal Rule? Take(string operation, IReadOnlyList<string> resources, params Kind[] kinds)
    {
        lock (_lock)
        {
            var rule = _rules.FirstOrDefault(r => kinds.Contains(r.Fault) && r.Matches(operation, resources));
            if (rule?.Remaining is { } remaining)
            {
                rule.Remaining = remaining - 1;
                if (rule.Remaining == 0)
                {
                    _rules.Remove(rule);
                }
            }
            return rule;
        }
    }

    private FaultPlan Add(Rule rule)
    {
        ArgumentException.ThrowIfNullOrEmpty(rule.Operation);
        if (rule.Remaining is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), "times must be at least 1");
        }
        lock (_lock)
        {
            _rules.Add(rule);
        }
        return this;
    }

    internal sealed class Rule(Kind fault, string operation, string? resource, int? remaining)
    {
        public Kind Fault { get; } = fault;

        public string Operation { get; } = operation;

        public string? Resource { get; } = resource;

        /// <summary>Calls left, or null for no limit.</summary>
        public int? Remaining { get; set; } = remaining;

        public int StatusCode { get; init; }

        public string? ErrorCode { get; init; }

        public bool SenderFault { get; init; }

        public bool Matches(string operation, IReadOnlyList<string> resources) =>
            (Operation == "*" || Operation == operation) && (Resource is null || resources.Contains(Resource, StringComparer.Ordinal));
    }
}
