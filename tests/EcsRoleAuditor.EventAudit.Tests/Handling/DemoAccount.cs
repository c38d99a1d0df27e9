using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>The CLI's demo account (roles and task definitions) and the sample events, read from the repository.</summary>
internal static class DemoAccount
{
    public const string TopicArn = "arn:aws:sns:eu-west-1:111122223333:ecs-role-auditor-AlertTopic-EXAMPLE";
    public const string FunctionArn = "arn:aws:lambda:eu-west-1:111122223333:function:ecs-role-auditor-EcsRoleAuditorFunction-EXAMPLE";

    public static string AccountJson => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", "account.json"));

    public static string TaskDefinitionsJson => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", "task-definitions.json"));

    public static byte[] Event(string name) => SampleEvents.Read(name);

    /// <summary>
    /// A sample event under its own id, optionally changed: EventBridge gives every event its own id, the same on a
    /// retried delivery (EventBridge User Guide, "Amazon EventBridge events": id is "a unique value generated for every
    /// event"), and the findings store's claims are made under it.
    /// </summary>
    public static byte[] Event(string name, string id, Action<JsonNode>? change = null)
    {
        var node = JsonNode.Parse(Event(name))!;
        node["id"] = id;
        change?.Invoke(node);
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    public static IEnumerable<string> EventNames => SampleEvents.Names;

    public static RecordedIam Recorded()
    {
        using var document = JsonDocument.Parse(AccountJson);
        return RecordedIam.Read(document.RootElement, "demo account.json");
    }

    /// <summary>Each demo task definition's describe-task-definition output, by ARN.</summary>
    public static Dictionary<string, string> DescribeOutputs()
    {
        using var document = JsonDocument.Parse(TaskDefinitionsJson);
        return document.RootElement.EnumerateArray().ToDictionary(
            item => item.GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString()!,
            item => item.GetRawText(),
            StringComparer.Ordinal);
    }
}
