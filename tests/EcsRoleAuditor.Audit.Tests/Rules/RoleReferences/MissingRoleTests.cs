using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.RoleReferences;

/// <summary>ERA004 (a named role does not exist) and its line with ERA005 (the audit cannot tell).</summary>
public class MissingRoleTests
{
    [Fact]
    public async Task A_role_in_another_account_than_the_IAM_export_makes_the_audit_incomplete_instead_of_missing()
    {
        using var json = Fixtures.Json("account.json");
        var snapshot = AccountSnapshot.Read(json.RootElement, "iam.json");
        var scenario = Scenario.Parse("""
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::444455556666:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},"roles":[]}
            """, "scenario");

        var report = await Auditor.WithAllRules().AuditAsync(scenario.TaskDefinition, snapshot);

        Assert.DoesNotContain(report.Findings, f => f.RuleId == "ERA004");
        var incomplete = Assert.Single(report.Findings, f => f.RuleId == "ERA005");
        Assert.Contains("the role is in account 444455556666, iam.json holds account 111122223333", incomplete.Message, StringComparison.Ordinal);
    }
}
