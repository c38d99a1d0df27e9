using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>SNS (query protocol, 2010-03-31): Publish, with SNS's parameter limits; accepted messages are captured.</summary>
internal sealed class SnsHandler : QueryServiceHandler
{
    /// <summary>SNS's limit for a message and its attributes together (256 KiB).</summary>
    public const int MaxMessageBytes = 262_144;

    // SNS's API model: ThrottledException is code Throttled, status 429.
    private static readonly ServiceErrors SnsErrors = new("SNS", "Throttled", "InternalError", "AuthorizationError", 403, "InvalidParameter", ThrottlingStatus: 429);

    private readonly AccountIndex _account;
    private readonly ConcurrentQueue<PublishedMessage> _published;

    public SnsHandler(AccountIndex account, ConcurrentQueue<PublishedMessage> published)
        : base("http://sns.amazonaws.com/doc/2010-03-31/")
    {
        _account = account;
        _published = published;
        Add("Publish", Publish, r => FaultTarget.Of(r.Optional("TopicArn"), r.Optional("TopicArn") ?? "*"));
    }

    public override string SigningName => "sns";

    public override ServiceErrors Errors => SnsErrors;

    private IEnumerable<XElement> Publish(AwsRequest request)
    {
        var topic = request.Optional("TopicArn") ?? request.Optional("TargetArn")
            ?? throw Invalid("TopicArn or TargetArn Reason: no value for required parameter");
        var message = request.Optional("Message") is { Length: > 0 } text ? text : throw Invalid("Empty message");
        var subject = request.Optional("Subject");
        if (subject is not null && !IsValidSubject(subject))
        {
            throw Invalid("Subject");
        }
        var structure = request.Optional("MessageStructure");
        if (structure is not null)
        {
            CheckStructure(structure, message);
        }
        var attributes = Attributes(request);
        var size = Encoding.UTF8.GetByteCount(message) + attributes.Sum(a =>
            Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value.DataType)
            + Encoding.UTF8.GetByteCount(a.Value.StringValue ?? a.Value.BinaryValue ?? ""));
        if (size > MaxMessageBytes)
        {
            throw Invalid("Message too long");
        }
        if (!_account.Topics.Contains(topic))
        {
            throw new AwsErrorException("NotFound", 404, "Topic does not exist");
        }
        var messageId = Guid.NewGuid().ToString();
        _published.Enqueue(new PublishedMessage(messageId, topic, subject, message, structure, attributes, DateTimeOffset.UtcNow));
        return [new XElement("MessageId", messageId)];
    }

    /// <summary>SNS: ASCII, starts with a letter, digit or punctuation, no line breaks or control characters, at most 100 characters.</summary>
    private static bool IsValidSubject(string subject) =>
        subject.Length is > 0 and <= 100
        && subject.All(c => c is >= ' ' and <= '~')
        && (char.IsAsciiLetterOrDigit(subject[0]) || char.IsPunctuation(subject[0]) || char.IsSymbol(subject[0]));

    private static void CheckStructure(string structure, string message)
    {
        if (structure != "json")
        {
            throw Invalid("MessageStructure");
        }
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("Message Structure - JSON message body failed to parse");
            }
            if (!document.RootElement.TryGetProperty("default", out _))
            {
                throw Invalid("Message Structure - No default entry in JSON message body");
            }
        }
        catch (JsonException)
        {
            throw Invalid("Message Structure - JSON message body failed to parse");
        }
    }

    private static Dictionary<string, PublishedAttributeValue> Attributes(AwsRequest request)
    {
        var attributes = new Dictionary<string, PublishedAttributeValue>(StringComparer.Ordinal);
        for (var i = 1; request.Optional($"MessageAttributes.entry.{i}.Name") is { } name; i++)
        {
            var prefix = $"MessageAttributes.entry.{i}.Value.";
            var type = request.Optional(prefix + "DataType") ?? throw Invalid($"The message attribute '{name}' must contain non-empty message attribute type.", "ParameterValueInvalid");
            var attribute = new PublishedAttributeValue(type, request.Optional(prefix + "StringValue"), request.Optional(prefix + "BinaryValue"));
            CheckAttribute(name, attribute);
            attributes[name] = attribute;
        }
        return attributes;
    }

    private static void CheckAttribute(string name, PublishedAttributeValue attribute)
    {
        var baseType = attribute.DataType.Split('.')[0];
        if (baseType is not ("String" or "Number" or "Binary"))
        {
            throw Invalid($"The message attribute '{name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", "ParameterValueInvalid");
        }
        var value = baseType == "Binary" ? attribute.BinaryValue : attribute.StringValue;
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid($"The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{attribute.DataType}'.", "ParameterValueInvalid");
        }
        var valid = attribute.DataType switch
        {
            "Number" => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            "String.Array" => IsJsonArray(value),
            _ => true,
        };
        if (!valid)
        {
            throw Invalid($"The message attribute '{name}' with type '{attribute.DataType}' has an invalid value.", "ParameterValueInvalid");
        }
    }

    private static bool IsJsonArray(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static AwsErrorException Invalid(string what, string code = "InvalidParameter") =>
        new(code, 400, code == "InvalidParameter" ? $"Invalid parameter: {what}" : what);
}
