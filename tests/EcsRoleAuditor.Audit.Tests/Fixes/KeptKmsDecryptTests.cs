using System.Text.Json;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Fixes;

/// <summary>
/// The kms:Decrypt the current execution role allows, kept when the written policy replaces its policies and the input
/// does not say which key encrypts a secret the task reads. Amazon ECS Developer Guide, "Amazon ECS task execution IAM
/// role": a secret or SecureString parameter encrypted with a customer managed key needs kms:Decrypt on that key, so a
/// fix that dropped the grant would stop the task at its next start. AWS KMS Developer Guide, "kms:ViaService": the
/// condition value <c>SERVICE.REGION.amazonaws.com</c> keeps the key to requests that service makes for the role.
/// </summary>
public sealed class KeptKmsDecryptTests
{
    private const string Account = "111122223333";
    private const string ExecutionRole = $"arn:aws:iam::{Account}:role/web-execution";
    private const string Secret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db-AbCdEf";
    private const string Parameter = $"arn:aws:ssm:us-east-1:{Account}:parameter/web/token";
    private const string Key = $"arn:aws:kms:eu-west-1:{Account}:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string OtherKey = $"arn:aws:kms:eu-west-1:{Account}:key/0987dcba-09ba-87dc-65fe-0987654321ba";
    private const string ReadSecret = $$"""{"Sid":"Read","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{Secret}}"}""";

