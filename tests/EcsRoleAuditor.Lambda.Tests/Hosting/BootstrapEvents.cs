using System.Text.Json.Nodes;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>The sample events the end-to-end tests of the published bootstrap send, with ids EventBridge would give them.</summary>
internal static class BootstrapEvents
{
    /// <summary>A sample event with its own id (EventBridge gives every event one and keeps it on a retried delivery), changed as asked.</summary>
    public static string Event(string sample, string id, Action<JsonNode>? change = null)
    {
        var node = JsonNode.Parse(SampleEvents.Read(sample))!;
        node["id"] = id;
        change?.Invoke(node);
        return node.ToJsonString();
    }

    /// <summary>Revision 13 of billing-worker, registered with orders-api's execution role, which has no application permissions.</summary>
    public static string FixedIn13(string id) => Event("register-task-definition-violating.json", id, node =>
    {
        var definition = node["detail"]!["responseElements"]!["taskDefinition"]!;
        definition["revision"] = 13;
        definition["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:13";
        definition["executionRoleArn"] = "arn:aws:iam::111122223333:role/service-role/orders-api-execution";
    });
}
