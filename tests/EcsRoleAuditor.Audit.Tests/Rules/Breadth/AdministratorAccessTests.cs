using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Breadth.BreadthScenario;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

public class AdministratorAccessTests
{
    [Fact]
    public async Task AdministratorAccess_yields_exactly_ERA040_and_none_of_the_redundant_breadth_findings()
    {
        var findings = await Audited(Scenario(RoleWithManaged(TaskRoleArn, "AdministratorAccess"), null));
        var admin = Assert.Single(findings, f => f.Rule == AdministratorAccessRule.Rule);
        Assert.Equal(Severity.Critical, admin.Severity);
        Assert.Equal(RoleSlot.Task, admin.RoleSlot);
        Assert.Equal("arn:aws:iam::aws:policy/AdministratorAccess", admin.Source.Arn);
        Assert.Equal("#0", admin.Statement);
        Assert.Null(admin.Conditional);
        Assert.Empty(findings.Select(f => f.Rule).Intersect([PrivilegeEscalationRule.Rule, ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule, SensitiveReadOnAnyResourceRule.Rule]));
    }

    [Fact]
    public async Task Star_colon_star_on_star_is_administrator_access_too()
    {
        var role = Role(TaskRoleArn, [("all", Document("""{"Effect":"Allow","Action":"*:*","Resource":"*"}"""))]);
        Assert.Single(await Audited(Scenario(role, null), AdministratorAccessRule.Rule));
    }

    [Fact]
    public async Task NotAction_naming_no_real_action_covers_the_whole_catalog_and_is_administrator_access()
    {
        var role = Role(TaskRoleArn, [("all", Document("""{"Sid":"Sneaky","Effect":"Allow","NotAction":"nosuchservice:Nothing","Resource":"*"}"""))]);
        var findings = await Audited(Scenario(role, null));
        Assert.Equal("Sneaky", Assert.Single(findings, f => f.Rule == AdministratorAccessRule.Rule).Statement);
        Assert.Single(findings, f => f.Rule == NegatedAllowRule.Rule);
    }

    [Fact]
    public async Task A_conditional_administrator_statement_is_one_level_lower_and_names_its_condition()
    {
        var role = Role(TaskRoleArn, [("all", Document("""{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"""))]);
        var admin = Assert.Single(await Audited(Scenario(role, null), AdministratorAccessRule.Rule));
        Assert.Equal(Severity.High, admin.Severity);
        Assert.Contains("aws:SourceIp", admin.Conditional, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_action_only_in_another_region_than_IAMs_is_no_administrator()
    {
        // IAM User Guide, aws:RequestedRegion: IAM has one endpoint, "IAM calls are always made to the us-east-1 Region"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion):
        // a statement confined to eu-west-1 reaches every regional service there, but no IAM action.
        var role = Role(TaskRoleArn, [("all", Document("""{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}"""))]);
        var findings = await Audited(Scenario(role, null), AdministratorAccessRule.Rule, PrivilegeEscalationRule.Rule, ServiceWideWildcardRule.Rule);
        Assert.DoesNotContain(findings, f => f.Rule == AdministratorAccessRule.Rule);
        Assert.DoesNotContain(findings, f => f.Actions.Any(a => a.StartsWith("iam:", StringComparison.Ordinal)));
        var wildcard = Assert.Single(findings, f => f.Rule == ServiceWideWildcardRule.Rule);
        Assert.Contains("only when StringEquals aws:RequestedRegion=eu-west-1", wildcard.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdministratorAccess_less_a_service_a_deny_removes_is_still_one_administrator_finding()
    {
        var role = Role(TaskRoleArn, [("all", Document("""{"Effect":"Allow","Action":"*","Resource":"*"}""", """{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"}"""))]);
        var findings = await Audited(Scenario(role, null));
        var admin = Assert.Single(findings, f => f.Rule == AdministratorAccessRule.Rule);
        Assert.Equal(Severity.Critical, admin.Severity);
        Assert.Contains("that Deny statements or conditions take away (s3:", admin.Message, StringComparison.Ordinal);
        Assert.Empty(findings.Select(f => f.Rule).Intersect([ControlPlanePowersRule.Rule, PrivilegeEscalationRule.Rule, ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule, SensitiveReadOnAnyResourceRule.Rule]));
    }

    [Fact]
    public async Task A_boundary_that_allows_only_S3_makes_star_a_wildcard_finding_not_administrator_access()
    {
        var role = Role(TaskRoleArn, [("all", Document("""{"Effect":"Allow","Action":"*","Resource":"*"}"""))],
            boundary: Document("""{"Effect":"Allow","Action":"s3:*","Resource":"*"}"""));
        var findings = await Audited(Scenario(role, null));
        Assert.DoesNotContain(findings, f => f.Rule == AdministratorAccessRule.Rule);
        var wildcard = Assert.Single(findings, f => f.Rule == ServiceWideWildcardRule.Rule);
        Assert.All(wildcard.Actions, a => Assert.StartsWith("s3:", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unconditional_deny_that_removes_IAM_means_the_role_is_not_an_administrator()
    {
        var role = Role(TaskRoleArn, [("all", Document("""{"Effect":"Allow","Action":"*","Resource":"*"}""", """{"Effect":"Deny","Action":"iam:*","Resource":"*"}"""))]);
        var findings = await Audited(Scenario(role, null));
        Assert.DoesNotContain(findings, f => f.Rule == AdministratorAccessRule.Rule);
        Assert.DoesNotContain(findings, f => f.Rule == PrivilegeEscalationRule.Rule && f.Actions.Any(a => a.StartsWith("iam:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_role_in_both_slots_is_reported_once_for_both_roles()
    {
        var role = RoleWithManaged(TaskRoleArn, "AdministratorAccess");
        var admin = Assert.Single(await Audited(Scenario(role, null, executionRoleReference: TaskRoleArn), AdministratorAccessRule.Rule));
        Assert.Equal(RoleSlot.TaskDefinition, admin.RoleSlot);
    }
}
