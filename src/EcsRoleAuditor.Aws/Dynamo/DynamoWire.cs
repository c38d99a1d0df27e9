using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Dynamo;

/// <summary>
/// DynamoDB's AttributeValue JSON (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, <c>{"BOOL":true}</c>, <c>{"NULL":true}</c>,
/// <c>{"L":[...]}</c>, <c>{"M":{...}}</c>) written with <see cref="Utf8JsonWriter"/> and read from <see cref="JsonElement"/>:
/// no reflection, so it stays AOT-safe. A value of a type the store never writes (sets, binary) is a
/// <see cref="JsonException"/>, which the client reports as an unreadable answer.
/// </summary>
internal static class DynamoWire
{
    /// <summary>A request body: one JSON object whose members <paramref name="members"/> writes.</summary>
    public static byte[] Body(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An item or key as a map of attribute values.</summary>
    public static void WriteItem(Utf8JsonWriter json, DynamoItem item)
    {
        json.WriteStartObject();
        foreach (var (name, value) in item.Attributes)
        {
            json.WritePropertyName(name);
            WriteValue(json, value);
        }
        json.WriteEndObject();
    }

    /// <summary>One attribute value.</summary>
    public static void WriteValue(Utf8JsonWriter json, DynamoValue value)
    {
        json.WriteStartObject();
        switch (value)
        {
            case DynamoValue.S s:
                json.WriteString("S", s.Value);
                break;
            case DynamoValue.N n:
                json.WriteString("N", n.Value);
                break;
            case DynamoValue.Bool b:
                json.WriteBoolean("BOOL", b.Value);
                break;
            case DynamoValue.Null:
                json.WriteBoolean("NULL", true);
                break;
            case DynamoValue.L l:
                json.WriteStartArray("L");
                foreach (var item in l.Items)
                {
                    WriteValue(json, item);
                }
                json.WriteEndArray();
                break;
            case DynamoValue.M m:
                json.WritePropertyName("M");
                WriteItem(json, m.Map);
                break;
            default:
                throw new ArgumentException($"Unknown DynamoDB value {value}.", nameof(value));
        }
        json.WriteEndObject();
    }

    /// <summary>The names (<c>#name</c>) and values (<c>:value</c>) of expressions; DynamoDB rejects empty maps, so none are written then.</summary>
    public static void WriteTerms(Utf8JsonWriter json, DynamoExpressionTerms terms)
    {
        if (!terms.Names.IsEmpty)
        {
            json.WriteStartObject("ExpressionAttributeNames");
            foreach (var (placeholder, name) in terms.Names)
            {
                json.WriteString(placeholder, name);
            }
            json.WriteEndObject();
        }
        if (!terms.Values.IsEmpty)
        {
            json.WriteStartObject("ExpressionAttributeValues");
            foreach (var (placeholder, value) in terms.Values)
            {
                json.WritePropertyName(placeholder);
                WriteValue(json, value);
            }
            json.WriteEndObject();
        }
    }

    /// <summary>ReturnValues as the API names it; nothing for <see cref="DynamoReturnValues.None"/>, DynamoDB's default.</summary>
    public static void WriteReturnValues(Utf8JsonWriter json, DynamoReturnValues returnValues)
    {
        var name = returnValues switch
        {
            DynamoReturnValues.None => null,
            DynamoReturnValues.AllOld => "ALL_OLD",
            DynamoReturnValues.AllNew => "ALL_NEW",
            _ => throw new ArgumentOutOfRangeException(nameof(returnValues), returnValues, "Unknown ReturnValues."),
        };
        if (name is not null)
        {
            json.WriteString("ReturnValues", name);
        }
    }

    /// <summary>An item or key read from a map of attribute values.</summary>
    public static DynamoItem ReadItem(JsonElement map)
    {
        Expect(map, JsonValueKind.Object, "an item");
        var attributes = ImmutableDictionary.CreateBuilder<string, DynamoValue>(StringComparer.Ordinal);
        foreach (var attribute in map.EnumerateObject())
        {
            attributes[attribute.Name] = ReadValue(attribute.Value);
        }
        return new DynamoItem(attributes.ToImmutable());
    }

    /// <summary>One attribute value: an object of exactly one type member.</summary>
    public static DynamoValue ReadValue(JsonElement value)
    {
        Expect(value, JsonValueKind.Object, "an attribute value");
        using var members = value.EnumerateObject();
        if (!members.MoveNext())
        {
            throw new JsonException("An attribute value has no type.");
        }
        var member = members.Current;
        if (members.MoveNext())
        {
            throw new JsonException($"An attribute value has more than one type ({member.Name}, {members.Current.Name}).");
        }
        var content = member.Value;
        return member.Name switch
        {
            "S" => new DynamoValue.S(Text(content)),
            "N" => new DynamoValue.N(Text(content)),
            "BOOL" => new DynamoValue.Bool(Flag(content)),
            "NULL" => Flag(content) ? new DynamoValue.Null() : throw new JsonException("NULL must be true."),
            "L" => new DynamoValue.L([.. List(content)]),
            "M" => new DynamoValue.M(ReadItem(content)),
            _ => throw new JsonException($"Attribute values of type {member.Name} are not read."),
        };
    }

    /// <summary>The page marker of a <c>LastEvaluatedKey</c>: the key as compact JSON, attributes in ordinal order (the same key, the same marker).</summary>
    public static string Marker(DynamoItem key) =>
        System.Text.Encoding.UTF8.GetString(Body(json =>
        {
            foreach (var (name, value) in key.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                json.WritePropertyName(name);
                WriteValue(json, value);
            }
        }));

    /// <summary>The key a marker of <see cref="Marker"/> stands for.</summary>
    public static DynamoItem KeyOf(string marker)
    {
        try
        {
            using var document = JsonDocument.Parse(marker);
            return ReadItem(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("The page marker is not one a DynamoDB Query answered with.", nameof(marker), e);
        }
    }

    private static IEnumerable<DynamoValue> List(JsonElement list)
    {
        Expect(list, JsonValueKind.Array, "L");
        foreach (var item in list.EnumerateArray())
        {
            yield return ReadValue(item);
        }
    }

    private static string Text(JsonElement value)
    {
        Expect(value, JsonValueKind.String, "S or N");
        return value.GetString()!;
    }

    private static bool Flag(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new JsonException($"Expected true or false, found {value.ValueKind}."),
    };

    private static void Expect(JsonElement value, JsonValueKind kind, string what)
    {
        if (value.ValueKind != kind)
        {
            throw new JsonException($"Expected {what} ({kind}), found {value.ValueKind}.");
        }
    }
}
