using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Tests.Clients;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>
/// <see cref="EncryptionKeyLookup"/> through our Secrets Manager and SSM clients against the fake AWS, whose call log
/// says what was sent. Secrets Manager: "DescribeSecret" (API Reference: SecretId an ARN or name; no KmsKeyId means the
/// AWS managed key aws/secretsmanager) and "Finding a secret from a partial ARN" (User Guide). SSM: "DescribeParameters"
/// (API Reference: the caller's account's parameters, or those shared with it only with <c>Shared</c>; results on a
/// best-effort basis, paged by NextToken) and "ParameterStringFilter" (up to 50 values).
/// </summary>
public sealed class EncryptionKeyLookupTests : IAsyncLifetime
{
    private const string Account = "111122223333";
    private const string Cmk = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string UsCmk = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    private static readonly string Secret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:orders/db-Xy12Ab";
    private static readonly string ManagedSecret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:orders/api-Qw34Er";
    private static readonly string UsSecret = $"arn:aws:secretsmanager:us-east-1:{Account}:secret:reports/db-Zx56Cv";
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync()
    {
        var ireland = new FakeAccount { AccountId = Account, Region = "eu-west-1" };
        ireland.AddSecret(Secret, Cmk);
        ireland.AddSecret(ManagedSecret);
        ireland.AddSecret($"arn:aws:secretsmanager:eu-west-1:{Account}:secret:legacy/token-Rt78Yu", "alias/legacy");
        ireland.AddParameter("/orders/password", "SecureString", Cmk);
        ireland.AddParameter("/orders/flag");
        ireland.AddParameter("short", "SecureString");
        for (var i = 0; i < 60; i++)
        {
            ireland.AddParameter($"/bulk/p{i}", i % 2 == 0 ? "SecureString" : "String", i % 2 == 0 ? Cmk : null);
        }
        var virginia = new FakeAccount { AccountId = Account, Region = "us-east-1" };
        virginia.AddSecret(UsSecret, UsCmk);
        _aws = await FakeAwsServer.StartAsync([ireland, virginia]);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private AwsConnection Connect() => AwsConnection.Open(new AwsConnectionOptions
    {
        Region = "eu-west-1",
        Credentials = TestConnections.Keys,
        EndpointUrls = new ServiceEndpointUrls(SecretsManager: _aws.Endpoint.ToString(), Ssm: _aws.Endpoint.ToString()),
        MaxAttempts = 3,
    });

    /// <summary>A task definition of the account in eu-west-1 whose container reads <paramref name="valueFroms"/> as secrets.</summary>
    private static TaskDefinition Reading(string family, params string[] valueFroms)
    {
        var secrets = new JsonArray([.. valueFroms.Select((v, i) => (JsonNode)new JsonObject { ["name"] = $"S{i}", ["valueFrom"] = v })]);
        var json = new JsonObject
        {
            ["taskDefinition"] = new JsonObject
            {
                ["taskDefinitionArn"] = $"arn:aws:ecs:eu-west-1:{Account}:task-definition/{family}:1",
                ["family"] = family,
                ["revision"] = 1,
                ["executionRoleArn"] = $"arn:aws:iam::{Account}:role/{family}-execution",
                ["containerDefinitions"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "public.ecr.aws/nginx/nginx:1", ["secrets"] = secrets }),
            },
        };
        using var document = JsonDocument.Parse(json.ToJsonString());
        return Assert.Single(TaskDefinitionReader.Read(document.RootElement, family));
    }

    private async Task<(EncryptionKeys Keys, ApiCallCounter Calls)> LookUpAsync(params TaskDefinition[] definitions)
    {
        using var aws = Connect();
        var calls = new ApiCallCounter();
        using (ApiCallCounting.Begin(calls))
        {
            return (await EncryptionKeyLookup.ReadAsync(aws, definitions, CancellationToken.None), calls);
        }
    }

