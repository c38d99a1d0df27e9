using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>
/// Reads the ECS CloudTrail events the auditor handles: RegisterTaskDefinition, DeregisterTaskDefinition, RunTask and
/// StartTask, and TagResource and UntagResource on a task definition's suppression tag.
/// </summary>
internal static class EcsEventReader
{
    /// <summary>
    /// TagResource, <c>tags</c>: "Maximum number of tags per resource - 50" (ECS API Reference, TagResource): a call that
    /// adds more fails, so a longer list is not a call that succeeded.
    /// </summary>
    public const int MaxTags = 50;

    private const string TaskDefinitionResource = "task-definition/";

    public static AuditEvent Read(CloudTrailEvent call) => call.EventName switch
    {
        HandledEventNames.RegisterTaskDefinition => Registered(call),
        HandledEventNames.DeregisterTaskDefinition => Deregistered(call),
        _ when HandledEventNames.TaskStarts.Contains(call.EventName) => Started(call),
        _ when HandledEventNames.TagChanges.Contains(call.EventName) => TagsChanged(call),
        _ => new AuditEvent.Ignored(call.EventName, "an ECS call the auditor does not act on"),
    };

    private static AuditEvent Registered(CloudTrailEvent call)
    {
        var reference = (call.ResponseElements is { } response ? JsonValues.Text(response, "taskDefinition", "taskDefinitionArn") : null)
            ?? call.Request("family");
        if (call.ResponseElements is { } elements && JsonValues.Object(elements, "taskDefinition") is not null)
        {
            try
            {
                var definitions = TaskDefinitionReader.Read(elements, "RegisterTaskDefinition responseElements");
                if (definitions is [var definition] && definition.Arn is { } arn && TaskDefinitionReference.IsValid(arn))
                {
                    return new AuditEvent.TaskDefinitionRegistered(definition, definition.Arn);
                }
            }
            catch (InputException)
            {
                // A cut or unexpected response element: the authoritative copy is one DescribeTaskDefinition away.
            }
        }
        return reference switch
        {
            null => new AuditEvent.Ignored(call.EventName, "the event names no task definition (no responseElements.taskDefinition.taskDefinitionArn, no requestParameters.family)"),
            _ when !TaskDefinitionReference.IsValid(reference) => new AuditEvent.Ignored(call.EventName, TaskDefinitionReference.InvalidReason),
            _ => new AuditEvent.TaskDefinitionRegistered(null, reference),
        };
    }

    // requestParameters.taskDefinition: "The family and revision (family:revision) or full Amazon Resource Name (ARN) of
    // the task definition to deregister. You must specify a revision." (ECS API Reference, DeregisterTaskDefinition).
    private static AuditEvent Deregistered(CloudTrailEvent call) => call.Request("taskDefinition") switch
    {
        null => new AuditEvent.Ignored(call.EventName, "the event names no task definition (no requestParameters.taskDefinition)"),
        var reference when !TaskDefinitionReference.IsValid(reference) => new AuditEvent.Ignored(call.EventName, TaskDefinitionReference.InvalidReason),
        var reference => Audit.Model.TaskDefinitionReference.Parse(reference) is { Revision: { } revision } parsed
            ? new AuditEvent.TaskDefinitionDeregistered(parsed.Family, revision)
            : new AuditEvent.Ignored(call.EventName, "the task definition reference names no revision, which DeregisterTaskDefinition requires"),
    };

