using System.Text.Json;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>
/// Says what an invocation payload asks for: a CloudTrail event delivered by EventBridge (ECS or IAM), the schedule,
/// a direct invocation, or nothing. Never throws: whatever it cannot use is <see cref="AuditEvent.Ignored"/>, so an
/// unexpected event is acknowledged instead of failing and being retried.
/// </summary>
internal static class EventClassifier
{
    /// <summary>The EventBridge <c>detail-type</c> of schedule events.</summary>
    public const string ScheduledEventDetailType = "Scheduled Event";

    /// <summary>
    /// The largest EventBridge event accepted: "The maximum size for a PutEvents event entry is 256 KB" (EventBridge API
    /// Reference, PutEvents), plus room for the envelope's keys, which make the delivered event "always larger than the
    /// entry size" (EventBridge User Guide, Calculating PutEvents event entry size).
    /// </summary>
    public const int MaxEventBytes = (256 + 16) * 1024;

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>Classifies a UTF-8 JSON payload.</summary>
    public static AuditEvent Classify(ReadOnlyMemory<byte> payload)
    {
        // JsonDocument accepts invalid UTF-8 inside strings and fails only when one is read: refuse it up front.
        if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            return new AuditEvent.Ignored("unknown", "the payload is not UTF-8 text");
        }
        try
        {
            using var document = JsonDocument.Parse(payload, StrictJson);
            if (payload.Length > MaxEventBytes && document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("detail-type", out _))
            {
                // Not an event EventBridge delivered; its values (a name of megabytes) would only swell the alert past SNS's limit.
                return new AuditEvent.Ignored("unknown", "the payload is larger than any event EventBridge delivers (256 KB)");
            }
            return Classify(document.RootElement);
        }
        catch (JsonException e) when (e.LineNumber is null)
        {
            // The reader accepted the text, so the parser refused a repeated key: acting on either copy would hide the other.
            return new AuditEvent.Ignored("unknown", "the payload repeats a key in an object");
        }
        catch (JsonException)
        {
            return new AuditEvent.Ignored("unknown", "the payload is not JSON");
        }
    }

    /// <summary>Classifies a parsed payload. The returned event does not refer to <paramref name="root"/>'s document.</summary>
    public static AuditEvent Classify(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new AuditEvent.Ignored("unknown", "the payload is not a JSON object");
        }
        var detailType = JsonValues.Text(root, "detail-type");
        var source = JsonValues.Text(root, "source");
        if (detailType is null && SweepMessage.Records(root) is { } records)
        {
            return new AuditEvent.SweepBatch(records);
        }
        if (detailType is null)
        {
            return JsonValues.Text(root, "taskDefinition") switch
            {
                null => new AuditEvent.Ignored("unknown", "neither an EventBridge event nor {\"taskDefinition\": ...}"),
                var reference when !TaskDefinitionReference.IsValid(reference) => new AuditEvent.Ignored(AuditEvent.DirectAudit.InvocationName, TaskDefinitionReference.InvalidReason),
                var reference => new AuditEvent.DirectAudit(reference),
            };
        }
        if (detailType == ScheduledEventDetailType && source == "aws.events")
        {
            return new AuditEvent.SweepRequested();
        }
        if (detailType != CloudTrailEvent.DetailType || JsonValues.Object(root, "detail") is not { } detail || CloudTrailEvent.Read(detail) is not { } call)
        {
            return new AuditEvent.Ignored(detailType, $"an event of source {source ?? "(none)"} the auditor does not act on");
        }
        if (call.ErrorCode is { } error)
        {
            return new AuditEvent.Ignored(call.EventName, $"the call failed ({error}): nothing changed");
        }
        var read = (source, call.EventSource) switch
        {
            ("aws.ecs", "ecs.amazonaws.com") => EcsEventReader.Read(call),
            ("aws.iam", "iam.amazonaws.com") => IamEventReader.Read(call),
            _ => new AuditEvent.Ignored(call.EventName, $"a CloudTrail event from {call.EventSource} the auditor does not act on"),
        };
        var account = JsonValues.Text(root, "account");
        var region = JsonValues.Text(root, "region");
        if (read is AuditEvent.Ignored || !Configuration.AwsNames.IsAccountId(account) || !Configuration.AwsNames.IsRegion(region))
        {
            return read;
        }
        return Disagreement(detail, read, account!, region!) is { } disagreement
            ? new AuditEvent.Ignored(call.EventName, disagreement)
            : read with { Origin = new EventOrigin(account!, region!) };
    }

    // The envelope says where the event happened and organization mode reads and alerts there. CloudTrail's record says
    // it too (recipientAccountId, awsRegion: CloudTrail User Guide, "CloudTrail record contents"), and a task definition
    // ARN names its own account and region (ECS has no cross-account task definitions). An event whose parts disagree
    // is not one AWS delivered: acted on, it would audit one account's task definition under another's alert attributes.
    private static string? Disagreement(JsonElement detail, AuditEvent read, string account, string region)
    {
        if (JsonValues.Text(detail, "recipientAccountId") is { } recipient && recipient != account)
        {
            return "detail.recipientAccountId is not the event's account";
        }
        if (JsonValues.Text(detail, "awsRegion") is { } awsRegion && awsRegion != region)
        {
            return "detail.awsRegion is not the event's region";
        }
        var reference = read switch
        {
            AuditEvent.TaskDefinitionRegistered registered => registered.Reference,
            AuditEvent.TaskStartedWithRoleOverrides started => started.TaskDefinition,
            _ => null,
        };
        return reference is not null && Arn.TryParse(reference, out var arn) && (arn.Account != account || arn.Region != region)
            ? "the task definition's ARN names another account or region than the event's"
            : null;
    }
}
