using System.Xml.Linq;
using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>An operation of a query-protocol service: the children of its <c>Result</c> element, and what it is about.</summary>
internal sealed record QueryOperation(Func<AwsRequest, IEnumerable<XElement>> Answer, Func<AwsRequest, FaultTarget>? Target = null);

/// <summary>A query-protocol service (IAM, SNS, STS): XML results in the service's namespace, XML errors.</summary>
internal abstract class QueryServiceHandler : ServiceHandler
{
    private readonly XNamespace _namespace;
    private readonly Dictionary<string, QueryOperation> _operations = new(StringComparer.Ordinal);

    protected QueryServiceHandler(string xmlNamespace)
    {
        _namespace = xmlNamespace;
    }

    protected void Add(string operation, Func<AwsRequest, IEnumerable<XElement>> answer, Func<AwsRequest, FaultTarget>? target = null) =>
        _operations.Add(operation, new QueryOperation(answer, target));

    public override WireProtocol Protocol => WireProtocol.Query;

    public override string ContentType => "text/xml";

    public override bool Knows(string operation) => _operations.ContainsKey(operation);

    public override FaultTarget Target(AwsRequest request) =>
        _operations[request.Operation].Target?.Invoke(request) ?? FaultTarget.Any;

    public override byte[] Answer(AwsRequest request, string requestId) =>
        QueryXml.Result(_namespace, request.Operation, _operations[request.Operation].Answer(request), requestId);

    public override byte[] WriteError(AwsErrorException error, string requestId) => QueryXml.Error(_namespace, error, requestId);
}
