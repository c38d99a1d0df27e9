using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Breadth.BreadthScenario;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

public class PrivilegeEscalationTests
{
    private const string PassRoleOnAll = """{"Sid":"Pass","Effect":"Allow","Action":"iam:PassRole","Resource":"*"}""";
    private const string RegisterAndRun = """{"Sid":"Deploy","Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:RunTask"],"Resource":"*"}""";

    [Fact]
    public async Task AmazonECS_FullAccess_on_a_task_role_yields_the_ECS_PassRole_path_and_ECS_Exec()
    {
        // The real document: ecs:* on "*" (ECSIntegrationsManagementPolicy) and iam:PassRole on "*" for ecs-tasks.amazonaws.com
        // (TasksPassRolePolicy). The PassedToService condition names the very service the ECS path passes the role to, so it
        // does not narrow that path; its other PassRole statements name ecsInstanceRole*/ecsAutoscaleRole*/ecsInfrastructureRole only,
        // so the EC2 and CloudFormation paths stay incomplete.
        var findings = await Audited(Scenario(RoleWithManaged(TaskRoleArn, "AmazonECS_FullAccess"), null), PrivilegeEscalationRule.Rule);
        Assert.Equal(2, findings.Count);
        var ecsPath = Assert.Single(findings, f => f.Message.Contains("ECS task with a passed role", StringComparison.Ordinal));
        Assert.Equal(Severity.Critical, ecsPath.Severity);
        Assert.Equal("TasksPassRolePolicy, ECSIntegrationsManagementPolicy", ecsPath.Statement);
        Assert.Contains("AmazonECS_FullAccess/TasksPassRolePolicy", ecsPath.Message, StringComparison.Ordinal);
        Assert.Contains("AmazonECS_FullAccess/ECSIntegrationsManagementPolicy", ecsPath.Message, StringComparison.Ordinal);
        Assert.Contains("iam:PassRole", ecsPath.Actions);
        Assert.Contains("ecs:RegisterTaskDefinition", ecsPath.Actions);
        Assert.Contains("ecs:RunTask", ecsPath.Actions);
        Assert.Equal("arn:aws:iam::aws:policy/AmazonECS_FullAccess", ecsPath.Source.Arn);
        var exec = Assert.Single(findings, f => f.Message.Contains("ECS Exec", StringComparison.Ordinal));
        Assert.Equal(["ecs:ExecuteCommand"], exec.Actions.ToArray());
        Assert.DoesNotContain(findings, f => f.Message.Contains("EC2 instance", StringComparison.Ordinal) || f.Message.Contains("CloudFormation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_path_spread_over_two_policies_names_every_statement_that_completes_it()
    {
        var role = Role(TaskRoleArn, [("pass", Document(PassRoleOnAll)), ("deploy", Document(RegisterAndRun))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        Assert.Equal("Pass, Deploy", finding.Statement);
        Assert.Equal("pass", finding.Source.Name);
        Assert.Contains("pass/Pass (iam:PassRole) + deploy/Deploy (ecs:RegisterTaskDefinition) + deploy/Deploy (ecs:RunTask)", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Critical, finding.Severity);
    }

    [Fact]
    public async Task PassRole_alone_on_every_role_is_reported_on_its_own()
    {
        var role = Role(TaskRoleArn, [("pass", Document("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/*"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        Assert.Contains("iam:PassRole on every role", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassRole_on_named_roles_is_no_escalation()
    {
        var role = Role(TaskRoleArn, [("pass", Document("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/web-task"}""")), ("deploy", Document(RegisterAndRun))]);
        Assert.Empty(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
    }

    [Fact]
    public async Task An_explicit_deny_of_a_step_breaks_the_path()
    {
        var role = Role(TaskRoleArn, [("pass", Document(PassRoleOnAll)), ("deploy", Document(RegisterAndRun, """{"Effect":"Deny","Action":"ecs:RunTask","Resource":"*"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        // What is left is the ingredient: iam:PassRole on every role, no longer part of an ECS path.
        Assert.Equal(["iam:PassRole"], finding.Actions.ToArray());
        Assert.DoesNotContain("ECS task", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_boundary_without_IAM_breaks_the_path()
    {
        var role = Role(TaskRoleArn, [("pass", Document(PassRoleOnAll)), ("deploy", Document(RegisterAndRun))],
            boundary: Document("""{"Effect":"Allow","Action":"ecs:*","Resource":"*"}"""));
        Assert.Empty(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
    }

    [Fact]
    public async Task A_conditional_step_makes_the_path_conditional_and_one_level_lower()
    {
        var role = Role(TaskRoleArn, [("pass", Document("""{"Sid":"Pass","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"web"}}}""")),
                                      ("deploy", Document(RegisterAndRun))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("aws:ResourceTag/team", finding.Conditional, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassRole_limited_to_another_service_does_not_complete_the_ECS_path()
    {
        var role = Role(TaskRoleArn, [("pass", Document("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}""")),
                                      ("deploy", Document(RegisterAndRun))]);
        var findings = await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule);
        Assert.DoesNotContain(findings, f => f.Message.Contains("ECS task", StringComparison.Ordinal));
        // A role passes a role to Lambda through a Lambda call; with none allowed, passing to Lambda reaches no one.
        Assert.Empty(findings);
    }

    [Fact]
    public async Task PassRole_limited_to_a_service_the_role_can_call_is_an_ingredient_under_its_condition()
    {
        var role = Role(TaskRoleArn, [("pass", Document("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}""")),
                                      ("functions", Document("""{"Effect":"Allow","Action":"lambda:UpdateFunctionConfiguration","Resource":"arn:aws:lambda:eu-west-1:111122223333:function:jobs"}"""))]);
        var alone = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        Assert.Equal(Severity.High, alone.Severity);
        Assert.Contains("iam:PassedToService", alone.Conditional, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lambda.amazonaws.com", "\"lambda:CreateFunction\",\"lambda:InvokeFunction\"", "Lambda function")]
    [InlineData("glue.amazonaws.com", "\"glue:CreateDevEndpoint\"", "Glue endpoint")]
    [InlineData("cloudformation.amazonaws.com", "\"cloudformation:CreateStack\"", "CloudFormation stack")]
    [InlineData("ec2.amazonaws.com", "\"ec2:RunInstances\"", "EC2 instance")]
    public async Task PassRole_service_paths_are_recognised(string service, string actions, string pathName)
    {
        var role = Role(TaskRoleArn, [("app", Document(
            """{"Sid":"Pass","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":""" + $"\"{service}\"" + "}}}",
            """{"Sid":"Use","Effect":"Allow","Action":[""" + actions + """],"Resource":"*"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        Assert.Contains(pathName, finding.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Null(finding.Conditional);
    }

    [Fact]
    public async Task IAM_full_access_is_one_finding_naming_every_path_of_its_statement()
    {
        var finding = Assert.Single(await Audited(Scenario(RoleWithManaged(TaskRoleArn, "IAMFullAccess"), null), PrivilegeEscalationRule.Rule));
        foreach (var action in new[] { "iam:PassRole", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy", "iam:PutRolePolicy",
                                        "iam:UpdateAssumeRolePolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:AddUserToGroup" })
        {
            Assert.Contains(action, finding.Actions);
        }
    }

    [Fact]
    public async Task AssumeRole_counts_only_on_every_resource()
    {
        var scoped = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::444455556666:role/reader"}"""))]);
        Assert.Empty(await Audited(Scenario(scoped, null), PrivilegeEscalationRule.Rule));
        var any = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"""))]);
        Assert.Contains("assume any role", Assert.Single(await Audited(Scenario(any, null), PrivilegeEscalationRule.Rule)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_task_execution_role_policy_enables_no_escalation()
    {
        Assert.Empty(await Audited(Scenario(null, RoleWithManaged(ExecutionRoleArn, "AmazonECSTaskExecutionRolePolicy")), PrivilegeEscalationRule.Rule));
    }

    [Fact]
    public async Task A_Deny_the_audit_cannot_decide_is_said_and_leaves_the_path_whole()
    {
        // An explicit Deny whose condition may or may not match the request overrides the Allow only when it matches:
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
        var role = Role(TaskRoleArn, [("app", Document(
            """{"Sid":"Policies","Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"}""",
            """{"Sid":"OnlyFromVpc","Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1234"}}}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("unless the Deny app/OnlyFromVpc applies", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Deny_on_some_roles_is_said_as_an_exception()
    {
        var role = Role(TaskRoleArn, [("app", Document(
            """{"Sid":"Policies","Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"}""",
            """{"Sid":"NotAdmins","Effect":"Deny","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::111122223333:role/admin-*"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule));
        Assert.Contains("except on arn:aws:iam::111122223333:role/admin-* (denied by app/NotAdmins)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_that_escalates_on_its_own_is_not_reported_again_as_a_write_on_every_resource()
    {
        var role = Role(TaskRoleArn, [("app", Document(
            """{"Sid":"Mixed","Effect":"Allow","Action":["iam:PutRolePolicy","iam:PassRole","sqs:DeleteQueue","ecs:RegisterTaskDefinition"],"Resource":"*"}"""))]);
        var findings = await Audited(Scenario(role, null), PrivilegeEscalationRule.Rule, WriteOnAnyResourceRule.Rule);
        var escalation = Assert.Single(findings, f => f.Rule == PrivilegeEscalationRule.Rule);
        Assert.Contains("iam:PutRolePolicy", escalation.Actions);
        var breadth = Assert.Single(findings, f => f.Rule == WriteOnAnyResourceRule.Rule);
        // ecs:RegisterTaskDefinition completes no path here (nothing runs the task definition): it stays a matter of breadth.
        Assert.Equal(["ecs:RegisterTaskDefinition", "sqs:DeleteQueue"], breadth.Actions.Order(StringComparer.Ordinal).ToArray());
    }
}
