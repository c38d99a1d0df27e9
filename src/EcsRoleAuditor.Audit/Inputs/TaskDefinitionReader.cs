using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Inputs;

/// <summary>
/// Reads task definitions as AWS returns them: the output of <c>aws ecs describe-task-definition --include TAGS</c>
/// (<c>{"taskDefinition":{...},"tags":[...]}</c>), a bare task definition object (RegisterTaskDefinition's request
/// parameters or response element), or a list of either. Fields the audit does not use are ignored.
/// </summary>
public static class TaskDefinitionReader
{
    /// <summary>Reads every task definition in the JSON value; throws <see cref="InputException"/> naming the source and path.</summary>
    public static IReadOnlyList<TaskDefinition> Read(JsonElement root, string source)
    {
        var fields = new JsonFields(source);
        return root.ValueKind switch
        {
            JsonValueKind.Array => [.. root.EnumerateArray().Select((item, i) => ReadOne(item, $"$[{i}]", fields))],
            JsonValueKind.Object => [ReadOne(root, "$", fields)],
            _ => throw fields.Error("$", $"expected the output of 'aws ecs describe-task-definition' (an object), found {JsonFields.Kind(root)}"),
        };
    }

    private static TaskDefinition ReadOne(JsonElement element, string path, JsonFields fields)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw fields.Error(path, $"expected a task definition object, found {JsonFields.Kind(element)}");
        }
        var tags = fields.Tags(element, "tags", path, "key", "value");
        if (fields.OptionalObject(element, "taskDefinition", path) is { } wrapped)
        {
            return Parse(wrapped, $"{path}.taskDefinition", fields, tags);
        }
        if (!element.TryGetProperty("family", out _) && !element.TryGetProperty("containerDefinitions", out _))
        {
            throw fields.Error(path, "is neither 'aws ecs describe-task-definition' output (no \"taskDefinition\") nor a task definition (no \"family\")");
        }
        return Parse(element, path, fields, tags);
    }

    // ECS numbers a family's revisions from 1; a file with 0 or -1 was not written by ECS and would be reported under a
    // reference ECS cannot resolve.
    private static int? Revision(JsonElement definition, string path, JsonFields fields)
    {
        var revision = fields.OptionalInt(definition, "revision", path);
        return revision < 1 ? throw fields.Error($"{path}.revision", $"must be 1 or more (ECS numbers revisions from 1), not {revision}") : revision;
    }

    private static TaskDefinition Parse(JsonElement definition, string path, JsonFields fields, ImmutableDictionary<string, string> outerTags)
    {
        var tags = outerTags.Count > 0 ? outerTags : fields.Tags(definition, "tags", path, "key", "value");
        return new TaskDefinition(
            fields.OptionalString(definition, "taskDefinitionArn", path),
            fields.RequiredString(definition, "family", path),
            Revision(definition, path, fields),
            EmptyAsNull(fields.OptionalString(definition, "taskRoleArn", path)),
            EmptyAsNull(fields.OptionalString(definition, "executionRoleArn", path)),
            [.. fields.Objects(definition, "containerDefinitions", path).Select((c, i) => Container(c.Item, i, c.Path, fields))],
            [.. fields.Objects(definition, "volumes", path).Select(v => ParseVolume(v.Item, v.Path, fields))],
            tags)
        {
            LaunchTypes = LaunchTypes(definition, path, fields, out var declared),
            LaunchTypesDeclared = declared,
        };
    }

    // requiresCompatibilities is where the team declared the task runs; compatibilities is every launch type ECS found
    // the task definition valid for at registration (an EC2 definition is often valid on external instances too), so it
    // stands in only when nothing was declared. Both are checked either way.
    private static ImmutableArray<string> LaunchTypes(JsonElement definition, string path, JsonFields fields, out bool declared)
    {
        var computed = fields.Strings(definition, "compatibilities", path);
        var requested = fields.Strings(definition, "requiresCompatibilities", path);
        declared = !requested.IsEmpty;
        return [.. (declared ? requested : computed).Select(t => t.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];
    }

    private static ContainerDefinition Container(JsonElement container, int index, string path, JsonFields fields)
    {
        var logging = fields.OptionalObject(container, "logConfiguration", path) is { } log
            ? new LogConfiguration(
                fields.RequiredString(log, "logDriver", $"{path}.logConfiguration"),
                StringMap(log, "options", $"{path}.logConfiguration", fields),
                Secrets(log, "secretOptions", $"{path}.logConfiguration", fields))
            : null;
        var credentials = fields.OptionalObject(container, "repositoryCredentials", path) is { } repository
            ? fields.RequiredString(repository, "credentialsParameter", $"{path}.repositoryCredentials")
            : null;
        var fireLens = fields.OptionalObject(container, "firelensConfiguration", path) is { } router
            ? new FireLensConfiguration(
                fields.RequiredString(router, "type", $"{path}.firelensConfiguration"),
                StringMap(router, "options", $"{path}.firelensConfiguration", fields))
            : null;
        return new ContainerDefinition(
            index,
            fields.OptionalString(container, "name", path) ?? $"#{index}",
            fields.OptionalString(container, "image", path),
            Secrets(container, "secrets", path, fields),
            [.. fields.Objects(container, "environment", path).Select(e => new EnvironmentVariable(
                fields.RequiredString(e.Item, "name", e.Path), fields.OptionalString(e.Item, "value", e.Path) ?? ""))],
            [.. fields.Objects(container, "environmentFiles", path).Select(f => new EnvironmentFile(
                fields.OptionalString(f.Item, "type", f.Path) ?? "s3", fields.RequiredString(f.Item, "value", f.Path)))],
            credentials,
            logging,
            fireLens);
    }

    private static ImmutableArray<ContainerSecret> Secrets(JsonElement parent, string name, string path, JsonFields fields) =>
        [.. fields.Objects(parent, name, path).Select(s => new ContainerSecret(
            fields.RequiredString(s.Item, "name", s.Path), fields.RequiredString(s.Item, "valueFrom", s.Path)))];

    private static ImmutableDictionary<string, string> StringMap(JsonElement parent, string name, string path, JsonFields fields)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (fields.OptionalObject(parent, name, path) is { } options)
        {
            foreach (var option in options.EnumerateObject())
            {
                map[option.Name] = fields.Text(option.Value, $"{path}.{name}.{option.Name}");
            }
        }
        return map.ToImmutable();
    }

    private static Volume ParseVolume(JsonElement volume, string path, JsonFields fields)
    {
        var efs = fields.OptionalObject(volume, "efsVolumeConfiguration", path) is { } config
            ? new EfsVolume(
                fields.RequiredString(config, "fileSystemId", $"{path}.efsVolumeConfiguration"),
                fields.OptionalObject(config, "authorizationConfig", $"{path}.efsVolumeConfiguration") is { } auth
                    && string.Equals(fields.OptionalString(auth, "iam", $"{path}.efsVolumeConfiguration.authorizationConfig"), "ENABLED", StringComparison.OrdinalIgnoreCase),
                fields.OptionalObject(config, "authorizationConfig", $"{path}.efsVolumeConfiguration") is { } access
                    ? fields.OptionalString(access, "accessPointId", $"{path}.efsVolumeConfiguration.authorizationConfig")
                    : null)
            : null;
        return new Volume(fields.OptionalString(volume, "name", path) ?? "", efs);
    }

    private static string? EmptyAsNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
