using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws;

/// <summary>Reads the entities of AWS CLI JSON output (documents as objects or URL-encoded strings, ISO 8601 dates).</summary>
internal static class CliOutput
{
    public static FakeRole Role(JsonElement item)
    {
        var role = new FakeRole(Text(item, "Arn")!, Document(item, "AssumeRolePolicyDocument"))
        {
            Description = Text(item, "Description"),
            CreateDate = Date(item, "CreateDate"),
        };
        if (Text(item, "RoleId") is { } id)
        {
            role.RoleId = id;
        }
        if (item.TryGetProperty("MaxSessionDuration", out var max) && max.ValueKind == JsonValueKind.Number)
        {
            role.MaxSessionDuration = max.GetInt32();
        }
        foreach (var inline in Items(item, "RolePolicyList"))
        {
            role.InlinePolicies.Add(new FakeInlinePolicy(Text(inline, "PolicyName")!, Document(inline, "PolicyDocument")));
        }
        foreach (var attached in Items(item, "AttachedManagedPolicies"))
        {
            role.AttachedPolicies.Add(new FakeAttachedPolicy(Text(attached, "PolicyName")!, Text(attached, "PolicyArn")!));
        }
        if (item.TryGetProperty("PermissionsBoundary", out var boundary) && boundary.ValueKind == JsonValueKind.Object)
        {
            role.PermissionsBoundaryArn = Text(boundary, "PermissionsBoundaryArn");
        }
        AddTags(item, "Tags", "Key", "Value", role.Tags);
        return role;
    }

    public static FakeManagedPolicy ManagedPolicy(JsonElement item)
    {
        var policy = new FakeManagedPolicy(Text(item, "Arn")!)
        {
            Description = Text(item, "Description"),
            CreateDate = Date(item, "CreateDate"),
            UpdateDate = Date(item, "UpdateDate"),
        };
        if (Text(item, "PolicyId") is { } id)
        {
            policy.PolicyId = id;
        }
        if (item.TryGetProperty("AttachmentCount", out var count) && count.ValueKind == JsonValueKind.Number)
        {
            policy.AttachmentCount = count.GetInt32();
        }
        if (item.TryGetProperty("PermissionsBoundaryUsageCount", out var usage) && usage.ValueKind == JsonValueKind.Number)
        {
            policy.PermissionsBoundaryUsageCount = usage.GetInt32();
        }
        if (item.TryGetProperty("IsAttachable", out var attachable) && attachable.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            policy.IsAttachable = attachable.GetBoolean();
        }
        var defaultVersion = Text(item, "DefaultVersionId");
        foreach (var version in Items(item, "PolicyVersionList"))
        {
            var versionId = Text(version, "VersionId")!;
            var isDefault = version.TryGetProperty("IsDefaultVersion", out var flag)
                ? flag.ValueKind == JsonValueKind.True
                : versionId == defaultVersion;
            policy.Versions.Add(new FakePolicyVersion(versionId, Document(version, "Document"), isDefault, Date(version, "CreateDate")));
        }
        AddTags(item, "Tags", "Key", "Value", policy.Tags);
        return policy;
    }

    public static FakeTaskDefinition TaskDefinition(JsonObject item)
    {
        var definition = item["taskDefinition"] as JsonObject ?? item;
        var tags = new List<FakeTag>();
        if ((item["tags"] ?? definition["tags"]) is JsonArray tagArray)
        {
            tags.AddRange(tagArray.OfType<JsonObject>().Select(t => new FakeTag(t["key"]!.GetValue<string>(), t["value"]?.GetValue<string>() ?? "")));
        }
        definition.Remove("tags");
        if (definition.Parent is not null)
        {
            item.Remove("taskDefinition");
        }
        return new FakeTaskDefinition(definition, tags);
    }

    /// <summary>A policy document as JSON text: objects as written, strings URL-decoded when they are encoded.</summary>
    private static string Document(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            throw new ArgumentException($"missing \"{name}\"");
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.GetRawText();
        }
        var text = value.GetString()!;
        return text.TrimStart().StartsWith('{') ? text : Uri.UnescapeDataString(text);
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset Date(JsonElement item, string name) =>
        Text(item, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : FakeIds.Epoch;

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    /// <summary>The items of an array member; none when the member is missing or not an array.</summary>
    public static JsonElement.ArrayEnumerator Items(JsonElement item, string name) =>
        (item.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list : EmptyArray).EnumerateArray();

    private static void AddTags(JsonElement item, string name, string key, string value, IList<FakeTag> tags)
    {
        foreach (var tag in Items(item, name))
        {
            tags.Add(new FakeTag(Text(tag, key)!, Text(tag, value) ?? ""));
        }
    }
}
