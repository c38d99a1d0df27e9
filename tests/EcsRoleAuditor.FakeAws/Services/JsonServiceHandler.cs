using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>A JSON-protocol service (ECS, Organizations, SQS): operations told apart by <c>X-Amz-Target</c>, errors as <c>{"__type","message"}</c>.</summary>
internal abstract class JsonServiceHandler : ServiceHandler
{
    private readonly Dictionary<string, Func<AwsRequest, byte[]>> _operations = new(StringComparer.Ordinal);

    /// <summary>The <c>X-Amz-Target</c> prefix, dot included (e.g. <c>AmazonEC2ContainerServiceV20141113.</c>).</summary>
    public abstract string TargetPrefix { get; }

    public override WireProtocol Protocol => WireProtocol.Json;

    public override string ContentType => "application/x-amz-json-1.1";

    public override bool Knows(string operation) => _operations.ContainsKey(operation);

    public override FaultTarget Target(AwsRequest request) => FaultTarget.Any;

    public override byte[] Answer(AwsRequest request, string requestId) => _operations[request.Operation](request);

    public override byte[] WriteError(AwsErrorException error, string requestId) => JsonWire.Error(error);

    protected void Add(string operation, Func<AwsRequest, byte[]> answer) => _operations.Add(operation, answer);

    /// <summary>Reads an optional integer member within [min, max]; other values are the service's validation error.</summary>
    protected int? Integer(AwsRequest request, string name, int min, int max)
    {
        if (!request.Json.TryGetProperty(name, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            return null;
        }
        return value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : throw Errors.Validation($"{name} must be between {min} and {max}.");
    }
}
