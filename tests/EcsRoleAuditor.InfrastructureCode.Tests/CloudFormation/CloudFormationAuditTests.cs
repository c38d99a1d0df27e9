using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation.TemplateAudit;

namespace EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation;

public class CloudFormationAuditTests
{
    // Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": the execution role pulls the image, writes the
    // awslogs stream and reads the secrets; "Amazon ECS task IAM role": the task role is the application's.
    [Fact]
    public async Task Swapped_roles_in_a_template_are_found_before_deploy()
    {
        var (reports, _) = await AuditAsync(Read("swapped-roles.yaml"));

        var report = Assert.Single(reports);
        Assert.Equal("billing-worker", report.DisplayName);
        Assert.Equal("arn:aws:iam::111122223333:role/billing-worker-execution", report.ExecutionRoleArn);
        var findings = report.Findings.Select(f => (f.Rule, f.RoleSlot, f.Source.Name, f.Statement)).ToList();
        Assert.Contains((ApplicationPermissionsOnExecutionRoleRule.Rule, RoleSlot.Execution, "app", "Ledger"), findings);
        Assert.Contains((ExecutionPermissionsOnTaskRoleRule.Rule, RoleSlot.Task, "agent", "Pull"), findings);
        Assert.Contains((MissingNeededPermissionRule.Rule, RoleSlot.Execution, "containerDefinitions[0].image", null), findings);
        Assert.Contains((MissingNeededPermissionRule.Rule, RoleSlot.Execution, "containerDefinitions[0].logConfiguration", null), findings);
        Assert.Contains((MissingNeededPermissionRule.Rule, RoleSlot.Execution, "containerDefinitions[0].secrets[0]", null), findings);
        // The image is the repository the template creates, in the stack's account and region.
        var image = report.Findings.Single(f => f.Source.Name == "containerDefinitions[0].image");
        Assert.Contains("arn:aws:ecr:eu-west-1:111122223333:repository/billing-worker", image.Resources);
        // A secret's ARN ends in six characters Secrets Manager picks; XXXXXX stands for them.
        var secret = report.Findings.Single(f => f.Source.Name == "containerDefinitions[0].secrets[0]");
        Assert.Equal("arn:aws:secretsmanager:eu-west-1:111122223333:secret:billing/prod/stripe-XXXXXX", Assert.Single(secret.Resources));
    }

