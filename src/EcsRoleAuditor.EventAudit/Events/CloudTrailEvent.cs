using System.Text.Json;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>
/// The parts of an EventBridge "AWS API Call via CloudTrail" event the auditor reads: <c>detail.eventSource</c>,
/// <c>detail.eventName</c>, <c>detail.errorCode</c>, <c>detail.requestParameters</c> and <c>detail.responseElements</c>
/// (either may be null: CloudTrail omits large or empty ones).
/// </summary>
/// <param name="EventSource">e.g. <c>ecs.amazonaws.com</c>.</param>
/// <param name="EventName">e.g. <c>RegisterTaskDefinition</c>.</param>
/// <param name="ErrorCode">Set when the call failed.</param>
/// <param name="RequestParameters">The request, when recorded.</param>
/// <param name="ResponseElements">The response, when recorded.</param>
internal sealed record CloudTrailEvent(string EventSource, string EventName, string? ErrorCode, JsonElement? RequestParameters, JsonElement? ResponseElements)
{
    /// <summary>The EventBridge <c>detail-type</c> of CloudTrail management events.</summary>
    public const string DetailType = "AWS API Call via CloudTrail";

    /// <summary>Reads the <c>detail</c> object; null when it is not a CloudTrail record.</summary>
    public static CloudTrailEvent? Read(JsonElement detail)
    {
        if (detail.ValueKind != JsonValueKind.Object
            || JsonValues.Text(detail, "eventSource") is not { } source
            || JsonValues.Text(detail, "eventName") is not { } name)
        {
            return null;
        }
        return new CloudTrailEvent(source, name, JsonValues.Text(detail, "errorCode"),
            JsonValues.Object(detail, "requestParameters"), JsonValues.Object(detail, "responseElements"));
    }

    /// <summary>A string of the request parameters at the given path of property names, or null.</summary>
    public string? Request(params string[] path) => RequestParameters is { } request ? JsonValues.Text(request, path) : null;
}
