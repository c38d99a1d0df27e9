using System.Text.Json;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.InfrastructureCode.Declared;
using static EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation.TemplateAudit;

namespace EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation;

/// <summary>
/// A template that declares its secrets knows their KMS keys, so <c>fix</c> writes kms:Decrypt on them, kept to
/// Secrets Manager with <c>kms:ViaService</c> (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role":
/// "kms:Decrypt — Required only if your key uses a custom KMS key and not the default key"; AWS KMS Developer Guide,
/// "kms:ViaService": <c>SERVICE.REGION.amazonaws.com</c>). An alias or a key only deployment knows is a note, never a
/// guessed grant; a secret declared without KmsKeyId uses aws/secretsmanager (AWS::SecretsManager::Secret, KmsKeyId)
/// and needs none.
/// </summary>
public sealed class EncryptionKeyTests
{
    private const string Secret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:payments/";
    private const string TemplateKey = "arn:aws:kms:eu-west-1:111122223333:key/${unresolved.SecretsKey}";

    [Fact]
    public void The_template_gives_each_secrets_key_by_the_ARN_its_task_definitions_name_it_with()
    {
        var keys = DeclaredAccount.Build([Read("encrypted-secrets.yaml")], null).EncryptionKeys;

        Assert.Equal("${unresolved.SecretsKey}", keys[Secret + "api-token-XXXXXX"]); // Ref of AWS::KMS::Key is its key ID
        Assert.Equal(TemplateKey, keys[Secret + "webhook-XXXXXX"]);
        Assert.Equal("alias/payments-legacy", keys[Secret + "legacy-XXXXXX"]);
        Assert.Equal("alias/aws/secretsmanager", keys[Secret + "plain-XXXXXX"]);
        Assert.Equal("", keys[Secret + "imported-XXXXXX"]); // a parameter without a value: an ID, an ARN or an alias, unknown
    }

    [Fact]
    public void Fix_grants_kms_Decrypt_on_the_declared_key_through_Secrets_Manager_only()
    {
        var account = DeclaredAccount.Build([Read("encrypted-secrets.yaml")], null);

        var fix = ExecutionRoleFix.For(Assert.Single(account.TaskDefinitions), account.EncryptionKeys);

        using var policy = JsonDocument.Parse(fix.PolicyJson!);
        var decrypt = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray(), s => s.GetProperty("Action").GetString() == "kms:Decrypt");
        Assert.Equal(TemplateKey, decrypt.GetProperty("Resource").GetString()); // the key ID and the key ARN are one key
        Assert.Equal("secretsmanager.eu-west-1.amazonaws.com", decrypt.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString());
        Assert.Contains(fix.Notes, n => n.Contains("alias/payments-legacy, an alias", StringComparison.Ordinal));
        Assert.DoesNotContain(fix.Notes, n => n.Contains("alias/aws/secretsmanager", StringComparison.Ordinal));
        // The imported key is not known: the general note stays, naming the secret whose key it does not know.
        Assert.Contains(fix.Notes, n => n.Contains("the input does not say which key encrypts secret IMPORTED of container app", StringComparison.Ordinal));
        Assert.Contains(fix.Notes, n => n.Contains("takes effect only where the key's policy allows", StringComparison.Ordinal));
        Assert.DoesNotContain(fix.Notes, n => n.Contains("WEBHOOK_SECRET", StringComparison.Ordinal)); // its key is granted, not noted
        // The stand-in for the key ID is one of the values to write as the template's own reference: five secrets and the key.
        Assert.Contains(fix.Notes, n => n.Contains("and 3 more stand for values only deployment gives", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_secret_with_a_known_key_leaves_no_general_note()
    {
        var account = DeclaredAccount.Build([Read("encrypted-secrets.yaml")], null);
        var definition = Assert.Single(account.TaskDefinitions);
        var known = definition with
        {
            Containers = [.. definition.Containers.Select(c => c with { Secrets = [.. c.Secrets.Where(s => s.Name != "IMPORTED")] })],
        };

        var fix = ExecutionRoleFix.For(known, account.EncryptionKeys);

        Assert.DoesNotContain(fix.Notes, n => n.Contains("customer managed KMS key", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_keys_the_fix_grants_no_kms_and_says_so()
    {
        var account = DeclaredAccount.Build([Read("encrypted-secrets.yaml")], null);

        var fix = ExecutionRoleFix.For(Assert.Single(account.TaskDefinitions));

        Assert.DoesNotContain("kms:", fix.PolicyJson!, StringComparison.Ordinal);
        Assert.Contains(fix.Notes, n => n.Contains("the task definition does not say which key", StringComparison.Ordinal)
            && !n.Contains("the keys written", StringComparison.Ordinal));
    }

    // Two stacks may each have an unnamed secret of one logical ID; CloudFormation names them apart, the audit cannot:
    // neither key is granted, and the audit itself is not refused.
    [Fact]
    public void Two_declarations_of_one_secret_with_different_keys_leave_the_key_unknown()
    {
        const string Template = """
            Resources:
              DbSecret:
                Type: AWS::SecretsManager::Secret
                Properties:
                  KmsKeyId: KEY
            """;
        var one = ReadText(Template.Replace("KEY", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", StringComparison.Ordinal));
        var other = ReadText(Template.Replace("KEY", "alias/other", StringComparison.Ordinal));

        var keys = DeclaredAccount.Build([one, other], null).EncryptionKeys;

        Assert.Equal("", keys[Secret.Replace("payments/", "${unresolved.DbSecret}-XXXXXX", StringComparison.Ordinal)]);
    }

    [Fact]
    public void A_KmsKeyId_that_names_no_KMS_key_is_said_not_granted()
    {
        var account = DeclaredAccount.Build([Read("encrypted-secrets.yaml")], null);
        var keys = account.EncryptionKeys.SetItem(Secret + "legacy-XXXXXX", "arn:aws:s3:::not-a-key").SetItem(Secret + "webhook-XXXXXX", "not-a-key-id");

        var fix = ExecutionRoleFix.For(Assert.Single(account.TaskDefinitions), keys);

        Assert.Contains(fix.Notes, n => n.Contains("names arn:aws:s3:::not-a-key as its KMS key, which is not a KMS key ID, key ARN or alias", StringComparison.Ordinal));
        Assert.Contains(fix.Notes, n => n.Contains("names not-a-key-id as its KMS key", StringComparison.Ordinal));
        Assert.DoesNotContain("not-a-key", fix.PolicyJson!, StringComparison.Ordinal);
    }

    // ECS takes a secret in the task's region by name or partial ARN ("Pass sensitive data to an Amazon ECS container");
    // the secret declared with its generated suffix is the same secret.
    [Fact]
    public void A_secret_named_without_its_suffix_gets_its_declared_key()
    {
        var account = DeclaredAccount.Build([Read("encrypted-secrets.yaml")], null);
        var definition = Assert.Single(account.TaskDefinitions);
        var byName = definition with
        {
            Containers = [.. definition.Containers.Select(c => c with
            {
                Secrets = [.. c.Secrets.Where(s => s.Name == "API_TOKEN").Select(s => s with { ValueFrom = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:payments/api-token" })],
            })],
        };

        var fix = ExecutionRoleFix.For(byName, account.EncryptionKeys);

        Assert.Contains("\"Action\":\"kms:Decrypt\",\"Resource\":\"" + TemplateKey + "\"", fix.PolicyJson, StringComparison.Ordinal);
        Assert.DoesNotContain(fix.Notes, n => n.Contains("customer managed KMS key", StringComparison.Ordinal));
    }
}