    [Fact]
    public async Task A_template_audits_as_the_account_it_deploys_does()
    {
        var (fromTemplate, _) = await AuditAsync(Read("swapped-roles.yaml"));
        var deployed = await AuditDeployedAsync("deployed/swapped-roles.iam.json", "deployed/swapped-roles.task-definition.json");

        Assert.Equal(
            deployed.Single().Findings.Select(Shape).Order(StringComparer.Ordinal),
            fromTemplate.Single().Findings.Select(Shape).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Findings_point_at_the_lines_that_declare_them()
    {
        var (reports, account) = await AuditAsync(Read("swapped-roles.yaml"));
        var report = reports.Single();
        var lines = File.ReadAllLines(PathOf("swapped-roles.yaml"));

        string LineOf(Func<Finding, bool> which) =>
            lines[account.Locations.Find(report, report.Findings.Single(which))!.Line!.Value - 1].Trim();

        Assert.Equal("- Sid: Ledger", LineOf(f => f.Statement == "Ledger"));
        Assert.Equal("- Sid: Pull", LineOf(f => f.Statement == "Pull"));
        Assert.Equal("- Name: STRIPE_KEY", LineOf(f => f.Source.Name == "containerDefinitions[0].secrets[0]"));
        Assert.StartsWith("Image: ", LineOf(f => f.Source.Name == "containerDefinitions[0].image"), StringComparison.Ordinal);
        Assert.Equal("- Effect: Allow", LineOf(f => f.Rule == NoConfusedDeputyGuardRule.Rule && f.RoleSlot == RoleSlot.Execution));
    }

    [Fact]
    public async Task Sarif_results_carry_the_line_as_a_region()
    {
        var (reports, account) = await AuditAsync(Read("swapped-roles.yaml"));
        var output = new StringWriter();
        ReportWriters.Write(new AuditReport([.. reports]), [.. RuleCatalog.All.Select(r => r.Descriptor)], ReportFormat.Sarif, output,
            new ReportOptions { Locations = account.Locations });

        using var sarif = System.Text.Json.JsonDocument.Parse(output.ToString());
        var ledger = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("properties").TryGetProperty("statement", out var s) && s.GetString() == "Ledger");
        var physical = ledger.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("swapped-roles.yaml", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(50, physical.GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public async Task Values_only_deployment_knows_make_the_audit_incomplete_never_a_verdict()
    {
        var declared = Read("unresolved.yaml");
        var (reports, account) = await AuditAsync(declared);

        var findings = Assert.Single(reports).Findings;
        // The imported task role, the policy on a parameter without a value, and the AWS managed policy the template
        // names but does not hold are unread: ERA005, and no "does not exist" (ERA004), "malformed" (ERA047) or
        // "cannot read its secret" (ERA021) on a guess.
        Assert.All(findings, f => Assert.Equal(IncompleteAuditRule.Rule, f.Rule));
        Assert.Contains(findings, f => f.RoleSlot == RoleSlot.Task && f.Source.Kind == SourceKind.Role);
        // The finding itself says where and why, and what to do: give the value or audit what was deployed.
        var secrets = Assert.Single(findings, f => f.Source.Kind == SourceKind.InlinePolicy && f.Source.Name == "secrets");
        Assert.Contains("unresolved.yaml:30 (ExecutionRole.Policies.secrets): Statement[0] names a resource known only at deployment (${unresolved.DatabaseSecretArn})",
            secrets.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("missing", secrets.Message, StringComparison.Ordinal);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, secrets.Remediation);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, Assert.Single(findings, f => f.RoleSlot == RoleSlot.Task).Remediation);
    }

    [Fact]
    public async Task A_parameter_value_settles_what_the_template_leaves_open()
    {
        var options = Ireland with
        {
            Parameters = Ireland.Parameters
                .Add("DatabaseSecretArn", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db-AbC123")
                .Add("UseCache", "false"),
        };
        var (reports, account) = await AuditAsync(Read("unresolved.yaml", options));

        var findings = Assert.Single(reports).Findings;
        // The secret policy is now read, and grants exactly what the task definition's secret needs.
        Assert.DoesNotContain(findings, f => f.Source.Kind == SourceKind.InlinePolicy && f.Source.Name == "secrets");
        Assert.DoesNotContain(findings, f => f.Rule == MissingNeededPermissionRule.Rule && f.Source.Name == "containerDefinitions[0].secrets[0]");
        Assert.DoesNotContain(account.Notes, n => n.Contains("policy data", StringComparison.Ordinal));
    }
}

public class SamTemplateTests
{
    // Amazon ECS Developer Guide, "Amazon ECS task execution IAM role" and "Amazon ECS task IAM role": two roles, two jobs;
    // "Using service-linked roles for Amazon ECS": AWSServiceRoleForECS is ECS's own, never a task's.
    [Fact]
    public async Task A_sam_template_shared_role_and_service_linked_role_are_found()
    {
        var declared = Read("shared-role.sam.yaml");
        // The SAM function is no ECS resource: only the ECS task definitions and the IAM roles are read.
        Assert.Equal(["reports-shared"], declared.Roles.Select(r => r.Name));
        var (reports, _) = await AuditAsync(declared);

        var reportsFindings = reports.Single(r => r.Family == "reports").Findings;
        Assert.Contains(reportsFindings, f => f.Rule == SameRoleForTaskAndExecutionRule.Rule);
        // The shared role reads the parameter the secret names (in the stack's region and account), so no ERA021 for it.
        Assert.DoesNotContain(reportsFindings, f => f.Rule == MissingNeededPermissionRule.Rule);
        // The trust names the stack's account and region through pseudo parameters: tied to this account's tasks.
        Assert.DoesNotContain(reportsFindings, f => f.Rule == NoConfusedDeputyGuardRule.Rule);
        var legacy = reports.Single(r => r.Family == "legacy").Findings;
        Assert.Contains(legacy, f => f.Rule == ServiceLinkedRoleRule.Rule && f.RoleSlot == RoleSlot.Execution);
    }
}

public class StandInAccountTests
{
    private const string Template = """
        Resources:
          Execution:
            Type: AWS::IAM::Role
            Properties:
              RoleName: web-execution
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: {Service: ecs-tasks.amazonaws.com}
                    Action: sts:AssumeRole
                    Condition: {StringEquals: {aws:SourceAccount: "111122223333"}}
          Web:
            Type: AWS::ECS::TaskDefinition
            Properties:
              Family: web
              ExecutionRoleArn: !GetAtt Execution.Arn
              ContainerDefinitions: [{Name: web, Image: "public.ecr.aws/nginx/nginx:1.27"}]
        """;

    // Amazon ECS Developer Guide, "Task IAM role": ECS sets aws:SourceAccount to the task's account. Audited without
    // --account, the task's account is unknown: a trust naming an account is undecided, never "ECS can never assume it".
    [Fact]
    public async Task Without_the_account_a_trust_naming_one_is_not_judged_against_the_stand_in()
    {
        var standIn = TemplateAudit.Ireland with { Account = Declared.StandIns.Account };
        var (reports, _) = await TemplateAudit.AuditAsync(TemplateAudit.ReadText(Template, standIn));
        Assert.DoesNotContain(Assert.Single(reports).Findings, f => f.Rule == EcsTrustNeverMatchesRule.Rule);
    }

    [Fact]
    public async Task With_another_account_given_the_trust_never_matches()
    {
        var other = TemplateAudit.Ireland with { Account = "444455556666" };
        var (reports, _) = await TemplateAudit.AuditAsync(TemplateAudit.ReadText(Template, other));
        Assert.Contains(Assert.Single(reports).Findings, f => f.Rule == EcsTrustNeverMatchesRule.Rule);
    }
}
