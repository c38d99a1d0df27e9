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
    public static SnsMessageAttributeValue TextList(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        // Written directly rather than through JsonSerializer: the serializer's first use (options, converters, the
        // generated context's metadata) cost more than the array itself on every Lambda cold start (perf). The default
        // encoder is the same, so the text is too.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }
            json.WriteEndArray();
        }
        return new("String.Array", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>A <c>Number</c> attribute.</summary>
    public static SnsMessageAttributeValue Numeric(long value) => new("Number", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
