using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Breadth.BreadthScenario;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

/// <summary>ERA042, ERA043, ERA044 and ERA045.</summary>
public class BroadGrantTests
{
    [Fact]
    public async Task AmazonS3FullAccess_on_the_execution_role_is_one_service_wide_wildcard_finding()
    {
        var findings = await Audited(Scenario(null, RoleWithManaged(ExecutionRoleArn, "AmazonS3FullAccess")), ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule, SensitiveReadOnAnyResourceRule.Rule);
        var wildcard = Assert.Single(findings);
        Assert.Equal(ServiceWideWildcardRule.Rule, wildcard.Rule);
        Assert.Equal(Severity.Medium, wildcard.Severity);
        Assert.Equal(RoleSlot.Execution, wildcard.RoleSlot);
        Assert.Equal("arn:aws:iam::aws:policy/AmazonS3FullAccess", wildcard.Source.Arn);
        Assert.Contains("s3:*", wildcard.Message, StringComparison.Ordinal);
        Assert.Contains("s3:GetObject", wildcard.Actions);
        Assert.Contains("s3:DeleteBucket", wildcard.Actions);
        Assert.All(wildcard.Actions, a => Assert.Matches("^s3(-object-lambda)?:", a));
    }

    [Fact]
    public async Task Writes_beside_a_service_wildcard_in_the_same_statement_are_still_reported()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":["s3:*","sqs:SendMessage"],"Resource":"*"}"""))]);
        var findings = await Audited(Scenario(role, null), ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule);
        Assert.Equal(["sqs:SendMessage"], Assert.Single(findings, f => f.Rule == WriteOnAnyResourceRule.Rule).Actions.ToArray());
        Assert.Single(findings, f => f.Rule == ServiceWideWildcardRule.Rule);
    }

    [Fact]
    public async Task Star_on_a_scoped_resource_is_a_wildcard_over_every_service()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::web-uploads/*"}"""))]);
        var findings = await Audited(Scenario(role, null), AdministratorAccessRule.Rule, ServiceWideWildcardRule.Rule);
        Assert.Contains("every service", Assert.Single(findings, f => f.Rule == ServiceWideWildcardRule.Rule).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.Rule == AdministratorAccessRule.Rule);
    }

    [Fact]
    public async Task A_service_wildcard_fully_denied_is_not_reported()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"s3:*","Resource":"*"}""", """{"Effect":"Deny","Action":"s3:*","Resource":"*"}"""))]);
        Assert.Empty(await Audited(Scenario(role, null), ServiceWideWildcardRule.Rule));
    }

    [Fact]
    public async Task The_task_execution_role_policy_on_an_execution_role_is_not_flagged_by_any_breadth_rule()
    {
        var findings = await Audited(Scenario(null, RoleWithManaged(ExecutionRoleArn, "AmazonECSTaskExecutionRolePolicy")), AdministratorAccessRule.Rule, PrivilegeEscalationRule.Rule, ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule, NegatedAllowRule.Rule, SensitiveReadOnAnyResourceRule.Rule, UnknownActionRule.Rule);
        Assert.Empty(findings);
    }

    [Fact]
    public async Task The_same_log_writes_on_star_in_a_customer_policy_get_the_verdict_of_the_managed_policy()
    {
        // AmazonECSTaskExecutionRolePolicy grants these on "*" (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSTaskExecutionRolePolicy.html):
        // the same statement written inline is judged the same.
        var role = Role(ExecutionRoleArn, [("copy", Document("""{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}"""))]);
        Assert.Empty(await Audited(Scenario(null, role), AdministratorAccessRule.Rule, PrivilegeEscalationRule.Rule, ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule, NegatedAllowRule.Rule, SensitiveReadOnAnyResourceRule.Rule, UnknownActionRule.Rule));
    }

    [Fact]
    public async Task Other_log_writes_on_star_of_the_execution_role_are_flagged_with_the_task_definitions_log_group()
    {
        var role = Role(ExecutionRoleArn, [("logs", Document("""{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DeleteLogGroup"],"Resource":"*"}"""))]);
        var scenario = Scenario(null, role).Replace("\"image\":\"nginx:1.27\"",
            "\"image\":\"nginx:1.27\",\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"/ecs/app\",\"awslogs-region\":\"eu-west-1\"}}", StringComparison.Ordinal)
            .Replace("\"family\":\"app\"", "\"family\":\"app\",\"taskDefinitionArn\":\"arn:aws:ecs:eu-west-1:111122223333:task-definition/app:1\"", StringComparison.Ordinal);
        var finding = Assert.Single(await Audited(scenario, WriteOnAnyResourceRule.Rule));
        Assert.Equal(["logs:DeleteLogGroup"], finding.Actions.ToArray());
        Assert.Contains("arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app:*", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_on_named_resources_are_not_flagged()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":["sqs:SendMessage","dynamodb:PutItem"],"Resource":["arn:aws:sqs:eu-west-1:111122223333:jobs","arn:aws:dynamodb:eu-west-1:111122223333:table/orders"]}"""))]);
        Assert.Empty(await Audited(Scenario(role, null), WriteOnAnyResourceRule.Rule));
    }

    [Fact]
    public async Task A_conditional_write_on_star_is_one_level_lower_with_its_condition()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"web"}}}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), WriteOnAnyResourceRule.Rule));
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("StringEquals aws:ResourceTag/team=web", finding.Conditional);
    }

    [Fact]
    public async Task NotResource_allow_is_reported_with_its_element()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Sid":"AllButProd","Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::prod/*"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), NegatedAllowRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("AllButProd", finding.Statement);
        Assert.Contains("NotResource [arn:aws:s3:::prod/*]", finding.Message, StringComparison.Ordinal);
        Assert.Equal(["s3:GetObject"], finding.Actions.ToArray());
    }

    [Fact]
    public async Task NotAction_in_a_boundary_or_a_deny_is_not_reported()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}""",
                                                       """{"Effect":"Deny","NotAction":"sqs:*","Resource":"*"}"""))],
            boundary: Document("""{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"""));
        Assert.Empty(await Audited(Scenario(role, null), NegatedAllowRule.Rule));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("arn:aws:s3:::*/*")]
    [InlineData("arn:aws:s3:::*")]
    public async Task GetObject_on_every_object_is_a_sensitive_read(string resource)
    {
        var role = Role(TaskRoleArn, [("app", Document($$"""{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"{{resource}}"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), SensitiveReadOnAnyResourceRule.Rule));
        Assert.Equal(["s3:GetObject"], finding.Actions.ToArray());
    }

    [Theory]
    [InlineData("arn:aws:s3:::web-assets/*")]
    [InlineData("arn:aws:s3:::web-*/public/*")]
    public async Task GetObject_on_named_buckets_is_not_a_sensitive_read_on_any_resource(string resource)
    {
        var role = Role(TaskRoleArn, [("app", Document($$"""{"Effect":"Allow","Action":"s3:GetObject","Resource":"{{resource}}"}"""))]);
        Assert.Empty(await Audited(Scenario(role, null), SensitiveReadOnAnyResourceRule.Rule));
    }

    [Fact]
    public async Task Every_sensitive_read_on_star_is_reported_in_one_finding_per_statement()
    {
        var role = Role(TaskRoleArn, [("app", Document(
            """{"Sid":"Reads","Effect":"Allow","Action":["secretsmanager:GetSecretValue","ssm:GetParameter","ssm:GetParameters","ssm:GetParametersByPath","kms:Decrypt","s3:GetObject"],"Resource":"*"}""",
            """{"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:*"}"""))]);
        var findings = await Audited(Scenario(role, null), SensitiveReadOnAnyResourceRule.Rule);
        Assert.Equal(6, Assert.Single(findings, f => f.Statement == "Reads").Actions.Length);
        Assert.Single(findings, f => f.Statement == "Secrets");
    }

    // AWS KMS Developer Guide, "kms:ViaService": the key is usable only in requests the named services make for the role;
    // Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": how the execution role decrypts secrets under a
    // customer managed key. Through Secrets Manager and Systems Manager it decrypts only what it may read there (ERA022's).
    [Theory]
    [InlineData("StringEquals", "[\"secretsmanager.eu-west-1.amazonaws.com\",\"ssm.eu-west-1.amazonaws.com\"]", false)]
    [InlineData("StringLike", "\"secretsmanager.eu-west-1.amazonaws.com\"", false)]
    [InlineData("StringLike", "\"secretsmanager.*.amazonaws.com\"", false)]
    [InlineData("StringLike", "\"*.amazonaws.com\"", true)]
    [InlineData("StringEquals", "[\"secretsmanager.eu-west-1.amazonaws.com\",\"s3.eu-west-1.amazonaws.com\"]", true)]
    [InlineData("StringNotEquals", "\"ec2.eu-west-1.amazonaws.com\"", true)]
    [InlineData("StringEqualsIfExists", "\"secretsmanager.eu-west-1.amazonaws.com\"", true)]
    public async Task Decrypt_on_every_key_kept_to_the_secret_stores_is_no_sensitive_read_of_the_execution_role(string condition, string values, bool reported)
    {
        var statement = $$"""{"Sid":"Keys","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"{{condition}}":{"kms:ViaService":{{values}}} } }""";

        var onExecution = await Audited(Scenario(null, Role(ExecutionRoleArn, [("keys", Document(statement))])), SensitiveReadOnAnyResourceRule.Rule);
        var onTask = await Audited(Scenario(Role(TaskRoleArn, [("keys", Document(statement))]), null), SensitiveReadOnAnyResourceRule.Rule);

        Assert.Equal(reported, onExecution.Count > 0);
        Assert.Single(onTask); // the task role's application may read anything through those services: still every key
    }

    [Fact]
    public async Task Sensitive_reads_reached_by_a_service_wildcard_are_left_to_ERA042()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}"""))]);
        var findings = await Audited(Scenario(role, null), ServiceWideWildcardRule.Rule, SensitiveReadOnAnyResourceRule.Rule);
        Assert.Equal(ServiceWideWildcardRule.Rule, Assert.Single(findings).Rule);
    }
}
