using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.Audit.Tests.Rules;

namespace EcsRoleAuditor.Audit.Tests.Suppressions;

/// <summary>The suppression tag names rules by ID, as people write them; it suppresses the findings of exactly those rules.</summary>
public class SuppressionTagTests
{
    [Fact]
    public void Tag_entries_name_their_rules_ignoring_case_and_an_unknown_id_is_skipped()
    {
        var parsed = SuppressionRules.ParseTag("era012, ERA999:no such rule, ERA030:shared with the batch job: until Q3");

        Assert.Equal(
            new (RuleDescriptor, string?)[] { (NoConfusedDeputyGuardRule.Rule, null), (ExecutionPermissionsOnTaskRoleRule.Rule, "shared with the batch job: until Q3") },
            parsed);
    }

    [Fact]
    public async Task A_role_tag_suppresses_the_findings_of_the_rule_it_names_and_no_other()
    {
        var report = await RuleExampleTests.Audit("""
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","tags":{"ecs-role-auditor:suppress":"era040:accepted by security"},
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]},
                       "managed":{"arn:aws:iam::aws:policy/AdministratorAccess":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}}]}
            """, "administrator tagged");

        var admin = Assert.Single(report.Findings, f => f.Rule == AdministratorAccessRule.Rule);
        Assert.True(admin.Suppressed);
        Assert.Equal("tag ecs-role-auditor:suppress on role web-task: accepted by security", admin.SuppressionReason);
        Assert.Contains(report.Findings, f => f.Rule != AdministratorAccessRule.Rule);
        Assert.All(report.Findings.Where(f => f.Rule != AdministratorAccessRule.Rule), f => Assert.False(f.Suppressed));
    }
}
