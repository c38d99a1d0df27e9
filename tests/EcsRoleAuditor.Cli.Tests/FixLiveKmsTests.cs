using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>fix --live</c> asks Secrets Manager and SSM which KMS key encrypts each secret and parameter the execution role
/// reads, and grants kms:Decrypt on the customer managed ones only (Amazon ECS Developer Guide, "Amazon ECS task
/// execution IAM role": kms:Decrypt is needed only for a customer managed key; AWS KMS Developer Guide, "kms:ViaService").
/// Keys from "DescribeSecret" (AWS Secrets Manager API Reference: no KmsKeyId for the AWS managed key) and
/// "DescribeParameters" (AWS Systems Manager API Reference: KeyId of a SecureString, alias/aws/ssm for the AWS managed key;
/// "ParameterStringFilter": at most 50 values).
/// </summary>
public sealed class FixLiveKmsTests : IAsyncLifetime
{
    private const string Account = "111122223333";
    private const string SecretKey = "arn:aws:kms:eu-west-1:111122223333:key/1111aaaa-11aa-11aa-11aa-111111111111";
    private const string ParameterKey = "arn:aws:kms:eu-west-1:111122223333:key/2222bbbb-22bb-22bb-22bb-222222222222";
    private const string CmkSecret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:kms/cmk-Aa11Bb";
    private const string ManagedSecret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:kms/managed-Cc22Dd";
    private const string DeniedSecret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:kms/denied-Ee33Ff";
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync()
    {
        var account = FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions);
        account.AddSecret(CmkSecret, SecretKey);
        account.AddSecret(ManagedSecret);
        account.AddSecret(DeniedSecret, SecretKey);
        account.AddParameter("/kms/password", "SecureString", ParameterKey);
        account.AddParameter("/kms/token", "SecureString");
        account.AddParameter("/kms/url");
        var bulk = Enumerable.Range(0, 50).Select(i => $"/kms/bulk/p{i}").ToList();
        bulk.ForEach(name => account.AddParameter(name));
        account.AddTaskDefinitions(TaskDefinition("kms-demo", CmkSecret, ManagedSecret, DeniedSecret, "/kms/password", "/kms/token", "/kms/url"));
        // The same CMK secret again (with a JSON key) and 50 more names: still one DescribeSecret for it, a second DescribeParameters.
        account.AddTaskDefinitions(TaskDefinition("kms-bulk", [CmkSecret + ":password::", .. bulk]));
        // Only what the AWS managed keys encrypt, or nothing does: no grant at all (asked once: already asked for kms-demo).
        account.AddTaskDefinitions(TaskDefinition("kms-managed", ManagedSecret, "/kms/token", "/kms/url"));
        _aws = await FakeAwsServer.StartAsync(account);
        _aws.Faults.DenyAccess("DescribeSecret", resource: DeniedSecret);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    // A task definition on the demo's orders-api roles (so the roles read from IAM are complete) reading these secrets.
    private static string TaskDefinition(string family, params string[] valueFroms) => new JsonObject
    {
        ["taskDefinition"] = new JsonObject
        {
            ["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:{Account}:task-definition/{family}:1",
            ["family"] = family,
            ["revision"] = 1,
            ["status"] = "ACTIVE",
            ["taskRoleArn"] = $"arn:aws:iam::{Account}:role/orders-api-task",
            ["executionRoleArn"] = $"arn:aws:iam::{Account}:role/service-role/orders-api-execution",
            ["containerDefinitions"] = new JsonArray(new JsonObject
            {
                ["name"] = "app",
                ["image"] = "public.ecr.aws/nginx/nginx:1",
                ["secrets"] = new JsonArray([.. valueFroms.Select((v, i) => (JsonNode)new JsonObject { ["name"] = $"S{i}", ["valueFrom"] = v })]),
            }),
        },
    }.ToJsonString();

    private static List<JsonElement> Statements(JsonElement fix) =>
        [.. fix.GetProperty("executionRole").GetProperty("policy").GetProperty("Statement").EnumerateArray()];

    // The kms:Decrypt statements' (key, kms:ViaService endpoint) pairs, in order.
    private static List<(string Key, string Via)> Grants(JsonElement fix) =>
        [.. Statements(fix).Where(s => Strings(s.GetProperty("Action")).Contains("kms:Decrypt")).SelectMany(s => Strings(s.GetProperty("Resource")).Select(r =>
            (r, Strings(s.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService")).Single())))];

    private static string[] Strings(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [value.GetString()!];

    [Fact]
    public async Task Decrypt_is_written_on_exactly_the_customer_managed_keys_and_an_unreadable_key_is_named_with_exit_3()
    {
        var run = await CliProcess.RunAsync(_aws.ClientEnvironment(), "fix", "--live", "--task-definition", "kms-demo:1", "--task-definition", "kms-bulk:1", "--task-definition", "kms-managed:1");

        Assert.Equal(3, run.ExitCode);
        var fixes = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray().ToList();
        var decrypt = Statements(fixes[0]).Where(s => Strings(s.GetProperty("Action")).Contains("kms:Decrypt")).ToList();
        // One statement per set of endpoints: the secret's key through Secrets Manager, the parameter's through SSM.
        Assert.Equal([(SecretKey, "secretsmanager.eu-west-1.amazonaws.com"), (ParameterKey, "ssm.eu-west-1.amazonaws.com")], Grants(fixes[0]));
        Assert.All(decrypt, s => Assert.Equal(["kms:Decrypt"], Strings(s.GetProperty("Action"))));
        Assert.DoesNotContain("alias/aws", fixes[0].GetProperty("executionRole").GetProperty("policy").GetRawText(), StringComparison.Ordinal);
        // The second task definition reads only the CMK secret's key and parameters without keys.
        Assert.Equal([(SecretKey, "secretsmanager.eu-west-1.amazonaws.com")], Grants(fixes[1]));
        Assert.Empty(Grants(fixes[2]));
        Assert.DoesNotContain("kms:", fixes[2].GetProperty("executionRole").GetProperty("policy").GetRawText(), StringComparison.Ordinal);
        // The denied secret is named on standard error; its fix still says its key is unknown.
        Assert.Contains($"ecs-role-auditor: the KMS key of {DeniedSecret} could not be learned (access denied: secretsmanager:DescribeSecret on {DeniedSecret} (grant it to the auditor's role)): no kms:Decrypt is written for that key (its fix's notes say what is)",
            run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n'), l => l.Contains("could not be learned", StringComparison.Ordinal));
        Assert.Contains(fixes[0].GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("does not say which key encrypts secret S2 of container app", StringComparison.Ordinal));
        // Every key of the second and third is known, and their String parameters need none: no note about keys at all.
        Assert.All(fixes.Skip(1), f => Assert.DoesNotContain(f.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("KMS key", StringComparison.Ordinal)));
        // One DescribeSecret per distinct secret (access denied is not retried), one DescribeParameters per 50 names.
        Assert.Equal(3, _aws.CallCount("DescribeSecret"));
        Assert.Equal(2, _aws.CallCount("DescribeParameters"));
        Assert.Contains("ecs-role-auditor: KMS keys of secrets and parameters read with 5 AWS API calls", run.Stderr, StringComparison.Ordinal);
    }
}
