namespace EcsRoleAuditor.Aws.Api;

/// <summary>SNS Publish; one request per call. Errors as for <see cref="IIamApi"/>.</summary>
public interface ISnsApi
{
    /// <summary>Publishes and returns the MessageId.</summary>
    Task<string> PublishAsync(SnsMessage message, CancellationToken cancellationToken);
}

/// <summary>An SNS message.</summary>
/// <param name="TopicArn">The topic.</param>
/// <param name="Message">The message; with <paramref name="JsonStructure"/> a JSON object of per-protocol messages (<c>default</c> required).</param>
/// <param name="Subject">The subject (email), at most 100 characters, or null.</param>
/// <param name="JsonStructure">True for <c>MessageStructure=json</c>.</param>
/// <param name="Attributes">Message attributes by name.</param>
public sealed record SnsMessage(string TopicArn, string Message, string? Subject, bool JsonStructure, IReadOnlyDictionary<string, SnsMessageAttributeValue> Attributes);

/// <summary>A message attribute: <c>String</c>, <c>String.Array</c> (the value is a JSON array text) or <c>Number</c>.</summary>
public sealed record SnsMessageAttributeValue(string DataType, string Value)
{
    /// <summary>A <c>String</c> attribute.</summary>
    public static SnsMessageAttributeValue Text(string value) => new("String", value);

    /// <summary>A <c>String.Array</c> attribute: the values as a JSON array.</summary>
    public static SnsMessageAttributeValue TextList(IEnumerable<string> values) =>
        new("String.Array", System.Text.Json.JsonSerializer.Serialize([.. values], ApiJsonContext.Default.StringArray));

    /// <summary>A <c>Number</c> attribute.</summary>
    public static SnsMessageAttributeValue Numeric(long value) => new("Number", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
