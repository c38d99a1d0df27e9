using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Audit.Tests.Fixes;

/// <summary>The execution role written from a task definition, checked by auditing the task definition with it.</summary>
public sealed class ExecutionRoleFixTests
{
    private const string Account = "111122223333";

    [Fact]
    public async Task Every_demo_task_definition_runs_clean_on_the_execution_role_written_for_it()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", "task-definitions.json")));
        var definitions = TaskDefinitionReader.Read(document.RootElement, "demo task definitions");

        Assert.Equal(3, definitions.Count);
        foreach (var definition in definitions)
        {
            var fix = ExecutionRoleFix.For(definition);
            var verification = await FixVerification.VerifyAsync(Auditor.WithAllRules(), definition, fix);
            Assert.True(verification.Holds, $"{definition.DisplayName}: {string.Join("; ", verification.Failures.Select(f => $"{f.RuleId} {f.Message}"))}");
        }
    }

    [Fact]
    public void Image_logs_a_secret_without_suffix_and_a_parameter_get_exact_statements_and_the_guarded_trust()
    {
        var definition = Read(TaskDefinitionJson(
            image: $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/web:1.4",
            secrets: [("DB_PASSWORD", $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db"), ("API_URL", "/web/api-url")],
            logging: new JsonObject { ["logDriver"] = "awslogs", ["options"] = new JsonObject { ["awslogs-group"] = "/ecs/web", ["awslogs-region"] = "eu-west-1", ["awslogs-stream-prefix"] = "web" } }));

        var fix = ExecutionRoleFix.For(definition);

        Assert.Equal($"arn:aws:iam::{Account}:role/web-execution", fix.RoleArn);
        Assert.False(fix.NewRole);
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":["""
            + """{"Sid":"EcrGetAuthorizationToken","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},"""
            + """{"Sid":"Ecr","Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"],"Resource":"arn:aws:ecr:eu-west-1:111122223333:repository/web"},"""
            + """{"Sid":"SecretsmanagerGetSecretValue","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-??????"},"""
            + """{"Sid":"SsmGetParameters","Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:eu-west-1:111122223333:parameter/web/api-url"},"""
            + """{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web:*"}]}""",
            fix.PolicyJson);
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":"""
            + """{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}""",
            fix.TrustPolicyJson);
        Assert.Equal(2, fix.Notes.Length);
        Assert.Contains(fix.Notes, n => n.Contains("without its random suffix", StringComparison.Ordinal));
        // Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": a secret under a customer managed key also
        // needs kms:Decrypt on it, which the task definition cannot tell; the note says so rather than the policy being "all".
        Assert.Contains(fix.Notes, n => n.Contains("kms:Decrypt on that key", StringComparison.Ordinal));
        Assert.Empty(fix.Placeholders);
    }

    [Fact]
    public async Task A_pull_through_cache_permission_is_written_apart_and_said_to_be_inferred()
    {
        var definition = Read(TaskDefinitionJson(image: $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/redis:7"));

        var fix = ExecutionRoleFix.For(definition);

        Assert.Contains("""{"Sid":"InferredEcrBatchImportUpstreamImage","Effect":"Allow","Action":"ecr:BatchImportUpstreamImage","Resource":"arn:aws:ecr:eu-west-1:111122223333:repository/docker-hub/library/redis"}""",
            fix.PolicyJson, StringComparison.Ordinal);
        Assert.Contains(fix.Notes, n => n.Contains("inferred, not certain", StringComparison.Ordinal));
        Assert.True((await FixVerification.VerifyAsync(Auditor.WithAllRules(), definition, fix)).Holds);
    }

    [Fact]
    public async Task Without_any_ARN_the_account_is_a_placeholder_the_verification_refuses()
    {
        var definition = Read(TaskDefinitionJson(arn: false, executionRole: "web-execution", secrets: [("API_URL", "/web/api-url")]));

        var fix = ExecutionRoleFix.For(definition);
        var verification = await FixVerification.VerifyAsync(Auditor.WithAllRules(), definition, fix);

        Assert.Equal(ExecutionRoleFix.AccountPlaceholder, Assert.Single(fix.Placeholders));
        Assert.Contains(fix.Notes, n => n.Contains("say * for them", StringComparison.Ordinal)); // arn:aws:ssm:*:*:parameter/web/api-url
        Assert.Empty(verification.Failures);
        Assert.False(verification.Holds);
        Assert.Single(verification.Unfinished);
    }

    [Fact]
    public async Task A_role_shared_with_the_task_role_gets_an_execution_role_of_its_own()
    {
        var definition = Read(TaskDefinitionJson(executionRole: "shared", taskRole: "shared"));

        var fix = ExecutionRoleFix.For(definition);

        Assert.True(fix.NewRole);
        Assert.Equal($"arn:aws:iam::{Account}:role/web-execution", fix.RoleArn);
        Assert.True((await FixVerification.VerifyAsync(Auditor.WithAllRules(), definition, fix)).Holds);
    }

    [Fact]
    public void A_policy_over_the_managed_policy_quota_says_where_it_fits()
    {
        var definition = Read(TaskDefinitionJson(secrets: [.. Enumerable.Range(0, 80).Select(i => ($"S{i}", $"/web/a-parameter-with-a-long-name-{i:D3}"))]));

        var fix = ExecutionRoleFix.For(definition);

        Assert.InRange(fix.PolicyJson!.Length, 6_145, 10_240);
        Assert.Contains(fix.Notes, n => n.Contains("more than the 6,144 a managed policy may hold", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_policy_that_lacks_a_need_fails_the_verification_with_the_missing_permission()
    {
        var definition = Read(TaskDefinitionJson(secrets: [("API_URL", "/web/api-url")]));
        var fix = ExecutionRoleFix.For(definition);
        var broken = fix with { PolicyJson = fix.PolicyJson!.Replace("ssm:GetParameters", "ssm:GetParameterHistory", StringComparison.Ordinal) };

        var verification = await FixVerification.VerifyAsync(Auditor.WithAllRules(), definition, broken);

        Assert.False(verification.Holds);
        Assert.Contains(verification.Failures, f => f.RuleId == "ERA021");
    }

    [Fact]
    public void Every_generated_task_definition_runs_on_the_execution_role_written_for_it()
    {
        GeneratedTaskDefinition.Sample(json =>
        {
            var definition = Read(json);
            var fix = ExecutionRoleFix.For(definition);
            var verification = FixVerification.VerifyAsync(Auditor.WithAllRules(), definition, fix).GetAwaiter().GetResult();
            Assert.True(verification.Failures.IsEmpty, $"{json.ToJsonString()}\n{fix.PolicyJson}\n{string.Join("\n", verification.Failures.Select(f => $"{f.RuleId} {f.Message}"))}");
            Assert.Equal(fix.Placeholders.IsEmpty, verification.Holds);
            AssertNeverWidenedSilently(fix);
        }, iter: 200, threads: 1);
    }

    // "*" only where AWS requires it (ecr:GetAuthorizationToken); a * for an unknown region or account only with a note that says so.
    private static void AssertNeverWidenedSilently(ExecutionRoleFix fix)
    {
        if (fix.PolicyJson is null)
        {
            return;
        }
        using var policy = JsonDocument.Parse(fix.PolicyJson);
        foreach (var statement in policy.RootElement.GetProperty("Statement").EnumerateArray())
        {
            var actions = List(statement.GetProperty("Action"));
            var resources = List(statement.GetProperty("Resource"));
            Assert.True(!resources.Contains("*") || actions.SequenceEqual(["ecr:GetAuthorizationToken"]), fix.PolicyJson);
            if (resources.Any(r => r.Split(':') is [_, _, _, var region, var account, ..] && (region == "*" || account == "*")))
            {
                Assert.Contains(fix.Notes, n => n.Contains("say * for them", StringComparison.Ordinal));
            }
        }

        static List<string> List(JsonElement value) =>
            value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [value.GetString()!];
    }

    // ---- generated task definitions: what TaskDefinitionNeeds derives needs from ----

    private static readonly string[] Images =
    [
        "nginx:1.27", "public.ecr.aws/docker/library/redis:7", $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/web:1.4",
        "444455556666.dkr.ecr.us-east-1.amazonaws.com/shared/base@sha256:0123", $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/nginx/nginx:1",
        "ghcr.io/acme/app:2",
    ];

    private static readonly string[] SecretSources =
    [
        $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db-AbCdEf", $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/api",
        $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/json-Xy12Zw:password::", $"arn:aws:secretsmanager:us-east-1:444455556666:secret:shared/key",
        "/web/api-url", "web-flag", $"arn:aws:ssm:eu-west-1:{Account}:parameter/web/token", "/aws/reference/secretsmanager/prod/ref",
    ];

    private static readonly Gen<JsonNode?> Logging = Gen.OneOf<JsonNode?>(
        Gen.Const(() => (JsonNode?)null),
        Gen.Select(Gen.OneOf("/ecs/web", "/ecs/other"), Gen.Bool, Gen.Bool, Gen.OneOf<string?>(null, "eu-west-1", "us-east-1")).Select((group, prefix, create, region) =>
        {
            var options = new JsonObject { ["awslogs-group"] = group };
            if (prefix)
            {
                options["awslogs-stream-prefix"] = "app";
            }
            if (create)
            {
                options["awslogs-create-group"] = "true";
            }
            if (region is not null)
            {
                options["awslogs-region"] = region;
            }
            return (JsonNode?)new JsonObject { ["logDriver"] = "awslogs", ["options"] = options };
        }),
        Gen.Const(() => (JsonNode?)new JsonObject { ["logDriver"] = "json-file" }));

    private static readonly Gen<JsonObject> GeneratedContainer = Gen.Select(
            Gen.OneOf(Images), Gen.OneOf(SecretSources).Array[0, 3], Logging, Gen.Int[0, 9])
        .Select((image, secrets, logging, extra) =>
        {
            var container = Container(image, [.. secrets.Select((s, i) => ($"S{i}", s))], logging);
            if (extra == 0)
            {
                container["environmentFiles"] = new JsonArray(new JsonObject { ["type"] = "s3", ["value"] = "arn:aws:s3:::web-config/app.env" });
            }
            if (extra == 1)
            {
                container["repositoryCredentials"] = new JsonObject { ["credentialsParameter"] = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:registry-Ab12Cd" };
            }
            return container;
        });

    private static readonly Gen<JsonObject> GeneratedTaskDefinition = Gen.Select(
            GeneratedContainer.Array[1, 3], Gen.Int[0, 9], Gen.OneOf<string?>(null, "arn:aws:iam::111122223333:role/web-execution", "web-execution", "shared",
                "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
            Gen.OneOf<string?>(null, "FARGATE", "EC2"))
        .Select((containers, arn, execution, launchType) =>
        {
            for (var i = 0; i < containers.Length; i++)
            {
                containers[i]["name"] = $"c{i}";
            }
            var definition = Definition(arn != 0, execution, execution == "shared" ? "shared" : "arn:aws:iam::111122223333:role/web-task", containers);
            if (launchType is not null)
            {
                ((JsonObject)definition["taskDefinition"]!)["requiresCompatibilities"] = new JsonArray(launchType);
            }
            return definition;
        });

    [Fact]
    public void Known_keys_get_kms_Decrypt_kept_to_the_service_and_region_that_reads_each_resource()
    {
        // Amazon ECS Developer Guide, "Amazon ECS task execution IAM role" (kms:Decrypt for a custom key); AWS KMS
        // Developer Guide, "kms:ViaService" (SERVICE.REGION.amazonaws.com).
        const string Secret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db-AbCdEf";
        const string Parameter = $"arn:aws:ssm:eu-west-1:{Account}:parameter/web/token";
        const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
        var definition = Read(TaskDefinitionJson(secrets: [("DB", Secret), ("TOKEN", Parameter)]));
        var keys = new Dictionary<string, string> { [Secret] = KeyId, [Parameter] = KeyId };

        var fix = ExecutionRoleFix.For(definition, keys);

        using var policy = System.Text.Json.JsonDocument.Parse(fix.PolicyJson!);
        var decrypt = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray(), s => s.GetProperty("Sid").GetString() == "KmsDecrypt");
        Assert.Equal($"arn:aws:kms:eu-west-1:{Account}:key/{KeyId}", decrypt.GetProperty("Resource").GetString()); // a key ID placed in the resource's account and region
        Assert.Equal(["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"],
            decrypt.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").EnumerateArray().Select(v => v.GetString()));
        Assert.DoesNotContain(fix.Notes, n => n.Contains("customer managed KMS key", StringComparison.Ordinal));
        // The written role is what the audit reads: no finding says the grant is out of place.
        Assert.Contains("kms:Decrypt", fix.ToRole().Policies.Single().Document.Statements.SelectMany(st => st.Actions!.Patterns));
    }

    [Fact]
    public void A_resource_without_a_key_of_its_own_needs_neither_a_grant_nor_a_note()
    {
        // A String parameter is not encrypted ("AWS Systems Manager Parameter Store", Systems Manager User Guide: only
        // SecureString parameters use a KMS key); an AWS managed key needs no grant (Amazon ECS Developer Guide, "Amazon
        // ECS task execution IAM role").
        const string Secret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db-AbCdEf";
        const string Parameter = $"arn:aws:ssm:eu-west-1:{Account}:parameter/web/url";
        var definition = Read(TaskDefinitionJson(secrets: [("DB", Secret), ("URL", Parameter)]));

        var fix = ExecutionRoleFix.For(definition, new Dictionary<string, string> { [Secret] = "alias/aws/secretsmanager", [Parameter] = ExecutionRoleFix.NoKey });

        Assert.DoesNotContain("kms:", fix.PolicyJson, StringComparison.Ordinal);
        Assert.DoesNotContain(fix.Notes, n => n.Contains("KMS key", StringComparison.Ordinal));
    }

    [Fact]
    public void Outside_the_commercial_and_GovCloud_partitions_the_key_is_granted_without_a_guessed_endpoint()
    {
        const string Secret = "arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:prod/db-AbCdEf";
        var definition = Read(TaskDefinitionJson(secrets: [("DB", Secret)]));

        var fix = ExecutionRoleFix.For(definition, new Dictionary<string, string> { [Secret] = "arn:aws-cn:kms:cn-north-1:111122223333:key/k1" });

        Assert.Contains("\"Sid\":\"KmsDecrypt\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"arn:aws-cn:kms:cn-north-1:111122223333:key/k1\"}", fix.PolicyJson, StringComparison.Ordinal);
        Assert.Contains(fix.Notes, n => n.StartsWith("kms:Decrypt on arn:aws-cn:kms:cn-north-1:111122223333:key/k1 is written without a kms:ViaService condition", StringComparison.Ordinal));
    }

    [Fact]
    public void A_parameter_in_an_unknown_region_gets_its_key_without_a_condition_that_could_never_match()
    {
        // kms:ViaService is SERVICE.REGION.amazonaws.com (AWS KMS Developer Guide, "kms:ViaService"); under StringEquals a
        // "*" in it is a literal star, which no request carries: the task could never decrypt its parameter.
        var definition = Read(TaskDefinitionJson(arn: false, executionRole: "web-execution", secrets: [("KEY", "/prod/api-key")]));
        var parameter = Assert.Single(EcsRoleAuditor.Audit.Needs.TaskDefinitionNeeds.Derive(definition), n => n.Action == "ssm:GetParameters").Resource;

        var fix = ExecutionRoleFix.For(definition, new Dictionary<string, string> { [parameter] = "1234abcd-12ab-34cd-56ef-1234567890ab" });

        Assert.Contains("\"Action\":\"kms:Decrypt\"", fix.PolicyJson, StringComparison.Ordinal);
        Assert.DoesNotContain("kms:ViaService", fix.PolicyJson, StringComparison.Ordinal);
        Assert.Contains(fix.Notes, n => n.Contains("is written without a kms:ViaService condition: add one naming the ssm endpoint of its region", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_role_for_a_long_family_keeps_within_IAMs_64_characters_and_apart_from_its_neighbours()
    {
        // IAM User Guide, "IAM and AWS STS quotas": role names hold at most 64 characters; ECS families up to 255.
        var shortName = ExecutionRoleFix.NewRoleName(new string('a', 54));
        var one = ExecutionRoleFix.NewRoleName(new string('a', 60) + "-one");
        var two = ExecutionRoleFix.NewRoleName(new string('a', 60) + "-two");
        var longest = ExecutionRoleFix.NewRoleName(new string('b', 255));

        Assert.Equal(new string('a', 54) + "-execution", shortName);
        Assert.Equal(64, shortName.Length);
        Assert.All(new[] { one, two, longest }, n => Assert.Equal(64, n.Length));
        Assert.All(new[] { one, two }, n => Assert.StartsWith(new string('a', 45) + "-", n, StringComparison.Ordinal));
        Assert.EndsWith("-execution", longest, StringComparison.Ordinal);
        Assert.NotEqual(one, two);
        Assert.Matches("^[A-Za-z0-9+=,.@_-]+$", longest); // IAM's role name characters
        var fiftyFive = ExecutionRoleFix.NewRoleName(new string('a', 55)); // one character over: hashed
        Assert.Equal((64, false), (fiftyFive.Length, fiftyFive.StartsWith(new string('a', 46), StringComparison.Ordinal)));
        var emoji = ExecutionRoleFix.NewRoleName(new string('c', 44) + "\U0001F600" + "tail");
        var unknown = ExecutionRoleFix.NewRoleName("${unresolved.Family}");
        Assert.All(new[] { emoji, unknown }, n => Assert.Matches("^[A-Za-z0-9+=,.@_-]{1,64}$", n));
        Assert.StartsWith("unresolved.Family-", unknown, StringComparison.Ordinal);
    }

    private static JsonObject TaskDefinitionJson(bool arn = true, string? executionRole = $"arn:aws:iam::{Account}:role/web-execution", string? taskRole = null,
        string image = "nginx:1.27", (string Name, string ValueFrom)[]? secrets = null, JsonNode? logging = null) =>
        Definition(arn, executionRole, taskRole, [Container(image, secrets ?? [], logging)]);

    private static JsonObject Container(string image, (string Name, string ValueFrom)[] secrets, JsonNode? logging)
    {
        var container = new JsonObject
        {
            ["name"] = "web", ["image"] = image,
            ["secrets"] = new JsonArray([.. secrets.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["valueFrom"] = s.ValueFrom })]),
        };
        if (logging is not null)
        {
            container["logConfiguration"] = logging.DeepClone();
        }
        return container;
    }

    private static JsonObject Definition(bool arn, string? executionRole, string? taskRole, JsonObject[] containers)
    {
        var definition = new JsonObject { ["family"] = "web", ["revision"] = 3, ["containerDefinitions"] = new JsonArray([.. containers]) };
        if (arn)
        {
            definition["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:{Account}:task-definition/web:3";
        }
        if (executionRole is not null)
        {
            definition["executionRoleArn"] = executionRole;
        }
        if (taskRole is not null)
        {
            definition["taskRoleArn"] = taskRole;
        }
        return new JsonObject { ["taskDefinition"] = definition };
    }

    private static TaskDefinition Read(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        return Assert.Single(TaskDefinitionReader.Read(document.RootElement, "generated"));
    }
}
