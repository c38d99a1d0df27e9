using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.CloudFormation;

/// <summary>
/// An <c>AWS::ECS::TaskDefinition</c>'s properties as RegisterTaskDefinition's request, which the task definition
/// reader reads: CloudFormation writes the API's fields with a capital first letter, except a few it names otherwise.
/// </summary>
internal static class TaskDefinitionProperties
{
    // CloudFormation's spelling → the API's, where lowering the first letter is not it (AWS::ECS::TaskDefinition reference).
    private static readonly ImmutableDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["EFSVolumeConfiguration"] = "efsVolumeConfiguration",
        ["FilesystemId"] = "fileSystemId",
        ["IAM"] = "iam",
    }.ToImmutableDictionary();

    // Properties whose value is a map of the team's own keys (log driver options, labels): their keys stay as written.
    private static readonly ImmutableHashSet<string> Maps = ["Options", "DockerLabels", "DriverOpts", "Labels"];

    /// <summary>The declared task definition of resource <paramref name="logicalId"/>; its family defaults to the logical ID, standing for the name CloudFormation generates.</summary>
    public static DeclaredTaskDefinition Declare(TemplateResolver resolver, string logicalId, TemplateMapping properties, CodeLocation location)
    {
        var definition = Api(resolver.Resolve(properties), isMap: false) as JsonObject ?? [];
        var unaudited = Unknowns(definition);
        definition["family"] = resolver.Family(logicalId);
        definition.Remove("revision");
        // Its ARN places what it names without one (a parameter, a log group) in the stack's region and account, as ECS will.
        definition["taskDefinitionArn"] = resolver.TaskDefinitionArn(logicalId);
        var lines = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        FieldLines(resolver, properties, "", lines);
        return new DeclaredTaskDefinition(definition.ToJsonString(), location) { FieldLines = lines.ToImmutable(), UnauditedFields = unaudited };
    }

    /// <summary>
    /// A container field the reader takes as a list or an object, the role whose needs it decides, the parts of it that are
    /// lists or maps of their own (left out alone when unknown), and the part without which it means nothing (the log driver).
    /// </summary>
    private sealed record ContainerField(string Name, RoleSlot Slot, string[] Parts, string? Required = null);

    // The execution role's jobs (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role"): secrets, environment files,
    // private registry credentials, awslogs and FireLens configuration.
    private static readonly ContainerField[] ContainerFields =
    [
        new("secrets", RoleSlot.Execution, []),
        new("environmentFiles", RoleSlot.Execution, []),
        new("repositoryCredentials", RoleSlot.Execution, []),
        new("logConfiguration", RoleSlot.Execution, ["options", "secretOptions"], Required: "logDriver"),
        new("firelensConfiguration", RoleSlot.Execution, ["options"]),
        // Plaintext variables decide no role's needs, only whether a secret sits in them (ERA050).
        new("environment", RoleSlot.TaskDefinition, []),
    ];

    // A container list, container, volume list, volume or EFS setting known only at deployment (an Fn::If on a condition
    // without a value, an import) decides needs nobody knows: it becomes an unaudited field, with a stand-in of the shape
    // the reader takes (the same index, so later fields keep their lines), never "needs nothing".
    private static ImmutableArray<UnauditedField> Unknowns(JsonObject definition)
    {
        var unaudited = ImmutableArray.CreateBuilder<UnauditedField>();
        foreach (var (list, slot) in new[] { ("containerDefinitions", RoleSlot.Execution), ("volumes", RoleSlot.Task) })
        {
            if (Marker(definition[list]) is { } whole)
            {
                unaudited.Add(new UnauditedField(list, slot, Deployment(whole)));
                definition[list] = new JsonArray();
                continue;
            }
            if (definition[list] is not JsonArray items)
            {
                continue;
            }
            for (var i = 0; i < items.Count; i++)
            {
                if (Marker(items[i]) is { } item)
                {
                    unaudited.Add(new UnauditedField($"{list}[{i}]", slot, Deployment(item)));
                    items[i] = new JsonObject { ["name"] = $"{list}[{i}]" };
                }
                else if (slot == RoleSlot.Execution && items[i] is JsonObject container)
                {
                    ContainerUnknowns(container, $"{list}[{i}]", unaudited);
                }
                else if (slot == RoleSlot.Task && items[i] is JsonObject volume && volume["efsVolumeConfiguration"] is { } efs
                    && (Marker(efs) ?? Marker(efs["authorizationConfig"]) ?? Marker(efs["authorizationConfig"]?["iam"])) is { } setting)
                {
                    // Whether IAM authorization is on decides the task role's need to mount: unknown is not "off".
                    unaudited.Add(new UnauditedField($"{list}[{i}].efsVolumeConfiguration", slot, Deployment(setting)));
                    volume.Remove("efsVolumeConfiguration");
                }
            }
        }
        return unaudited.ToImmutable();
    }

    // A field of one container known only at deployment (Secrets: !If [...], LogConfiguration: !If [IsProd, {...}, !Ref
    // AWS::NoValue]) is left out for the reader, and unaudited; a list with one unknown element is an unknown list, since
    // what the others need is not all it needs.
    private static void ContainerUnknowns(JsonObject container, string path, ImmutableArray<UnauditedField>.Builder unaudited)
    {
        foreach (var field in ContainerFields)
        {
            var value = container[field.Name];
            var whole = Unknown(value) ?? (field.Required is { } required && value is JsonObject held ? Unknown(held[required]) : null);
            if (whole is not null)
            {
                unaudited.Add(new UnauditedField($"{path}.{field.Name}", field.Slot, whole));
                container.Remove(field.Name);
                continue;
            }
            if (value is not JsonObject parts)
            {
                continue;
            }
            foreach (var part in field.Parts)
            {
                if (Unknown(parts[part]) is { } reason)
                {
                    unaudited.Add(new UnauditedField($"{path}.{field.Name}.{part}", field.Slot, reason));
                    parts.Remove(part);
                }
            }
        }
    }

    // Why a value is unknown, as words after "is": it is a marker, or a list with a marker among its elements.
    private static string? Unknown(JsonNode? node)
    {
        if (Marker(node) is { } whole)
        {
            return Deployment(whole);
        }
        if (node is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (Marker(list[i]) is { } element)
                {
                    return $"a list whose element {i} is {Deployment(element)}";
                }
            }
        }
        return null;
    }

    private static string? Marker(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && UnresolvedValue.IsIn(text) ? text : null;

    private static string Deployment(string marker) => $"a value known only at deployment ({marker})";

    private static JsonNode? Api(JsonNode? node, bool isMap) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(isMap ? p.Key : Name(p.Key), Api(p.Value, Maps.Contains(p.Key))))),
        JsonArray list => new JsonArray([.. list.Select(i => Api(i, isMap: false))]),
        // The reader takes the API's strings; CloudFormation turns YAML's numbers and booleans into them.
        JsonValue value => JsonValue.Create(value.TryGetValue<string>(out var text) ? text : value.ToJsonString()),
        _ => null,
    };

    private static string Name(string property) =>
        Renamed.TryGetValue(property, out var renamed) ? renamed
        : property.Length > 0 && char.IsUpper(property[0]) ? char.ToLowerInvariant(property[0]) + property[1..]
        : property;

    // The line of every field written literally, by the API path findings name (containerDefinitions[0].secrets[1]).
    private static void FieldLines(TemplateResolver resolver, TemplateNode node, string path, ImmutableDictionary<string, int>.Builder lines)
    {
        switch (node)
        {
            case TemplateMapping { Function: null } mapping:
                foreach (var entry in mapping.Entries.Where(e => !resolver.IsNoValue(e.Value)))
                {
                    var child = path.Length == 0 ? Name(entry.Key) : $"{path}.{Name(entry.Key)}";
                    lines[child] = entry.Line;
                    if (!Maps.Contains(entry.Key))
                    {
                        FieldLines(resolver, entry.Value, child, lines);
                    }
                }
                break;
            case TemplateSequence sequence:
                var index = 0;
                foreach (var item in sequence.Items.Where(i => !resolver.IsNoValue(i)))
                {
                    lines[$"{path}[{index}]"] = item.Line;
                    FieldLines(resolver, item, $"{path}[{index}]", lines);
                    index++;
                }
                break;
        }
    }
}
