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

    /// <summary>The function role's inline policies by name, with intrinsic functions resolved, for the parameters' defaults.</summary>
    public static Dictionary<string, JsonObject> FunctionPolicies => FunctionPoliciesWith();

    /// <summary>The function role's inline policies by name for these parameter values (the others: their defaults).</summary>
    public static Dictionary<string, JsonObject> FunctionPoliciesWith(params (string Name, string Value)[] parameters)
    {
        var values = parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        return Resolve(Resource("FunctionRole")["Properties"]!["Policies"], values)!.AsArray()
            .ToDictionary(p => p!["PolicyName"]!.GetValue<string>(), p => p!["PolicyDocument"]!.AsObject());
    }

    /// <summary>The actions of a policy's statements.</summary>
    public static IEnumerable<string> Actions(JsonObject policy) =>
        policy["Statement"]!.AsArray().SelectMany(s => s!["Action"] is JsonArray list ? list.Select(a => a!.GetValue<string>()) : [s["Action"]!.GetValue<string>()]);

    /// <summary>
    /// The value with Ref, Fn::Sub, Fn::GetAtt and Fn::If resolved as CloudFormation would for the example stack with
    /// these parameter values (the others: their defaults); <c>AWS::NoValue</c> drops the list item or member.
    /// </summary>
    public static JsonNode? Resolve(JsonNode? node, IReadOnlyDictionary<string, string>? parameters = null)
    {
        parameters ??= new Dictionary<string, string>();
        return node switch
        {
            JsonObject { Count: 1 } single when single.ContainsKey("Ref") && single["Ref"]!.GetValue<string>() == "AWS::NoValue" => NoValue,
            JsonObject { Count: 1 } single when single.ContainsKey("Ref") => JsonValue.Create(Ref(single["Ref"]!.GetValue<string>(), parameters)),
            JsonObject { Count: 1 } single when single.ContainsKey("Fn::Sub") => JsonValue.Create(Substitute(single["Fn::Sub"]!.GetValue<string>(), parameters)),
            JsonObject { Count: 1 } single when single.ContainsKey("Fn::GetAtt") => JsonValue.Create(Attribute(single["Fn::GetAtt"]![0]!.GetValue<string>(), single["Fn::GetAtt"]![1]!.GetValue<string>())),
            JsonObject { Count: 1 } single when single.ContainsKey("Fn::If") => Resolve(
                single["Fn::If"]![Holds(single["Fn::If"]![0]!.GetValue<string>(), parameters) ? 1 : 2], parameters),
            JsonObject map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, parameters))).Where(p => !ReferenceEquals(p.Value, NoValue))),
            JsonArray list => new JsonArray([.. list.Select(i => Resolve(i, parameters)).Where(i => !ReferenceEquals(i, NoValue))]),
            _ => node?.DeepClone(),
        };
    }

    /// <summary>Whether the template's condition holds for these parameter values (the others: their defaults).</summary>
    public static bool Holds(string condition, IReadOnlyDictionary<string, string> parameters) =>
        Evaluate(Root["Conditions"]![condition]!, parameters);

    // AWS::NoValue while resolving: removed from the list or object that holds it.
    private static readonly JsonNode NoValue = JsonValue.Create("AWS::NoValue");

    private static bool Evaluate(JsonNode condition, IReadOnlyDictionary<string, string> parameters)
    {
        var (function, arguments) = condition.AsObject().Single();
        return function switch
        {
            "Fn::Equals" => Resolve(arguments![0], parameters)!.ToString() == Resolve(arguments[1], parameters)!.ToString(),
            "Fn::Not" => !Evaluate(arguments![0]!, parameters),
            "Fn::And" => arguments!.AsArray().All(c => Evaluate(c!, parameters)),
            "Fn::Or" => arguments!.AsArray().Any(c => Evaluate(c!, parameters)),
            "Condition" => Holds(arguments!.GetValue<string>(), parameters),
            _ => throw new NotSupportedException($"{function} in a condition"),
        };
    }

    private static string Ref(string name, IReadOnlyDictionary<string, string> parameters) => parameters.TryGetValue(name, out var value) ? value : Ref(name);

    private static string Ref(string name) => name switch
    {
        "AWS::AccountId" => Account,
        "AWS::Region" => Region,
        "AWS::Partition" => "aws",
        "AWS::StackName" => StackName,
        "AlertTopic" => $"arn:aws:sns:{Region}:{Account}:{StackName}-AlertTopic-1ABCDEF",
        "AlertKey" => "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        "CentralEventBus" => StackName,
        "SweepQueue" => $"https://sqs.{Region}.amazonaws.com/{Account}/{StackName}-SweepQueue-1ABCDEF",
        _ when Root["Parameters"]!.AsObject().ContainsKey(name) => Root["Parameters"]![name]!["Default"]?.ToString() ?? "",
        _ => $"{StackName}-{name}-1ABCDEF",
    };

    private static string Attribute(string resource, string attribute) => (resource, attribute) switch
    {
        ("AlertKey", "Arn") => $"arn:aws:kms:{Region}:{Account}:key/{Ref("AlertKey")}",
        ("DeadLetterQueue", "Arn") => $"arn:aws:sqs:{Region}:{Account}:{StackName}-DeadLetterQueue-1ABCDEF",
        ("SweepQueue", "Arn") => $"arn:aws:sqs:{Region}:{Account}:{StackName}-SweepQueue-1ABCDEF",
        ("SweepDeadLetterQueue", "Arn") => $"arn:aws:sqs:{Region}:{Account}:{StackName}-SweepDeadLetterQueue-1ABCDEF",
        ("CentralEventBus", "Arn") => $"arn:aws:events:{Region}:{Account}:event-bus/{StackName}",
        ("FunctionLogGroup", "Arn") => $"arn:aws:logs:{Region}:{Account}:log-group:/aws/lambda/{StackName}-ecs-role-auditor:*",
        ("FunctionRole", "Arn") => $"arn:aws:iam::{Account}:role/{StackName}-FunctionRole-1ABCDEF",
        ("StateTable", "Arn") => $"arn:aws:dynamodb:{Region}:{Account}:table/{Ref("StateTable")}",
        _ => $"{resource}.{attribute}",
    };

    // ${Resource.Attribute} is Fn::GetAtt, ${Name} is Ref.
    private static string Substitute(string text, IReadOnlyDictionary<string, string> parameters) => SubVariable().Replace(text, m =>
        m.Groups[1].Value.Split('.', 2) is [var resource, var attribute] ? Attribute(resource, attribute) : Ref(m.Groups[1].Value, parameters));

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubVariable();
}