    [Fact]
    public async Task A_key_the_current_role_decrypts_is_kept_exactly_through_the_secrets_endpoint()
    {
        var scenario = WebScenario([("DB", Secret)], $$"""
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"{{Key}}"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.Equal(
            "{\"Sid\":\"KeptKmsDecrypt\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" + Key
                + "\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"secretsmanager.eu-west-1.amazonaws.com\"}}}",
            Kept(fixes)?.GetRawText());
        var note = Assert.Single(fixes.Execution.Notes, n => n.Contains(KeptKmsDecrypt.Sid, StringComparison.Ordinal));
        Assert.StartsWith("The input does not say which KMS key encrypts secret DB of container web: the statement KeptKmsDecrypt keeps kms:Decrypt on "
            + $"{Key} through secretsmanager.eu-west-1.amazonaws.com from web-execution's statement secrets/Decrypt", note, StringComparison.Ordinal);
        Assert.Contains("narrow it to those keys once known", note, StringComparison.Ordinal);
        // The general note is what the kept statement's note now says.
        Assert.DoesNotContain(fixes.Execution.Notes, n => n.StartsWith("If a secret or SecureString parameter", StringComparison.Ordinal));
        await AssertHoldsAsync(scenario, fixes);
    }

    [Fact]
    public async Task Decrypt_on_every_key_is_kept_only_through_the_endpoints_of_the_reads()
    {
        var scenario = WebScenario([("DB", Secret), ("TOKEN", Parameter)], $$"""
            "managed":{"arn:aws:iam::{{Account}}:policy/web-secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"Params","Effect":"Allow","Action":"ssm:GetParameters","Resource":"{{Parameter}}"},
              {"Sid":"AnyKey","Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        var kept = Kept(fixes) ?? throw new Xunit.Sdk.XunitException("no KeptKmsDecrypt statement");
        Assert.Equal("\"kms:Decrypt\"", kept.GetProperty("Action").GetRawText()); // kms:Encrypt is no need of the task: not kept
        Assert.Equal("*", kept.GetProperty("Resource").GetString());
        // Secrets Manager in the secret's region and Systems Manager in the parameter's: no other service, no other region.
        Assert.Equal(["secretsmanager.eu-west-1.amazonaws.com", "ssm.us-east-1.amazonaws.com"],
            kept.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains(fixes.Execution.Notes, n => n.Contains("encrypts secret DB of container web, secret TOKEN of container web", StringComparison.Ordinal));
        // Through the secret stores alone, ERA045 does not call it a read of every key: the round trip holds.
        await AssertHoldsAsync(scenario, fixes);
    }

    [Fact]
    public async Task A_grant_the_boundary_narrows_is_kept_as_narrowed()
    {
        // The fix leaves the permission boundary on the role: the scope as the boundary narrows it is what the role may do.
        var scenario = WebScenario([("DB", Secret)], $$"""
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"AnyKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]} },
            "boundary":{"arn":"arn:aws:iam::{{Account}}:policy/web-boundary","document":{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["secretsmanager:GetSecretValue","ssm:GetParameters"],"Resource":"*"},
              {"Sid":"WebKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"{{Key}}"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.Equal(Key, Kept(fixes)?.GetProperty("Resource").GetString());
        Assert.Contains(fixes.Execution.Notes, n => n.Contains("has a permission boundary (web-boundary), left as it is", StringComparison.Ordinal));
        await AssertHoldsAsync(scenario, fixes);
    }

    [Fact]
    public async Task Outside_the_commercial_and_GovCloud_partitions_the_grant_is_kept_without_a_guessed_endpoint()
    {
        const string ChinaSecret = "arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:prod/db-AbCdEf";
        const string ChinaKey = "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var scenario = Scenario.Parse($$"""
            {"taskDefinition":{"taskDefinitionArn":"arn:aws-cn:ecs:cn-north-1:{{Account}}:task-definition/web:1","family":"web","revision":1,
              "executionRoleArn":"arn:aws-cn:iam::{{Account}}:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","secrets":[{"name":"DB","valueFrom":"{{ChinaSecret}}"}]}]},
             "roles":[{"arn":"arn:aws-cn:iam::{{Account}}:role/web-execution","inline":{"secrets":{"Version":"2012-10-17","Statement":[
               {"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"{{ChinaKey}}"}]} } }]}
            """, "china.json");

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        var kept = Kept(fixes) ?? throw new Xunit.Sdk.XunitException("no KeptKmsDecrypt statement");
        Assert.Equal(ChinaKey, kept.GetProperty("Resource").GetString());
        Assert.False(kept.TryGetProperty("Condition", out _));
        Assert.Contains(fixes.Execution.Notes, n => n.StartsWith("KeptKmsDecrypt is written without a kms:ViaService condition: secret DB of container web", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_grant_under_a_condition_the_audit_cannot_settle_is_named_and_not_kept()
    {
        var scenario = WebScenario([("DB", Secret)], $$"""
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"TaggedKeys","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/app":"web"} } }]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.Null(Kept(fixes));
        Assert.Contains(fixes.Execution.Notes, n => n.StartsWith(
            "web-execution's kms:Decrypt through secrets/TaggedKeys is not kept in the written policy: it holds only under conditions the audit cannot settle (StringEquals aws:ResourceTag/app)",
            StringComparison.Ordinal));
        Assert.Contains(fixes.Execution.Notes, n => n.StartsWith("If a secret or SecureString parameter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Conditions_the_audit_settles_are_kept_and_a_ViaService_condition_narrowed_to_the_reads()
    {
        // aws:PrincipalTag is the role's own tag (ECS passes no session tags); the current ViaService condition allows
        // Secrets Manager in two regions, of which the task reads one.
        var scenario = WebScenario([("DB", Secret)], $$"""
            "tags":{"team":"web"},
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"TeamKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"{{Key}}","Condition":{"StringEquals":{"aws:PrincipalTag/team":"web"} } },
              {"Sid":"ViaSecrets","Effect":"Allow","Action":"kms:Decrypt","Resource":"{{OtherKey}}","Condition":{"StringLike":{"kms:ViaService":["secretsmanager.eu-west-1.amazonaws.com","secretsmanager.us-east-1.amazonaws.com"]} } }]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        var kept = Kept(fixes) ?? throw new Xunit.Sdk.XunitException("no KeptKmsDecrypt statement");
        Assert.Equal([Key, OtherKey], kept.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("secretsmanager.eu-west-1.amazonaws.com", kept.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString());
        await AssertHoldsAsync(scenario, fixes);
    }

    [Fact]
    public async Task A_Deny_on_one_key_keeps_nothing_and_names_the_statements()
    {
        var scenario = WebScenario([("DB", Secret)], $$"""
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"AnyKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},
              {"Sid":"NotTheAuditKey","Effect":"Deny","Action":"kms:Decrypt","Resource":"{{OtherKey}}"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        // "*" without the Deny (which goes with the replaced policy) would decrypt the key it keeps out today.
        Assert.Null(Kept(fixes));
        Assert.Contains(fixes.Execution.Notes, n => n.StartsWith(
            $"web-execution's kms:Decrypt through secrets/AnyKey is not kept in the written policy: it excludes {OtherKey} (secrets/NotTheAuditKey)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Deny_that_may_apply_keeps_nothing_and_names_it()
    {
        var scenario = WebScenario([("DB", Secret)], $$"""
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"AnyKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},
              {"Sid":"OnlyAppKeys","Effect":"Deny","Action":"kms:Decrypt","Resource":"*","Condition":{"StringNotEquals":{"aws:ResourceTag/app":"web"} } }]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.Null(Kept(fixes));
        Assert.Contains(fixes.Execution.Notes, n => n.StartsWith(
            "web-execution's kms:Decrypt through secrets/AnyKey is not kept in the written policy: a Deny may apply to it (secrets/OnlyAppKeys)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_the_input_gives_leave_nothing_to_keep_and_are_not_granted_twice()
    {
        const string OtherSecret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/api-GhIjKl";
        var scenario = WebScenario([("DB", Secret), ("API", OtherSecret)], $$"""
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":["{{Secret}}","{{OtherSecret}}"]},
              {"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":["{{Key}}","{{OtherKey}}"]}]} }
            """);

        // Every key known: the input's own statement, nothing kept.
        var allKnown = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario,
            new Dictionary<string, string> { [Secret] = Key, [OtherSecret] = OtherKey });
        Assert.Null(Kept(allKnown));
        Assert.Contains(Statements(allKnown), s => s.GetProperty("Sid").GetString() == "KmsDecrypt");
        Assert.DoesNotContain(allKnown.Execution.Notes, n => n.Contains(KeptKmsDecrypt.Sid, StringComparison.Ordinal));

        // One key known: the other secret's key unknown, the current role's grant kept less the key already written.
        var oneKnown = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario, new Dictionary<string, string> { [Secret] = Key });
        Assert.Equal(OtherKey, Kept(oneKnown)?.GetProperty("Resource").GetString());
        Assert.Contains(oneKnown.Execution.Notes, n => n.StartsWith("The input does not say which KMS key encrypts secret API of container web:", StringComparison.Ordinal));
        await AssertHoldsAsync(scenario, oneKnown);
    }

    [Fact]
    public async Task A_key_named_only_by_its_alias_keeps_the_current_grant()
    {
        // An alias is no resource of kms:Decrypt (AWS KMS Developer Guide, "Using aliases to control access"): the fix
        // writes no grant for it, so the current one is kept until the key ARN is written in.
        var scenario = WebScenario([("DB", Secret)], $$"""
            "inline":{"secrets":{"Version":"2012-10-17","Statement":[{{ReadSecret}},
              {"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"{{Key}}"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario, new Dictionary<string, string> { [Secret] = "alias/web-secrets" });

        Assert.Equal(Key, Kept(fixes)?.GetProperty("Resource").GetString());
        Assert.Contains(fixes.Execution.Notes, n => n.Contains("is encrypted with the KMS key alias/web-secrets, an alias", StringComparison.Ordinal));
        await AssertHoldsAsync(scenario, fixes);
    }

    [Fact]
    public async Task A_task_that_reads_no_secret_keeps_no_kms_Decrypt()
    {
        // kms:Decrypt on a role whose task reads no secret is ERA020's finding, not a need to keep.
        var scenario = WebScenario([], """
            "inline":{"keys":{"Version":"2012-10-17","Statement":[{"Sid":"AnyKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}}
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.DoesNotContain("kms:", fixes.Execution.PolicyJson ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(fixes.Execution.Notes, n => n.Contains(KeptKmsDecrypt.Sid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_execution_role_keeps_nothing_of_the_task_role()
    {
        // No execution role named: the written role is new and replaces nothing, so there is nothing of it to keep.
        var scenario = Scenario.Parse($$"""
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:{{Account}}:task-definition/web:1","family":"web","revision":1,
              "taskRoleArn":"arn:aws:iam::{{Account}}:role/web-task",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","secrets":[{"name":"DB","valueFrom":"{{Secret}}"}]}]},
             "roles":[{"arn":"arn:aws:iam::{{Account}}:role/web-task","inline":{"keys":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]} } }]}
            """, "new-role.json");

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.True(fixes.Execution.NewRole);
        Assert.Null(Kept(fixes));
        Assert.Contains(fixes.Execution.Notes, n => n.StartsWith("If a secret or SecureString parameter", StringComparison.Ordinal));
    }

    private static async Task AssertHoldsAsync(Scenario scenario, RoleFixes fixes)
    {
        var verification = await FixVerification.VerifyAsync(Auditor.WithAllRules(), scenario.TaskDefinition, fixes, scenario);
        Assert.True(verification.Holds, string.Join("; ", verification.Failures.Select(f => $"{f.RuleId} {f.Message}")));
    }

    private static List<JsonElement> Statements(RoleFixes fixes)
    {
        using var policy = JsonDocument.Parse(fixes.Execution.PolicyJson ?? """{"Statement":[]}""");
        return [.. policy.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.Clone())];
    }

    private static JsonElement? Kept(RoleFixes fixes) =>
        Statements(fixes).Where(s => s.GetProperty("Sid").GetString()!.StartsWith("Kept", StringComparison.Ordinal)).Select(s => (JsonElement?)s).SingleOrDefault();

    private static Scenario WebScenario((string Name, string ValueFrom)[] secrets, string executionRoleFields) => Scenario.Parse($$"""
        {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:{{Account}}:task-definition/web:1","family":"web","revision":1,
          "executionRoleArn":"{{ExecutionRole}}",
          "containerDefinitions":[{"name":"web","image":"nginx:1.27","secrets":[{{string.Join(",", secrets.Select(s => $$"""{"name":"{{s.Name}}","valueFrom":"{{s.ValueFrom}}"}"""))}}]}]},
         "roles":[{"arn":"{{ExecutionRole}}",{{executionRoleFields}} }]}
        """, "kept-kms.json");
}
