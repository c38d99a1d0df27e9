using EcsRoleAuditor.TestData;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

/// <summary>ERA047 through the real path: an account snapshot whose documents do not parse (the rule runs on its own until BreadthRules lists it).</summary>
public class MalformedPolicyTests
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/web-execution";

    private static async Task<TaskDefinitionReport> AuditSnapshot(string roleDetail, bool bothSlots = false)
    {
        using var json = JsonDocument.Parse($$"""{"RoleDetailList":[{{roleDetail}}],"Policies":[]}""");
        var snapshot = RecordedAccount.Read(json.RootElement, "account.json");
        var scenario = Scenario.Parse($$"""
            {"taskDefinition":{"family":"web","executionRoleArn":"{{RoleArn}}"{{(bothSlots ? $",\"taskRoleArn\":\"{RoleArn}\"" : "")}},
              "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},"roles":[]}
            """, "scenario");
        return await new Auditor([new MalformedPolicyRule()], []).AuditAsync(scenario.TaskDefinition, snapshot);
    }

    private static string Role(string inlinePolicies, string? trust = null) => $$"""
        {"Arn":"{{RoleArn}}","RoleName":"web-execution","Path":"/",
         "AssumeRolePolicyDocument":{{trust ?? Scenario.RecommendedTrust("aws", "111122223333")}},
         "RolePolicyList":[{{inlinePolicies}}],"AttachedManagedPolicies":[]}
        """;

    [Fact]
    public async Task A_malformed_inline_policy_is_named_with_the_parsers_location()
    {
        var report = await AuditSnapshot(Role("""{"PolicyName":"logs","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"logs:PutLogEvents","Resource":"*"}]}}"""));
        var finding = Assert.Single(report.Findings);
        Assert.Equal(MalformedPolicyRule.Rule, finding.Rule);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(new FindingSource(SourceKind.InlinePolicy, "logs"), finding.Source);
        Assert.Equal(RoleArn, finding.RoleArn);
        Assert.Contains("$.Statement[0].Effect", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Permit", finding.Message, StringComparison.Ordinal);
    }

    // A repeated key is a malformed policy, never read last-wins: a second "Effect" or "Action" would otherwise decide what
    // the statement grants. (Why AWS refuses such documents: UntrustedInputTests in the CLI tests.)
    [Theory]
    [InlineData("\"Effect\":\"Deny\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"", "$.Statement[0].Effect")]
    [InlineData("\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Action\":\"*\"", "$.Statement[0].Action")]
    public async Task A_policy_that_repeats_a_key_is_malformed(string elements, string path)
    {
        var report = await AuditSnapshot(Role("""{"PolicyName":"twice","PolicyDocument":{"Version":"2012-10-17","Statement":[{""" + elements + ""","Resource":"*"}]}}"""));

        var finding = Assert.Single(report.Findings);
        Assert.Same(MalformedPolicyRule.Rule, finding.Rule);
        Assert.True(finding.Rule.MarksAuditIncomplete);
        Assert.Contains($"{path}: duplicate key", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_malformed_document_is_one_finding_and_a_shared_role_is_reported_once()
    {
        var report = await AuditSnapshot(
            Role("""{"PolicyName":"a","PolicyDocument":{"Statement":[]}},{"PolicyName":"b","PolicyDocument":{"Statement":{"Effect":"Allow","Action":"s3:GetObject"}}}""",
                 trust: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"""),
            bothSlots: true);
        Assert.Equal(3, report.Findings.Length);
        Assert.All(report.Findings, f => Assert.Equal(MalformedPolicyRule.Rule, f.Rule));
        Assert.Equal(["a", "b", "web-execution"], report.Findings.Select(f => f.Source.Name).Order(StringComparer.Ordinal));
        Assert.Contains(report.Findings, f => f.Source.Kind == SourceKind.TrustPolicy);
    }

    [Fact]
    public async Task Valid_documents_and_missing_ones_are_not_malformed()
    {
        var report = await AuditSnapshot("""
            {"Arn":"arn:aws:iam::111122223333:role/web-execution","RoleName":"web-execution","Path":"/",
             "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]},
             "RolePolicyList":[{"PolicyName":"logs","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}}],
             "AttachedManagedPolicies":[{"PolicyName":"Gone","PolicyArn":"arn:aws:iam::111122223333:policy/Gone"}]}
            """);
        Assert.Empty(report.Findings); // the missing managed policy is ERA005's, not ERA047's
    }
}
