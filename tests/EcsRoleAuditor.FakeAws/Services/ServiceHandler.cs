using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>What a request is about, for fault scoping and access-denied messages.</summary>
/// <param name="Names">Names a fault's resource may match (e.g. the role name, a policy ARN, a task definition family).</param>
/// <param name="Description">The resource as IAM names it in access-denied messages (<c>role web</c>, <c>policy arn:...</c>, <c>*</c>).</param>
internal sealed record FaultTarget(IReadOnlyList<string> Names, string Description)
{
    public static readonly FaultTarget Any = new([], "*");

    public static FaultTarget Of(string? name, string description) => name is null ? Any : new([name], description);
}

/// <summary>One AWS service of the fake: its wire vocabulary, its operations, and how it writes answers.</summary>
internal abstract class ServiceHandler
{
    /// <summary>The SigV4 signing name (<c>iam</c>, <c>ecs</c>, <c>sns</c>, <c>sts</c>, <c>organizations</c>, <c>sqs</c>).</summary>
    public abstract string SigningName { get; }

    public abstract WireProtocol Protocol { get; }

    public abstract string ContentType { get; }

    public abstract ServiceErrors Errors { get; }

    public abstract bool Knows(string operation);

    public abstract FaultTarget Target(AwsRequest request);

    /// <summary>The response body of a successful call; throws <see cref="AwsErrorException"/> for error answers.</summary>
    public abstract byte[] Answer(AwsRequest request, string requestId);

    public abstract byte[] WriteError(AwsErrorException error, string requestId);

    /// <summary>Headers an error answer carries besides the body (SQS's <c>x-amzn-query-error</c>).</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> ErrorHeaders(AwsErrorException error) => [];
}