    private static AuditEvent Started(CloudTrailEvent call)
    {
        var taskRole = call.Request("overrides", "taskRoleArn");
        var executionRole = call.Request("overrides", "executionRoleArn");
        if (taskRole is null && executionRole is null)
        {
            return new AuditEvent.Ignored(call.EventName, "no role overrides: the task definition's own roles were audited when it was registered");
        }
        // The response names the exact revision that ran; the request may name only the family (its latest ACTIVE revision).
        var definition = FirstTaskDefinitionArn(call.ResponseElements) ?? call.Request("taskDefinition");
        return definition switch
        {
            null => new AuditEvent.Ignored(call.EventName, "the event names no task definition (no requestParameters.taskDefinition)"),
            _ when !TaskDefinitionReference.IsValid(definition) => new AuditEvent.Ignored(call.EventName, TaskDefinitionReference.InvalidReason),
            _ => new AuditEvent.TaskStartedWithRoleOverrides(call.EventName, definition, taskRole, executionRole),
        };
    }

    private static string? FirstTaskDefinitionArn(JsonElement? response) =>
        response is { } elements && elements.TryGetProperty("tasks", out var tasks) && tasks.ValueKind == JsonValueKind.Array
            ? tasks.EnumerateArray().Select(t => JsonValues.Text(t, "taskDefinitionArn")).FirstOrDefault(a => a is not null)
            : null;

    // Only the suppression tag on a task definition changes an audit: tags on clusters, services or tasks suppress
    // nothing, and other task definition tags are read by no rule.
    private static AuditEvent TagsChanged(CloudTrailEvent call)
    {
        if (call.Request("resourceArn") is not { } resource)
        {
            return new AuditEvent.Ignored(call.EventName, "the event names no resource (no requestParameters.resourceArn)");
        }
        if (resource.Length > TaskDefinitionReference.MaxLength || !Arn.TryParse(resource, out var arn) || arn.Service != "ecs")
        {
            return new AuditEvent.Ignored(call.EventName, "requestParameters.resourceArn is not an ECS ARN");
        }
        if (!arn.Resource.StartsWith(TaskDefinitionResource, StringComparison.Ordinal))
        {
            return new AuditEvent.Ignored(call.EventName, "the tagged resource is not a task definition: only task definition and role tags suppress findings");
        }
        if (!TaskDefinitionReference.IsArn(resource))
        {
            return new AuditEvent.Ignored(call.EventName, TaskDefinitionReference.InvalidReason);
        }
        var changed = call.EventName == "TagResource" ? AddsSuppressionTag(call.RequestParameters) : RemovesSuppressionTag(call.RequestParameters);
        return changed switch
        {
            null => new AuditEvent.Ignored(call.EventName, call.EventName == "TagResource"
                ? $"requestParameters.tags is not a list of at most {MaxTags} tags"
                : "requestParameters.tagKeys is not a list of tag keys"),
            false => new AuditEvent.Ignored(call.EventName, $"the call changes no {SuppressionRules.TagKey} tag, the only task definition tag the auditor reads"),
            true => new AuditEvent.SuppressionTagChanged(call.EventName, TaskDefinitionReference.FamilyOf(resource)),
        };
    }

    // TagResource: tags [{key, value}]. Null when the list is missing or longer than ECS accepts. Keys are compared in
    // place, never copied out of the document, whatever their size.
    private static bool? AddsSuppressionTag(JsonElement? request)
    {
        if (request is not { } parameters || !parameters.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array || tags.GetArrayLength() > MaxTags)
        {
            return null;
        }
        return tags.EnumerateArray().Any(tag => tag.ValueKind == JsonValueKind.Object && tag.TryGetProperty("key", out var key) && IsSuppressionKey(key));
    }

    // UntagResource: tagKeys [key]. ECS sets no limit on their number; the event's size (EventClassifier) bounds them.
    private static bool? RemovesSuppressionTag(JsonElement? request)
    {
        if (request is not { } parameters || !parameters.TryGetProperty("tagKeys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        return keys.EnumerateArray().Any(IsSuppressionKey);
    }

    // Tag keys are case-sensitive (ECS API Reference, TagResource: "Tag keys and values are case-sensitive").
    private static bool IsSuppressionKey(JsonElement key) => key.ValueKind == JsonValueKind.String && key.ValueEquals(SuppressionRules.TagKey);
}
