using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.InfrastructureCode.Declared;

namespace EcsRoleAuditor.InfrastructureCode.Tests.Terraform;

/// <summary>
/// A plan that holds the secrets and parameters its task definitions read (existing resources, data sources) knows their
/// KMS keys, so <c>fix</c> writes kms:Decrypt on a customer managed one (Amazon ECS Developer Guide, "Amazon ECS task
/// execution IAM role": "kms:Decrypt — Required only if your key uses a custom KMS key and not the default key"). No
/// kms_key_id is aws/secretsmanager (Secrets Manager API Reference, CreateSecret, KmsKeyId), no key_id on a SecureString
/// parameter is aws/ssm (Systems Manager API Reference, PutParameter, KeyId); a String parameter is not encrypted.
/// </summary>
public sealed class PlanEncryptionKeyTests
{
    private const string Account = "123456789012";
    private const string Secret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/orders/db-AbCdEf";
    private const string Key = $"arn:aws:kms:eu-west-1:{Account}:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string Parameters = $"arn:aws:ssm:eu-west-1:{Account}:parameter/prod/orders/";

    private static JsonObject Existing(string address, string type, JsonObject values) => new()
    {
        ["address"] = address,
        ["mode"] = "managed",
        ["type"] = type,
        ["name"] = address[(address.IndexOf('.', StringComparison.Ordinal) + 1)..],
        ["provider_name"] = "registry.terraform.io/hashicorp/aws",
        ["change"] = new JsonObject { ["actions"] = new JsonArray("no-op"), ["before"] = values.DeepClone(), ["after"] = values, ["after_unknown"] = new JsonObject() },
    };

    private static DeclaredAccount Plan(JsonNode? secretKey, JsonNode? parameterKey = null)
    {
        var plan = PlanFixtures.Node("unreadable-secret.json");
        var secret = new JsonObject { ["arn"] = Secret, ["name"] = "prod/orders/db" };
        if (secretKey is not null)
        {
            secret["kms_key_id"] = secretKey;
        }
        var changes = plan["resource_changes"]!.AsArray();
        changes.Add(Existing("aws_secretsmanager_secret.db", "aws_secretsmanager_secret", secret));
        changes.Add(Existing("aws_ssm_parameter.token", "aws_ssm_parameter", new JsonObject { ["arn"] = Parameters + "token", ["type"] = "SecureString", ["key_id"] = parameterKey }));
        changes.Add(Existing("aws_ssm_parameter.flags", "aws_ssm_parameter", new JsonObject { ["arn"] = Parameters + "flags", ["type"] = "String" }));
        plan["prior_state"]!["values"]!["root_module"]!["resources"]!.AsArray().Add(new JsonObject
        {
            ["address"] = "data.aws_ssm_parameter.webhook",
            ["mode"] = "data",
            ["type"] = "aws_ssm_parameter",
            ["name"] = "webhook",
            ["values"] = new JsonObject { ["arn"] = Parameters + "webhook", ["type"] = "SecureString", ["name"] = "/prod/orders/webhook" },
        });
        var definition = PlanFixtures.Change(plan, "aws_ecs_task_definition.orders")["after"]!;
        var containers = JsonNode.Parse((string)definition["container_definitions"]!)!.AsArray();
        var secrets = containers[0]!["secrets"]!.AsArray();
        foreach (var name in new[] { "token", "flags", "webhook" })
        {
            secrets.Add(new JsonObject { ["name"] = name.ToUpperInvariant(), ["valueFrom"] = Parameters + name });
        }
        definition["container_definitions"] = containers.ToJsonString();
        return DeclaredAccount.Build([PlanFixtures.ReadText(plan.ToJsonString(), "plan.json")], null);
    }

    [Fact]
    public void The_plan_gives_each_known_secrets_and_parameters_key()
    {
        var keys = Plan(Key, "alias/orders").EncryptionKeys;

        Assert.Equal(Key, keys[Secret]);
        Assert.Equal("alias/orders", keys[Parameters + "token"]);
        Assert.Equal(ExecutionRoleFix.NoKey, keys[Parameters + "flags"]); // not encrypted: no key, no grant
        Assert.Equal("", keys[Parameters + "webhook"]); // a data source does not say its key: unknown
    }

    [Fact]
    public void Fix_grants_kms_Decrypt_on_the_secrets_key_through_Secrets_Manager_and_names_what_it_does_not_know()
    {
        var account = Plan(Key);

        var fix = ExecutionRoleFix.For(Assert.Single(account.TaskDefinitions), account.EncryptionKeys);

        using var policy = JsonDocument.Parse(fix.PolicyJson!);
        var decrypt = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray(), s => s.GetProperty("Action").ToString().Contains("kms:Decrypt", StringComparison.Ordinal));
        Assert.Equal(Key, decrypt.GetProperty("Resource").ToString());
        Assert.Equal("secretsmanager.eu-west-1.amazonaws.com", decrypt.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").ToString());
        // The SecureString parameter without key_id uses aws/ssm; only the data source's key is unknown, and said so.
        Assert.Contains(fix.Notes, n => n.Contains("does not say which key encrypts", StringComparison.Ordinal) && n.Contains("WEBHOOK", StringComparison.Ordinal)
            && !n.Contains("TOKEN", StringComparison.Ordinal) && !n.Contains("FLAGS", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_without_a_key_needs_no_grant_and_a_key_known_after_apply_is_unknown()
    {
        var plain = Plan(secretKey: null);
        Assert.Equal("alias/aws/secretsmanager", plain.EncryptionKeys[Secret]);
        Assert.DoesNotContain("kms:Decrypt", ExecutionRoleFix.For(Assert.Single(plain.TaskDefinitions), plain.EncryptionKeys).PolicyJson!, StringComparison.Ordinal);

        var plan = PlanFixtures.Node("unreadable-secret.json");
        plan["resource_changes"]!.AsArray().Add(Existing("aws_secretsmanager_secret.db", "aws_secretsmanager_secret", new JsonObject { ["arn"] = Secret }));
        var change = PlanFixtures.Change(plan, "aws_secretsmanager_secret.db");
        change["after_unknown"] = new JsonObject { ["kms_key_id"] = true };
        Assert.Equal("", DeclaredAccount.Build([PlanFixtures.ReadText(plan.ToJsonString(), "plan.json")], null).EncryptionKeys[Secret]);
    }
}
