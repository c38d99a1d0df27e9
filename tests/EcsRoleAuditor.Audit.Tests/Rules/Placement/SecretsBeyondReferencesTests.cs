using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.Placement;

public class SecretsBeyondReferencesTests
{
    private static string Allow(string actions, string resources) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":{{resources}}}]}""";

    private static Task<IReadOnlyList<Finding>> Audit(string policy, params (string, string)[] secrets) =>
        FindingsOf(Build(Container(image: "nginx:1.27", extra: Secrets(secrets)), Role(ExecutionRoleArn, inline: new() { ["secrets"] = policy })), SecretsBeyondReferencesRule.Rule);

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:*\"")]
    [InlineData("\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*\"")]
    [InlineData("[\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf\",\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:billing/key-ZyXwVu\"]")]
    // Secrets Manager User Guide, "Match secret name" (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html):
    // "If you use the syntax "another_secret_name-*", Secrets Manager matches not only the intended secret with the 6 random
    // characters, but also matches "another_secret_name-<anything-here>a1b2c3"" — prod/db-* also reads a secret named prod/db-v2.
    [InlineData("\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-*\"")]
    [InlineData("\"arn:aws:secretsmanager:*:111122223333:secret:prod/db-*\"")]
    public async Task Secret_grants_wider_than_the_reference_are_flagged_with_the_scoped_statement(string resources)
    {
        var finding = Assert.Single(await Audit(Allow("\"secretsmanager:GetSecretValue\"", resources), ("DB_PASSWORD", SecretArn)));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal<string>(["secretsmanager:GetSecretValue"], finding.Actions);
        Assert.DoesNotContain(SecretArn, finding.Resources);
        Assert.Contains($"{{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"{SecretArn}\"}}", finding.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf\"")]
    [InlineData("\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-??????\"")]
    [InlineData("\"arn:aws:secretsmanager:*:111122223333:secret:prod/db-??????\"")]
    // A Resource that stops at the name matches no secret (every secret ARN ends in a hyphen and six characters): it reads
    // nothing beyond the reference — and not the reference either, which is ERA021's finding.
    [InlineData("\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db\"")]
    public async Task Secret_grants_scoped_to_the_reference_pass(string resources) =>
        Assert.Empty(await Audit(Allow("\"secretsmanager:GetSecretValue\"", resources), ("DB_PASSWORD", SecretArn)));

    [Fact]
    public async Task Partial_secret_reference_passes_with_the_suffix_wildcard_and_gets_it_in_the_fix()
    {
        var partial = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db";
        Assert.Empty(await Audit(Allow("\"secretsmanager:GetSecretValue\"", $"\"{partial}-??????\""), ("DB_PASSWORD", partial)));
        var finding = Assert.Single(await Audit(Allow("\"secretsmanager:GetSecretValue\"", "\"*\""), ("DB_PASSWORD", partial)));
        Assert.Contains($"\"Resource\":\"{partial}-??????\"", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameter_path_grant_wider_than_the_reference_is_flagged()
    {
        var finding = Assert.Single(await Audit(
            Allow("[\"ssm:GetParameters\",\"ssm:GetParametersByPath\"]", "\"arn:aws:ssm:eu-west-1:111122223333:parameter/prod/*\""), ("API_KEY", ParameterArn)));
        Assert.Equal<string>(["ssm:GetParameters", "ssm:GetParametersByPath"], finding.Actions);
        Assert.Contains($"\"Action\":\"ssm:GetParameters\",\"Resource\":\"{ParameterArn}\"", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_grant_without_any_reference_is_flagged()
    {
        var finding = Assert.Single(await Audit(Allow("\"secretsmanager:GetSecretValue\"", $"\"{SecretArn}\"")));
        Assert.Contains("it reads nothing from Secrets Manager", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boundary_that_limits_reads_to_the_reference_prevents_the_finding()
    {
        var boundary = new System.Text.Json.Nodes.JsonObject
        {
            ["arn"] = $"arn:aws:iam::{Account}:policy/boundary",
            ["document"] = System.Text.Json.Nodes.JsonNode.Parse(Allow("\"secretsmanager:GetSecretValue\"", $"\"{SecretArn}\"")),
        };
        var scenario = Build(Container(image: "nginx:1.27", extra: Secrets(("DB_PASSWORD", SecretArn))),
            Role(ExecutionRoleArn, inline: new() { ["secrets"] = Allow("\"secretsmanager:GetSecretValue\"", "\"*\"") }, boundary: boundary));
        Assert.Empty(await FindingsOf(scenario, SecretsBeyondReferencesRule.Rule));
    }

    [Fact]
    public async Task Agent_policy_and_unrelated_resources_are_not_flagged()
    {
        var scenario = Build(Container(extra: Merge(Awslogs, Secrets(("DB_PASSWORD", SecretArn)))),
            Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["secrets"] = Allow("[\"secretsmanager:GetSecretValue\",\"kms:Decrypt\"]", $"[\"{SecretArn}\",\"arn:aws:kms:eu-west-1:111122223333:key/*\"]") }));
        Assert.Empty(await FindingsOf(scenario, PlacementRuleDescriptors));
    }
}