    [Fact]
    public async Task Each_distinct_secret_is_described_once_in_its_own_region_and_the_aws_managed_key_is_named()
    {
        var (keys, calls) = await LookUpAsync(
            Reading("orders", Secret + ":password::", ManagedSecret, UsSecret),
            Reading("billing", Secret, $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:legacy/token"));

        Assert.Equal(Cmk, keys.Keys[Secret]);
        Assert.Equal(EncryptionKeyLookup.SecretsManagerAwsManagedKey, keys.Keys[ManagedSecret]);
        Assert.Equal(UsCmk, keys.Keys[UsSecret]);
        // Named without its suffix: asked by the partial ARN, keyed as the need names it.
        Assert.Equal("alias/legacy", keys.Keys[$"arn:aws:secretsmanager:eu-west-1:{Account}:secret:legacy/token-??????"]);
        Assert.Empty(keys.Unknown);
        Assert.Equal(4, calls["secretsmanager:DescribeSecret"]);
        Assert.Equal(4, calls.Total);
        Assert.Equal(["eu-west-1", "eu-west-1", "eu-west-1", "us-east-1"], _aws.Calls.All.Select(c => c.Scope!.Region).Order(StringComparer.Ordinal));
        Assert.Contains(_aws.Calls.All, c => c.Parameters["SecretId"] == $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:legacy/token");
    }

    [Fact]
    public async Task Parameters_are_described_50_names_a_call_and_only_a_secure_string_has_a_key()
    {
        var bulk = Enumerable.Range(0, 60).Select(i => $"arn:aws:ssm:eu-west-1:{Account}:parameter/bulk/p{i}").ToArray();
        var (keys, calls) = await LookUpAsync(Reading("bulk", [.. bulk, "/orders/password", "orders/flag", "short"]));

        Assert.Equal(Cmk, keys.Keys[bulk[0]]);
        Assert.Equal(ExecutionRoleFix.NoKey, keys.Keys[bulk[1]]);
        Assert.Equal(Cmk, keys.Keys[$"arn:aws:ssm:eu-west-1:{Account}:parameter/orders/password"]);
        // orders/flag is completed to .../parameter/orders/flag, the ARN of /orders/flag.
        Assert.Equal(ExecutionRoleFix.NoKey, keys.Keys[$"arn:aws:ssm:eu-west-1:{Account}:parameter/orders/flag"]);
        Assert.Equal(EncryptionKeyLookup.SsmAwsManagedKey, keys.Keys[$"arn:aws:ssm:eu-west-1:{Account}:parameter/short"]);
        Assert.Empty(keys.Unknown);
        // 63 parameters, short asked as short and /short: 64 names, two calls.
        Assert.Equal(2, calls["ssm:DescribeParameters"]);
        Assert.Equal(2, _aws.CallCount("DescribeParameters"));
    }

    [Fact]
    public async Task A_page_cap_is_followed_by_next_tokens_and_each_page_counts()
    {
        _aws.Reset().MaxPageSize = 2;

        var (keys, calls) = await LookUpAsync(Reading("few", "/orders/password", "/orders/flag", "short"));

        Assert.Equal(3, keys.Keys.Count);
        Assert.Equal(2, calls["ssm:DescribeParameters"]);
    }

    [Fact]
    public async Task Denied_missing_and_cross_account_resources_stay_unknown_with_their_reason()
    {
        _aws.Reset().Faults.DenyAccess("DescribeSecret", resource: "orders/db");
        var other = "arn:aws:ssm:eu-west-1:444455556666:parameter/shared/key";
        var missing = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:gone-Ab12Cd";

        var (keys, calls) = await LookUpAsync(Reading("mixed", Secret, ManagedSecret, missing, other, "/no/such"));

        Assert.Equal(EncryptionKeyLookup.SecretsManagerAwsManagedKey, keys.Keys[ManagedSecret]);
        Assert.Equal([Secret, missing, other, $"arn:aws:ssm:eu-west-1:{Account}:parameter/no/such"], keys.Unknown.Select(u => u.Resource));
        Assert.Equal($"access denied: secretsmanager:DescribeSecret on {Secret} (grant it to the auditor's role)", keys.Unknown[0].Reason);
        Assert.Equal($"not found: secretsmanager:DescribeSecret on {missing} (ResourceNotFoundException)", keys.Unknown[1].Reason);
        Assert.StartsWith("it is in account 444455556666: ssm:DescribeParameters lists the caller's account's parameters", keys.Unknown[2].Reason, StringComparison.Ordinal);
        Assert.Equal("ssm:DescribeParameters in eu-west-1 lists no parameter of that name", keys.Unknown[3].Reason);
        // Access denied is not retried; the other account's parameter is never asked.
        Assert.Equal(3, calls["secretsmanager:DescribeSecret"]);
        Assert.Equal(1, calls["ssm:DescribeParameters"]);
    }

    [Fact]
    public async Task Throttling_past_the_retries_leaves_the_batch_unknown_after_three_attempts()
    {
        _aws.Reset().Faults.Throttle("DescribeParameters", times: 3);

        var (keys, calls) = await LookUpAsync(Reading("throttled", "/orders/password"));

        var unknown = Assert.Single(keys.Unknown);
        Assert.StartsWith("throttled: ssm:DescribeParameters on parameters in eu-west-1 of 111122223333", unknown.Reason, StringComparison.Ordinal);
        Assert.Equal(3, calls["ssm:DescribeParameters"]);
    }
}
