using System.Text.Json.Nodes;

namespace EcsRoleAuditor.TestData;

/// <summary>
/// A generated account for the benchmarks: roles r0..rN with a trust policy for ecs-tasks, one inline policy, one of 20
/// customer managed policies each and AmazonECSTaskExecutionRolePolicy on even roles; task definition families
/// app-0..app-M at revision 1, family i using roles i % N (task) and (i + 1) % N (execution). The account also holds
/// every AWS managed policy of the corpus, as GetAccountAuthorizationDetails returns them.
/// </summary>
public static class SyntheticAccount
{
    /// <summary>The account of every ARN.</summary>
    public const string Account = "111122223333";

    /// <summary>get-account-authorization-details output and describe-task-definition outputs (a JSON array).</summary>
    public static (string Iam, string TaskDefinitions) Generate(int taskDefinitions, int roles)
    {
        const string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        var roleList = new JsonArray();
        for (var r = 0; r < roles; r++)
        {
            var attached = new JsonArray(Attached($"arn:aws:iam::{Account}:policy/app-{r % 20}", $"app-{r % 20}"));
            if (r % 2 == 0)
            {
                attached.Add(Attached("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", "AmazonECSTaskExecutionRolePolicy"));
            }
            roleList.Add(new JsonObject
            {
                ["RoleName"] = $"r{r}", ["Path"] = "/", ["Arn"] = $"arn:aws:iam::{Account}:role/r{r}", ["RoleId"] = $"AROA{r:D16}",
                ["AssumeRolePolicyDocument"] = JsonNode.Parse(trust),
                ["RolePolicyList"] = new JsonArray(new JsonObject
                {
                    ["PolicyName"] = "queue",
                    ["PolicyDocument"] = JsonNode.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:eu-west-1:{{Account}}:q{{r}}"}]}"""),
                }),
                ["AttachedManagedPolicies"] = attached, ["Tags"] = new JsonArray(),
            });
        }
        var policies = new JsonArray();
        for (var p = 0; p < 20; p++)
        {
            policies.Add(Policy($"app-{p}", $"arn:aws:iam::{Account}:policy/app-{p}", "/",
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-{{p}}/*"}]}"""));
        }
        foreach (var managed in ManagedPolicyCorpus.All)
        {
            policies.Add(Policy(managed.Name, managed.Arn, "/", managed.DocumentJson, managed.VersionId));
        }
        var iam = new JsonObject { ["UserDetailList"] = new JsonArray(), ["GroupDetailList"] = new JsonArray(), ["RoleDetailList"] = roleList, ["Policies"] = policies };
        var definitions = new JsonArray();
        for (var i = 0; i < taskDefinitions; i++)
        {
            definitions.Add(new JsonObject
            {
                ["taskDefinition"] = new JsonObject
                {
                    ["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:{Account}:task-definition/app-{i}:1", ["family"] = $"app-{i}", ["revision"] = 1, ["status"] = "ACTIVE",
                    ["taskRoleArn"] = $"arn:aws:iam::{Account}:role/r{i % roles}", ["executionRoleArn"] = $"arn:aws:iam::{Account}:role/r{(i + 1) % roles}",
                    ["containerDefinitions"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/app-{i}:1" }),
                },
                ["tags"] = new JsonArray(),
            });
        }
        return (iam.ToJsonString(), definitions.ToJsonString());

        static JsonObject Attached(string arn, string name) => new() { ["PolicyArn"] = arn, ["PolicyName"] = name };

        static JsonObject Policy(string name, string arn, string path, string document, string version = "v1") => new()
        {
            ["PolicyName"] = name, ["Arn"] = arn, ["Path"] = path, ["DefaultVersionId"] = version, ["AttachmentCount"] = 1, ["IsAttachable"] = true,
            ["PolicyVersionList"] = new JsonArray(new JsonObject { ["Document"] = JsonNode.Parse(document), ["VersionId"] = version, ["IsDefaultVersion"] = true }),
        };
    }
}
