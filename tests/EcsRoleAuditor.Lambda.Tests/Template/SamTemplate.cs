using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Lambda.Tests.Template;

/// <summary>template.yaml, parsed, with the parts the tests look at and intrinsic functions resolved for one example stack.</summary>
internal static partial class SamTemplate
{
    public const string Account = "111122223333", Region = "eu-west-1", StackName = "ecs-role-auditor";

    public static JsonObject Root { get; } = CloudFormationYaml.Read(Path.Combine(RepositoryPaths.Root, "template.yaml"));

    public static JsonObject Resources => Root[nameof(Resources)]!.AsObject();

    public static JsonObject Resource(string logicalId) => Resources[logicalId]!.AsObject();

    public static JsonObject Function => Resource("EcsRoleAuditorFunction")["Properties"]!.AsObject();

    /// <summary>The function's EventBridge rules (SAM events of type EventBridgeRule) by name.</summary>
    public static Dictionary<string, JsonObject> Rules =>
        Function["Events"]!.AsObject().Where(e => e.Value!["Type"]!.GetValue<string>() == "EventBridgeRule")
            .ToDictionary(e => e.Key, e => e.Value!["Properties"]!.AsObject());

    /// <summary>The function role's inline policies by name, with intrinsic functions resolved.</summary>
    public static Dictionary<string, JsonObject> FunctionPolicies =>
        Resource("FunctionRole")["Properties"]!["Policies"]!.AsArray()
            .ToDictionary(p => p!["PolicyName"]!.GetValue<string>(), p => Resolve(p!["PolicyDocument"])!.AsObject());

    /// <summary>The actions of a policy's statements.</summary>
    public static IEnumerable<string> Actions(JsonObject policy) =>
        policy["Statement"]!.AsArray().SelectMany(s => s!["Action"] is JsonArray list ? list.Select(a => a!.GetValue<string>()) : [s["Action"]!.GetValue<string>()]);

    /// <summary>The value with Ref, Fn::Sub and Fn::GetAtt resolved as CloudFormation would for the example stack.</summary>
    public static JsonNode? Resolve(JsonNode? node) => node switch
    {
        JsonObject { Count: 1 } single when single.ContainsKey("Ref") => JsonValue.Create(Ref(single["Ref"]!.GetValue<string>())),
        JsonObject { Count: 1 } single when single.ContainsKey("Fn::Sub") => JsonValue.Create(Substitute(single["Fn::Sub"]!.GetValue<string>())),
        JsonObject { Count: 1 } single when single.ContainsKey("Fn::GetAtt") => JsonValue.Create(Attribute(single["Fn::GetAtt"]![0]!.GetValue<string>(), single["Fn::GetAtt"]![1]!.GetValue<string>())),
        JsonObject map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(Resolve)]),
        _ => node?.DeepClone(),
    };

    private static string Ref(string name) => name switch
    {
        "AWS::AccountId" => Account,
        "AWS::Region" => Region,
        "AWS::Partition" => "aws",
        "AWS::StackName" => StackName,
        "AlertTopic" => $"arn:aws:sns:{Region}:{Account}:{StackName}-AlertTopic-1ABCDEF",
        "AlertKey" => "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        _ when Root["Parameters"]!.AsObject().ContainsKey(name) => Root["Parameters"]![name]!["Default"]?.ToString() ?? "",
        _ => $"{StackName}-{name}-1ABCDEF",
    };

    private static string Attribute(string resource, string attribute) => (resource, attribute) switch
    {
        ("AlertKey", "Arn") => $"arn:aws:kms:{Region}:{Account}:key/{Ref("AlertKey")}",
        ("DeadLetterQueue", "Arn") => $"arn:aws:sqs:{Region}:{Account}:{StackName}-DeadLetterQueue-1ABCDEF",
        ("FunctionLogGroup", "Arn") => $"arn:aws:logs:{Region}:{Account}:log-group:/aws/lambda/{StackName}-ecs-role-auditor:*",
        ("FunctionRole", "Arn") => $"arn:aws:iam::{Account}:role/{StackName}-FunctionRole-1ABCDEF",
        _ => $"{resource}.{attribute}",
    };

    private static string Substitute(string text) => SubVariable().Replace(text, m => Ref(m.Groups[1].Value));

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubVariable();
}
