using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Audit.Tests.Rules.Placement;

/// <summary>Builds scenarios for the placement rules: a task definition in account 111122223333, eu-west-1, and roles with real AWS managed policies or inline documents.</summary>
internal static class PlacementScenarios
{
    public const string Account = "111122223333";
    public const string TaskRoleArn = $"arn:aws:iam::{Account}:role/web-task";
    public const string ExecutionRoleArn = $"arn:aws:iam::{Account}:role/web-execution";
    public const string PrivateImage = $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/web:1.4";
    public const string RepositoryArn = $"arn:aws:ecr:eu-west-1:{Account}:repository/web";
    public const string SecretArn = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db-AbCdEf";
    public const string ParameterArn = $"arn:aws:ssm:eu-west-1:{Account}:parameter/prod/api-key";

    /// <summary>A container named web; <paramref name="extra"/> adds fields such as secrets or logConfiguration.</summary>
    public static JsonObject Container(string image = PrivateImage, JsonObject? extra = null)
    {
        var container = new JsonObject { ["name"] = "web", ["image"] = image };
        foreach (var (key, value) in extra ?? [])
        {
            container[key] = value?.DeepClone();
        }
        return container;
    }

    public static JsonObject Awslogs => new()
    {
        ["logConfiguration"] = new JsonObject
        {
            ["logDriver"] = "awslogs",
            ["options"] = new JsonObject { ["awslogs-group"] = "/ecs/web", ["awslogs-region"] = "eu-west-1", ["awslogs-stream-prefix"] = "ecs" },
        },
    };

    public static JsonObject Secrets(params (string Name, string ValueFrom)[] secrets) => new()
    {
        ["secrets"] = new JsonArray([.. secrets.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["valueFrom"] = s.ValueFrom })]),
    };

    public static JsonObject Merge(params JsonObject[] parts)
    {
        var merged = new JsonObject();
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                merged[key] = value?.DeepClone();
            }
        }
        return merged;
    }

    /// <summary>A role: AWS managed policies by name (from the corpus) and inline documents by name.</summary>
    public static JsonObject Role(string arn, string[]? managed = null, Dictionary<string, string>? inline = null, JsonObject? boundary = null)
    {
        var role = new JsonObject { ["arn"] = arn };
        if (managed is { Length: > 0 })
        {
            var policies = new JsonObject();
            foreach (var name in managed)
            {
                var policy = ManagedPolicyCorpus.Get(name);
                policies[policy.Arn] = JsonNode.Parse(policy.DocumentJson);
            }
            role["managed"] = policies;
        }
        if (inline is { Count: > 0 })
        {
            role["inline"] = new JsonObject(inline.Select(p => KeyValuePair.Create(p.Key, JsonNode.Parse(p.Value))));
        }
        if (boundary is not null)
        {
            role["boundary"] = boundary;
        }
        return role;
    }

    /// <summary>A scenario JSON: a task definition naming the roles given (task role first when present).</summary>
    public static string Build(JsonObject container, JsonObject? executionRole, JsonObject? taskRole = null, JsonArray? volumes = null)
    {
        var definition = new JsonObject
        {
            ["family"] = "web",
            ["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:{Account}:task-definition/web:7",
            ["containerDefinitions"] = new JsonArray(container.DeepClone()),
        };
        if (taskRole is not null)
        {
            definition["taskRoleArn"] = taskRole["arn"]!.GetValue<string>();
        }
        if (executionRole is not null)
        {
            definition["executionRoleArn"] = executionRole["arn"]!.GetValue<string>();
        }
        if (volumes is not null)
        {
            definition["volumes"] = volumes.DeepClone();
        }
        var roles = new JsonArray();
        foreach (var role in new[] { taskRole, executionRole }.OfType<JsonObject>())
        {
            roles.Add(role.DeepClone());
        }
        return new JsonObject { ["taskDefinition"] = definition, ["roles"] = roles }.ToJsonString();
    }

    /// <summary>The scenario with more task definition fields, e.g. <c>requiresCompatibilities</c>.</summary>
    public static string WithDefinitionFields(string scenarioJson, JsonObject fields)
    {
        var scenario = JsonNode.Parse(scenarioJson)!.AsObject();
        foreach (var (key, value) in fields)
        {
            scenario["taskDefinition"]![key] = value?.DeepClone();
        }
        return scenario.ToJsonString();
    }

    /// <summary>Declares the launch types the task definition runs on (<c>requiresCompatibilities</c>).</summary>
    public static string RunningOn(string scenarioJson, params string[] launchTypes) =>
        WithDefinitionFields(scenarioJson, new JsonObject { ["requiresCompatibilities"] = new JsonArray([.. launchTypes.Select(t => (JsonNode)t)]) });

    public static async Task<IReadOnlyList<Finding>> FindingsOf(string scenario, params RuleDescriptor[] rules)
    {
        var report = await RuleExampleTests.Audit(scenario, "placement scenario");
        return [.. report.Findings.Where(f => rules.Contains(f.Rule))];
    }

    public static readonly RuleDescriptor[] PlacementRuleDescriptors = [.. PlacementRules.All.Select(r => r.Descriptor)];
}
