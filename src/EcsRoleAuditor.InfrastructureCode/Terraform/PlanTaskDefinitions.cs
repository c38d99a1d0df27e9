using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>
/// Writes an <c>aws_ecs_task_definition</c> as RegisterTaskDefinition's request (camelCase JSON) for the task definition
/// reader: the provider's snake_case arguments renamed, <c>container_definitions</c> (already the ECS API's JSON) kept as
/// it is. A value known only after apply becomes an <see cref="UnresolvedValue"/> marker, except a role ARN that the
/// configuration takes from a role the plan declares, which is that role's ARN, and the containers and the EFS settings
/// (whose needs decide what the roles must allow): those are left out and named as unaudited fields.
/// </summary>
internal sealed class PlanTaskDefinitions(TerraformPlan plan, PlanArns arns, Func<PlannedResource, string?> declaredRoleArn)
{
    /// <summary>The declared task definition of <paramref name="resource"/>.</summary>
    /// <exception cref="InputException">A value has the wrong type.</exception>
    public DeclaredTaskDefinition Write(PlannedResource resource)
    {
        var values = resource.Values;
        var unaudited = ImmutableArray.CreateBuilder<UnauditedField>();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Arn(resource) is { } arn)
            {
                writer.WriteString("taskDefinitionArn", arn);
            }
            WriteText(writer, "family", resource, "family");
            WriteText(writer, "taskRoleArn", resource, "task_role_arn");
            WriteText(writer, "executionRoleArn", resource, "execution_role_arn");
            var compatibilities = values["requires_compatibilities"];
            writer.WriteStartArray("requiresCompatibilities");
            foreach (var (item, _) in compatibilities.Items())
            {
                writer.WriteStringValue(item.IsUnknown ? Marker(resource, "requires_compatibilities", item) : item.Text());
            }
            writer.WriteEndArray();
            writer.WritePropertyName("containerDefinitions");
            Containers(resource, unaudited).WriteTo(writer);
            WriteVolumes(writer, resource, unaudited);
            writer.WriteStartArray("tags");
            foreach (var (key, value) in Tags(values))
            {
                writer.WriteStartObject();
                writer.WriteString("key", key);
                writer.WriteString("value", value);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new DeclaredTaskDefinition(Encoding.UTF8.GetString(buffer.ToArray()), new CodeLocation(plan.Source, null, resource.Address)) { UnauditedFields = unaudited.ToImmutable() };
    }

    // The ARN places what the task definition names without one (an awslogs group, a parameter by name) in its account and
    // region, as ECS will. A new revision's number is known only after apply, so it is a marker; without a region or an
    // account from the plan or the command line there is no ARN, rather than one in a guessed place.
    private string? Arn(PlannedResource resource)
    {
        if (resource.Values["arn"].Text() is { Length: > 0 } known)
        {
            return known;
        }
        return arns.Region is { } region && arns.AccountKnown && resource.Values["family"].Text() is { Length: > 0 } family
            ? Policy.Model.Arn.Create(arns.Partition, "ecs", region, arns.Account, $"task-definition/{family}:{UnresolvedValue.For($"{resource.Address}.revision")}").ToString()
            : null;
    }

