using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.TestData;
using YamlDotNet.RepresentationModel;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>fix --format cloudformation</c>: YAML that YamlDotNet parses, whose resources carry the documents the JSON format
/// writes (AWS CloudFormation User Guide, "AWS::IAM::Role" and "AWS::IAM::RolePolicy"; logical IDs alphanumeric, as the
/// "Resources" section requires).
/// </summary>
public sealed class FixCloudFormationTests : IDisposable
{
    private readonly ScratchFolder _dir = new("era-fix-cfn-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_swapped_billing_worker_is_two_role_policies_with_the_documents_of_the_json()
    {
        var yaml = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "billing-worker", "--format", "cloudformation");
        var json = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "billing-worker");

        Assert.Equal(0, yaml.ExitCode);
        var resources = Resources(yaml.Stdout);
        Assert.Equal(["BillingWorkerExecutionPolicy", "BillingWorkerTaskEcrAndLogsPolicy"], resources.Keys);
        var fix = JsonNode.Parse(json.Stdout)!["fixes"]![0]!;
        var execution = resources["BillingWorkerExecutionPolicy"];
        Assert.Equal("AWS::IAM::RolePolicy", execution["Type"]!.GetValue<string>());
        Assert.Equal("billing-worker-execution", execution["Properties"]!["RoleName"]!.GetValue<string>());
        Assert.Equal("ecs-task-execution", execution["Properties"]!["PolicyName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(fix["executionRole"]!["policy"], execution["Properties"]!["PolicyDocument"]));
        var task = resources["BillingWorkerTaskEcrAndLogsPolicy"]["Properties"]!;
        Assert.Equal(("billing-worker-task", "ecr-and-logs"), (task["RoleName"]!.GetValue<string>(), task["PolicyName"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(fix["taskRole"]!["policies"]![0]!["policy"], task["PolicyDocument"]));
        Assert.Contains("  # detach arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy from billing-worker-execution\n", yaml.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_execution_role_is_a_role_with_its_trust_and_policy()
    {
        var yaml = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "legacy-reports", "--format", "cloudformation");
        var json = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "legacy-reports");

        var resources = Resources(yaml.Stdout);
        var role = resources["LegacyReportsExecutionRole"];
        Assert.Equal("AWS::IAM::Role", role["Type"]!.GetValue<string>());
        var fix = JsonNode.Parse(json.Stdout)!["fixes"]![0]!["executionRole"]!;
        Assert.True(JsonNode.DeepEquals(fix["trustPolicy"], role["Properties"]!["AssumeRolePolicyDocument"]));
        Assert.True(JsonNode.DeepEquals(fix["policy"], role["Properties"]!["Policies"]![0]!["PolicyDocument"]));
        Assert.Equal("LegacyReportsTaskMakeItWorkPolicy", resources.Keys.Last());
    }

    [Fact]
    public void The_kept_kms_Decrypt_is_in_the_role_policy_as_in_the_json()
    {
        var (definitions, iam) = FixKeptKmsDecryptInput.Write(_dir);

        var yaml = CliRun.Of("fix", "--task-definitions", definitions, "--iam", iam, "--format", "cloudformation");
        var json = CliRun.Of("fix", "--task-definitions", definitions, "--iam", iam);

        Assert.Equal(0, yaml.ExitCode);
        var document = Resources(yaml.Stdout)["WebExecutionPolicy"]["Properties"]!["PolicyDocument"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json.Stdout)!["fixes"]![0]!["executionRole"]!["policy"], document));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FixKeptKmsDecryptInput.KeptStatement), document["Statement"]!.AsArray()[^1]));
        Assert.Contains("  # note: The input does not say which KMS key encrypts secret DB of container web", yaml.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_names_stay_inside_their_scalars_and_comments()
    {
        var file = _dir.Write("hostile.json", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1","family":"web","revision":1,
             "executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
             "containerDefinitions":[{"name":"web","image":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/web\"\\\n: x\u001b[31m\u202e:1",
               "secrets":[{"name":"A","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:a\"\n  Evil: 1 #\u001b"}]}]}}
            """);

        var run = CliRun.Of("fix", "--task-definitions", file, "--format", "cloudformation");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.DoesNotContain('\u202e', run.Stdout);
        // Nothing escaped its scalar: one resource, and its document is the JSON format's, value for value.
        var resources = Resources(run.Stdout);
        Assert.Equal(["WebExecutionPolicy"], resources.Keys);
        var json = JsonNode.Parse(CliRun.Of("fix", "--task-definitions", file).Stdout)!["fixes"]![0]!["executionRole"]!["policy"];
        Assert.True(JsonNode.DeepEquals(json, resources["WebExecutionPolicy"]["Properties"]!["PolicyDocument"]), run.Stdout);
        Assert.Contains("Evil", json!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_that_needs_no_policy_is_an_empty_resources_map_with_its_notes()
    {
        // The Resources section is a map of resources (AWS CloudFormation User Guide, "Resources"): empty, never null.
        var file = _dir.Write("public.json", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","family":"web","revision":3,
             "executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]}}
            """);

        var run = CliRun.Of("fix", "--task-definitions", file, "--format", "cloudformation");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Resources: {}\n", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(Resources(run.Stdout));
        Assert.Contains("  # note: web:3 needs no permission of its execution role", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_CloudFormation_names_is_named_by_Ref_and_a_nested_ones_policy_says_where_it_belongs()
    {
        // Without RoleName CloudFormation generates the name, and Ref of the role resource returns it (AWS CloudFormation User
        // Guide, "AWS::IAM::Role", RoleName and return values): a literal name in the snippet would name no role.
        var template = _dir.Write("unnamed.yaml", """
            Resources:
              ExecutionRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]}
              TaskDefinition:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  Family: web
                  ExecutionRoleArn: !GetAtt ExecutionRole.Arn
                  ContainerDefinitions: [{Name: web, Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1}]
            """);
        var nested = Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests", "Templates", "nested-service.yaml");

        var root = CliRun.Of("fix", "--cloudformation", template, "--account", "111122223333", "--region", "eu-west-1", "--format", "cloudformation");
        var inNested = CliRun.Of("fix", "--cloudformation", nested, "--account", "111122223333", "--region", "eu-west-1", "--format", "cloudformation");

        Assert.Equal((0, 0), (root.ExitCode, inNested.ExitCode));
        Assert.Equal("ExecutionRole", Resources(root.Stdout)["WebExecutionPolicy"]["Properties"]!["RoleName"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ExecutionRole", Resources(inNested.Stdout)["OrdersProdExecutionPolicy"]["Properties"]!["RoleName"]!["Ref"]!.GetValue<string>());
        Assert.Contains("  # OrdersProdExecutionPolicy belongs in the template of the nested stack Roles, where Ref ExecutionRole names the role CloudFormation creates\n",
            inNested.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billing-worker", "BillingWorker")]
    [InlineData("my_app.v2-prod", "MyAppV2Prod")]
    [InlineData("---", "Role")]
    public void Logical_ids_are_alphanumeric(string family, string expected)
    {
        Assert.Equal(expected, EcsRoleAuditor.Audit.Fixes.CloudFormationSnippet.LogicalId(family));
    }

    // The Resources map as JSON, from YamlDotNet's parse (every scalar is quoted, so each is a string or a literal).
    private static Dictionary<string, JsonNode> Resources(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var resources = (YamlMappingNode)root.Children[new YamlScalarNode("Resources")];
        return resources.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ToJson(c.Value)!);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException(node.NodeType.ToString()),
    };
}
