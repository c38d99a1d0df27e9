using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>Reads the ECS CloudTrail events the auditor handles: RegisterTaskDefinition, RunTask and StartTask.</summary>
internal static class EcsEventReader
{
    public static AuditEvent Read(CloudTrailEvent call) => call.EventName switch
    {
        HandledEventNames.RegisterTaskDefinition => Registered(call),
        _ when HandledEventNames.TaskStarts.Contains(call.EventName) => Started(call),
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
}
