using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace EcsRoleAuditor.FakeAws.Wire;

/// <summary>The XML of the query protocol: result envelopes, error envelopes, lists of <c>member</c>s, timestamps.</summary>
internal static class QueryXml
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = true, OmitXmlDeclaration = false };

    /// <summary><c>&lt;OpResponse xmlns=ns&gt;&lt;OpResult&gt;...&lt;/OpResult&gt;&lt;ResponseMetadata&gt;&lt;RequestId&gt;</c>.</summary>
    public static byte[] Result(XNamespace ns, string operation, IEnumerable<XElement> result, string requestId) =>
        Write(ns, new XElement(
            operation + "Response",
            new XElement(operation + "Result", result),
            new XElement("ResponseMetadata", new XElement("RequestId", requestId))));

    /// <summary><c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type/&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>.</summary>
    public static byte[] Error(XNamespace ns, AwsErrorException error, string requestId) =>
        Write(ns, new XElement(
            "ErrorResponse",
            new XElement("Error", new XElement("Type", error.FaultType), new XElement("Code", error.Code), new XElement("Message", error.Message)),
            new XElement("RequestId", requestId)));

    /// <summary>A list element holding one <c>member</c> per item.</summary>
    public static XElement List<T>(string name, IEnumerable<T> items, Func<T, object> member) =>
        new(name, items.Select(item => new XElement("member", member(item))));

    /// <summary>A text element, or null (skipped by XElement) when the value is null.</summary>
    public static XElement? Optional(string name, string? value) => value is null ? null : new XElement(name, value);

    /// <summary>An ISO 8601 timestamp in UTC, as the query services write them.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A boolean as the query services write it.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A policy document as IAM returns it: percent-encoded (RFC 3986 unreserved characters kept).</summary>
    public static string PolicyDocument(string json) => Uri.EscapeDataString(json);

    private static byte[] Write(XNamespace ns, XElement root)
    {
        // Built without namespaces for brevity; the whole tree lives in the service's namespace, as AWS writes it.
        foreach (var element in root.DescendantsAndSelf())
        {
            element.Name = ns + element.Name.LocalName;
        }
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, Settings))
        {
            root.WriteTo(writer);
        }
        return stream.ToArray();
    }
}
