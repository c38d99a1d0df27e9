using EcsRoleAuditor.TestData;
using System.Text.Json;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Resolution;
using static EcsRoleAuditor.Aws.Tests.Resolution.ResolutionFixtures;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

/// <summary>The audit over the live directories (against in-memory doubles) says what it says over the offline snapshot.</summary>
public sealed class LiveAuditTests
{
    private static IReadOnlyList<TaskDefinition> DemoDefinitions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(InMemoryIamAccount.DemoFile("task-definitions.json")));
        return TaskDefinitionReader.Read(document.RootElement, "demo");
    }

    private static async Task<List<string>> FindingsAsync(IRoleDirectory directory, IEnumerable<TaskDefinition> definitions)
    {
        var auditor = Auditor.WithAllRules();
        var findings = new List<string>();
        foreach (var definition in definitions)
        {
            var report = await auditor.AuditAsync(definition, directory);
            findings.AddRange(report.Findings.Select(f => $"{definition.DisplayName} {f.RuleId} {f.Severity} {f.RoleSlot} {f.RoleArn} {f.Source} | {f.Message}"));
        }
        return findings;
    }

    private static RecordedAccount DemoSnapshot()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(InMemoryIamAccount.DemoFile("account.json")));
        return RecordedAccount.Read(document.RootElement, "demo");
    }

    [Fact]
    public async Task Auditing_the_demo_account_through_IAM_gives_the_same_findings_as_the_snapshot()
    {
        var definitions = DemoDefinitions();
        var expected = await FindingsAsync(DemoSnapshot(), definitions);

        var perRole = await FindingsAsync(PerRole(InMemoryIamAccount.Demo()).Directory, definitions);
        var bulk = await FindingsAsync(new AuthorizationDetailsDirectory(InMemoryIamAccount.Demo(), new IamRoleDirectoryOptions(Account, Cache: new ManagedPolicyCache())), definitions);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, perRole);
        Assert.Equal(expected, bulk);
    }

    [Fact]
    public async Task A_second_audit_of_the_demo_roles_makes_fewer_calls()
    {
        var definitions = DemoDefinitions();
        var cache = new ManagedPolicyCache();
        var (first, cold) = PerRole(InMemoryIamAccount.Demo(), cache);
        var (second, warm) = PerRole(InMemoryIamAccount.Demo(), cache);

        await FindingsAsync(first, definitions);
        await FindingsAsync(second, definitions);

        // Five roles, one inline policy each (3 + 1 calls), AmazonECSTaskExecutionRolePolicy on two of them:
        // cold 5 x 4 + GetPolicy + GetPolicyVersion once for the sweep; warm the version comes from the cache.
        Assert.Equal(22, cold.Total);
        Assert.Equal(21, warm.Total);
        Assert.Equal(1, cold[AwsActions.GetPolicyVersion.Action]);
        Assert.Equal(0, warm[AwsActions.GetPolicyVersion.Action]);
        Assert.Equal(5, warm[AwsActions.GetRole.Action]);
    }

    [Fact]
    public async Task A_deleted_role_and_a_denied_policy_become_ERA004_and_ERA005_findings()
    {
        var iam = InMemoryIamAccount.Demo().Fail(AwsActions.GetPolicyVersion, "AmazonECSTaskExecutionRolePolicy", "AccessDenied", System.Net.HttpStatusCode.Forbidden);
        iam.Roles.Remove("orders-api-task");
        var definitions = DemoDefinitions().Where(d => d.Family == "orders-api").ToList();

        var findings = await FindingsAsync(PerRole(iam).Directory, definitions);

        Assert.Contains(findings, f => f.Contains(" ERA004 ", StringComparison.Ordinal) && f.Contains("orders-api-task", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains(" ERA005 ", StringComparison.Ordinal) && f.Contains("access denied: iam:GetPolicyVersion on arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_policy_read_from_IAM_becomes_an_ERA047_finding()
    {
        var iam = InMemoryIamAccount.Demo();
        iam.Add(iam.Roles["orders-api-task"] with { InlinePolicies = [new Api.InlinePolicy("orders-data", """{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}""")] });
        var definitions = DemoDefinitions().Where(d => d.Family == "orders-api").ToList();

        var findings = await FindingsAsync(PerRole(iam).Directory, definitions);

        Assert.Contains(findings, f => f.Contains(" ERA047 ", StringComparison.Ordinal) && f.Contains("inline policy orders-data", StringComparison.Ordinal));
    }
}
