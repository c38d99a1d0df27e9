using EcsRoleAuditor.TestData;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.RoleReferences;

/// <summary>ERA004 (a named role does not exist) and its line with ERA005 (the audit cannot tell).</summary>
public class MissingRoleTests
{
    private static async Task<Finding> MissingExecutionRole(string executionRoleArn, string taskDefinitionArn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3")
    {
        var report = await RuleExampleTests.Audit($$"""
            {"taskDefinition":{"taskDefinitionArn":"{{taskDefinitionArn}}","family":"web","executionRoleArn":"{{executionRoleArn}}",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},"roles":[]}
            """, "missing role");
        return Assert.Single(report.Findings, f => f.Rule == MissingRoleRule.Rule);
    }

    [Fact]
    public async Task A_missing_role_is_to_be_created_in_its_account_with_its_path()
    {
        var finding = await MissingExecutionRole("arn:aws:iam::111122223333:role/service-role/web-execution");
        Assert.Equal(
            "Create the role web-execution with path /service-role/ in account 111122223333, or register a revision of web whose executionRoleArn names an existing role.",
            finding.Remediation);
        Assert.StartsWith("Create the role web-execution in the task definition's account, ", (await MissingExecutionRole("web-execution")).Remediation, StringComparison.Ordinal);
    }

    // Creating a role under a service-linked role's name would leave ECS unable to create its own
    // (CreateServiceLinkedRole: "Service role name ... has been taken in this account"), and the role would still not be
    // the service-linked role: https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
    [Theory]
    [InlineData("AWSServiceRoleForECS")]
    [InlineData("arn:aws:iam::111122223333:role/AWSServiceRoleForECS")]
    public async Task A_missing_role_named_like_a_service_linked_role_is_never_to_be_created_under_that_name(string reference)
    {
        var finding = await MissingExecutionRole(reference);
        Assert.StartsWith("Create a role for web trusting ecs-tasks.amazonaws.com with only the permissions the execution role needs", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("do not create a role named AWSServiceRoleForECS", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("\"aws:SourceAccount\":\"111122223333\"", finding.Remediation, StringComparison.Ordinal);
    }

    // "You can only use the PassRole permission to pass an IAM role to a service that shares the same AWS account":
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    [Fact]
    public async Task A_missing_role_of_another_account_is_never_to_be_created()
    {
        var finding = await MissingExecutionRole("arn:aws:iam::444455556666:role/web-execution");
        Assert.DoesNotContain("Create", finding.Remediation, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([ChangeKind.RegisterRevision], finding.Changes.Select(c => c.Kind).ToArray());
        Assert.Equal(
            "Register a revision of web whose executionRoleArn names a role of account 111122223333: the role is in account 444455556666, "
            + "and iam:PassRole passes a role only to a service in the same account.",
            finding.Remediation);
    }

    [Fact]
    public async Task A_role_in_another_account_than_the_IAM_export_makes_the_audit_incomplete_instead_of_missing()
    {
        using var json = Fixtures.Json("account.json");
        var snapshot = RecordedAccount.Read(json.RootElement, "iam.json");
        var scenario = Scenario.Parse("""
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::444455556666:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},"roles":[]}
            """, "scenario");

        var report = await Auditor.WithAllRules().AuditAsync(scenario.TaskDefinition, snapshot);

        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingRoleRule.Rule);
        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Contains("the role is in account 444455556666, iam.json holds account 111122223333", incomplete.Message, StringComparison.Ordinal);
    }
}
