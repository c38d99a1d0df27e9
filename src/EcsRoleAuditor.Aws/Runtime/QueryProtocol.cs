using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>An awsQuery request: the operation (the <c>Action</c> parameter) and its form parameters (lists already flattened to <c>Name.member.N</c>).</summary>
internal sealed class QueryRequest(AwsOperation operation) : AmazonWebServiceRequest, IOperationRequest
{
    /// <summary>The operation; its name is the <c>Action</c> parameter.</summary>
    public AwsOperation Operation { get; } = operation;

    /// <summary>The parameters other than Action and Version.</summary>
    public List<KeyValuePair<string, string>> Parameters { get; } = [];

    /// <summary>Adds a parameter unless <paramref name="value"/> is null.</summary>
    public QueryRequest With(string name, string? value)
    {
        if (value is not null)
        {
            Parameters.Add(new(name, value));
        }

        return this;
    }

    /// <summary>Adds a list as <c>Name.member.1</c>, <c>Name.member.2</c>, ...</summary>
    public QueryRequest WithList(string name, IEnumerable<string> values)
    {
        var index = 0;
        foreach (var value in values)
        {
            index++;
            Parameters.Add(new(string.Create(CultureInfo.InvariantCulture, $"{name}.member.{index}"), value));
        }

        return this;
    }
}

/// <summary>Writes a <see cref="QueryRequest"/> as the POST form body awsQuery services expect.</summary>
internal sealed class QueryRequestMarshaller(ServiceDescription service) : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    /// <inheritdoc />
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var query = (QueryRequest)input;
        var request = new DefaultRequest(query, "Amazon." + service.ServiceId) { HttpMethod = "POST" };
        request.Parameters["Action"] = query.Operation.Name;
        request.Parameters["Version"] = service.ApiVersion;
        foreach (var (name, value) in query.Parameters)
        {
            request.Parameters[name] = value;
        }

        request.ContentStream = AWSSDKUtils.WriteParametersToPooledStream(request);
        return request;
    }
}

/// <summary>An awsQuery response: the <c>&lt;ActionResult&gt;</c> element (empty when the action has none).</summary>
internal sealed class QueryResponse : AmazonWebServiceResponse
{
    /// <summary>The result element.</summary>
    public XElement Result { get; set; } = new("Result");
}

/// <summary>
/// Reads one operation's awsQuery XML with <see cref="XmlReader"/>/<see cref="XElement"/> (no XmlSerializer, so AOT-safe)
/// and turns error bodies into the service's exception types; a body that is not XML is an unmarshalling error.
/// </summary>
internal sealed class QueryResponseReader(string serviceId, AwsOperation operation, long maxBodyBytes = BoundedReadStream.DefaultLimit) : XmlResponseUnmarshaller
{
    /// <summary>How responses are read: no DTDs, no external resolution, whitespace ignored.</summary>
    internal static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };

    /// <inheritdoc />
    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // The context's own cursor would consume the stream; the whole document is read here instead.
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new BoundedReadStream(input.Stream, maxBodyBytes), ReaderSettings);
            root = XElement.Load(reader);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            throw UnreadableResponse.For(serviceId, operation.Name, input.ResponseData?.GetHeaderValue("x-amzn-RequestId"), e);
        }

        var requestId = root.Child("ResponseMetadata")?.Text("RequestId");
        // Every operation answers <{Operation}Result>. Without it the lists below it would read as empty, and an empty
        // list is a clean answer ("no policies"): an answer of the wrong shape must be unreadable instead.
        var result = root.Child(operation.Name + "Result")
            ?? throw UnreadableResponse.For(serviceId, operation.Name, requestId ?? input.ResponseData?.GetHeaderValue("x-amzn-RequestId"),
                new FormatException($"the answer has no <{operation.Name}Result> element"));
        var response = new QueryResponse { Result = result };
        if (requestId is not null)
        {
            response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
        }

        return response;
    }

    /// <inheritdoc />
    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(input);
        return new AwsServiceException(serviceId, ServiceError.From(error, innerException, statusCode));
    }
}

/// <summary>Reading awsQuery result elements by local name.</summary>
internal static class QueryXml
{
    /// <summary>The first child element named <paramref name="localName"/>, or null.</summary>
    public static XElement? Child(this XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>The text of the child <paramref name="localName"/>, or null when absent.</summary>
    public static string? Text(this XElement element, string localName) => element.Child(localName)?.Value;

    /// <summary>The text of the child <paramref name="localName"/>; a missing required field is a protocol error.</summary>
    public static string RequiredText(this XElement element, string localName) =>
        element.Text(localName) ?? throw new AmazonUnmarshallingException(string.Empty, element.Name.LocalName + "/" + localName, new FormatException($"<{localName}> is missing"));

    /// <summary>The <c>&lt;member&gt;</c> elements of the list child <paramref name="localName"/>.</summary>
    public static IEnumerable<XElement> Members(this XElement element, string localName) =>
        element.Child(localName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    /// <summary>True when the child <paramref name="localName"/> is <c>true</c>.</summary>
    public static bool Flag(this XElement element, string localName) =>
        string.Equals(element.Text(localName), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The marker of the next page: <c>Marker</c> when <c>IsTruncated</c>, else null.</summary>
    public static string? NextMarker(this XElement result) => result.Flag("IsTruncated") ? result.Text("Marker") : null;

    /// <summary>A URL-encoded policy document, decoded (percent-decoding only: a literal <c>+</c> stays a plus).</summary>
    public static string Document(this XElement element, string localName) => Uri.UnescapeDataString(element.RequiredText(localName));
}
