using System.Text.Json;

namespace EcsRoleAuditor.FakeAws.Wire;

/// <summary>The JSON protocol's bodies: results written with <see cref="Utf8JsonWriter"/>, errors as <c>{"__type","message"}</c>.</summary>
internal static class JsonWire
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    public static byte[] Error(AwsErrorException error) => Write(w =>
    {
        w.WriteString("__type", error.Code);
        w.WriteString("message", error.Message);
    });

    /// <summary>Top-level members as strings (strings as is, other values as JSON text), for recording and lookups.</summary>
    public static Dictionary<string, string> Members(JsonElement body)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in body.EnumerateObject())
            {
                members[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }
        return members;
    }
}