    // container_definitions is one JSON string; an unknown part (an image URL or a secret ARN created by the same plan)
    // makes all of it unknown. The roles are still audited, but not by what the containers need: an unaudited field, never
    // "needs nothing".
    private JsonElement Containers(PlannedResource resource, ImmutableArray<UnauditedField>.Builder unaudited)
    {
        var value = resource.Values["container_definitions"];
        if (value.IsUnknown)
        {
            unaudited.Add(new UnauditedField("containerDefinitions", RoleSlot.Execution, AfterApply(resource, "container_definitions")));
            return EmptyList;
        }
        var text = value.Text() ?? "[]";
        using var document = JsonInput.Parse(Encoding.UTF8.GetBytes(text), $"{plan.Source}: {value.Path}", default, "container_definitions");
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InputException($"{plan.Source}: {value.Path}: expected a JSON array of container definitions, found {JsonFields.Kind(document.RootElement)}");
        }
        return document.RootElement.Clone();
    }

    private void WriteText(Utf8JsonWriter writer, string name, PlannedResource resource, string attribute)
    {
        var value = resource.Values[attribute];
        if (value.IsUnknown)
        {
            writer.WriteString(name, RoleArn(resource, attribute) ?? Marker(resource, attribute, value));
        }
        else if (value.Text() is { Length: > 0 } text)
        {
            writer.WriteString(name, text);
        }
    }

    private string? RoleArn(PlannedResource resource, string attribute) =>
        attribute is "task_role_arn" or "execution_role_arn"
            && plan.Resolve(resource, plan.References(resource, attribute)) is ({ IsData: false, Type: "aws_iam_role" } role, "arn" or "name" or "id" or "")
            ? declaredRoleArn(role)
            : null;

    private string Marker(PlannedResource resource, string attribute, PlanValue value) =>
        UnresolvedValue.For(TerraformPlan.MarkerExpression(resource, plan.References(resource, attribute), $"{resource.Address}{value.Path[value.Path.IndexOf($".{attribute}", StringComparison.Ordinal)..]}"));

    private static readonly JsonElement EmptyList = EmptyJsonList();

    private static JsonElement EmptyJsonList()
    {
        using var document = JsonDocument.Parse("[]");
        return document.RootElement.Clone();
    }

    private string AfterApply(PlannedResource resource, string attribute) =>
        $"known only after apply{TerraformPlan.Describe(plan.References(resource, attribute))}";

    // volume { name, efs_volume_configuration { file_system_id, authorization_config { access_point_id, iam } } }
    // An EFS volume with IAM authorization is a need of the task role: unknown volumes or EFS settings are unaudited, not "off".
    private void WriteVolumes(Utf8JsonWriter writer, PlannedResource resource, ImmutableArray<UnauditedField>.Builder unaudited)
    {
        writer.WriteStartArray("volumes");
        if (resource.Values["volume"].IsUnknown)
        {
            unaudited.Add(new UnauditedField("volumes", RoleSlot.Task, AfterApply(resource, "volume")));
            writer.WriteEndArray();
            return;
        }
        var index = 0;
        foreach (var (volume, _) in resource.Values["volume"].Items())
        {
            writer.WriteStartObject();
            if (volume["name"].Text() is { } name)
            {
                writer.WriteString("name", name);
            }
            if (volume["efs_volume_configuration"] is { IsUnknown: true }
                || volume["efs_volume_configuration"].Items().FirstOrDefault().Item is { } efsItem
                   && (efsItem["authorization_config"].IsUnknown
                       || efsItem["authorization_config"].Items().FirstOrDefault().Item is { } auth && auth["iam"].IsUnknown))
            {
                unaudited.Add(new UnauditedField($"volumes[{index}].efsVolumeConfiguration", RoleSlot.Task, AfterApply(resource, "volume")));
            }
            else if (volume["efs_volume_configuration"].Items().FirstOrDefault() is { Item.Path: not null } efs)
            {
                writer.WriteStartObject("efsVolumeConfiguration");
                var fileSystem = efs.Item["file_system_id"];
                writer.WriteString("fileSystemId", fileSystem.IsUnknown ? Marker(resource, "volume", fileSystem) : fileSystem.Text());
                if (efs.Item["authorization_config"].Items().FirstOrDefault() is { Item.Path: not null } authorization)
                {
                    writer.WriteStartObject("authorizationConfig");
                    var accessPoint = authorization.Item["access_point_id"];
                    if (accessPoint.IsUnknown || accessPoint.Text() is not null)
                    {
                        writer.WriteString("accessPointId", accessPoint.IsUnknown ? Marker(resource, "volume", accessPoint) : accessPoint.Text());
                    }
                    if (authorization.Item["iam"].Text() is { } iam)
                    {
                        writer.WriteString("iam", iam);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            index++;
        }
        writer.WriteEndArray();
    }

    // tags_all adds the provider's default_tags; it is often known only after apply, and then the resource's own tags stand.
    internal static IEnumerable<KeyValuePair<string, string>> Tags(PlanValue values) =>
        (values["tags_all"].IsUnknown || values["tags_all"].IsNull ? values["tags"] : values["tags_all"]).StringMap().OrderBy(t => t.Key, StringComparer.Ordinal);
}
