using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.Placement;

public class ApplicationPermissionsOnExecutionRoleTests
{
    [Fact]
    public async Task S3_full_access_on_the_execution_role_is_flagged_high_with_the_statement_to_move()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy", "AmazonS3FullAccess"]), Role(TaskRoleArn));
        var finding = Assert.Single(await FindingsOf(scenario, ApplicationPermissionsOnExecutionRoleRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("arn:aws:iam::aws:policy/AmazonS3FullAccess", finding.Source.Arn);
        Assert.Contains("s3:PutObject", finding.Actions);
        Assert.Contains("s3:GetObject", finding.Actions); // the task definition reads no environment file or configuration from S3
        Assert.Contains("the task role web-task", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("Detach the AWS managed policy AmazonS3FullAccess from web-execution", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_only_extras_are_medium()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","dynamodb:GetItem"],"Resource":"*"}]}""";
        var finding = Assert.Single(await FindingsOf(Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["app"] = policy })), ApplicationPermissionsOnExecutionRoleRule.Rule));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal<string>(["dynamodb:GetItem", "sqs:ReceiveMessage"], finding.Actions.Order(StringComparer.Ordinal));
        Assert.Contains("a task role (taskRoleArn)", finding.Remediation, StringComparison.Ordinal);
    }

    private static readonly string AgentPolicy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","ssm:GetParameters","kms:Decrypt"],"Resource":["{{SecretArn}}","{{ParameterArn}}","arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]},{"Effect":"Allow","Action":["s3:GetObject","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::web-config/*"}]}""";

    [Fact]
    public async Task Agent_vocabulary_the_task_definition_calls_for_is_not_flagged()
    {
        // Secrets (a customer managed key may encrypt them: kms:Decrypt) and an environment file in S3 (s3:GetObject,
        // s3:GetBucketLocation): https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
        var container = Container(extra: Merge(Secrets(("DB_PASSWORD", SecretArn)),
            new System.Text.Json.Nodes.JsonObject { ["environmentFiles"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"type":"s3","value":"arn:aws:s3:::web-config/prod.env"}]""") }));
        Assert.Empty(await FindingsOf(Build(container, Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["agent"] = AgentPolicy })), ApplicationPermissionsOnExecutionRoleRule.Rule));
    }

    [Fact]
    public async Task Agent_vocabulary_the_task_definition_does_not_call_for_is_flagged()
    {
        // No secret, no file in S3: reading objects and decrypting with a key are the application's business, if anyone's.
        var findings = await FindingsOf(Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["agent"] = AgentPolicy })), ApplicationPermissionsOnExecutionRoleRule.Rule);
        Assert.Equal(["kms:Decrypt", "s3:GetBucketLocation", "s3:GetObject"], findings.SelectMany(f => f.Actions).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_role_in_both_slots_is_left_to_ERA001()
    {
        var role = Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["app"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}]}""" });
        var scenario = Build(Container(), role, taskRole: role); // one role named in both slots
        var report = await RuleExampleTests.Audit(scenario, "both");
        Assert.Contains(report.Findings, f => f.Rule == SameRoleForTaskAndExecutionRule.Rule);
        Assert.DoesNotContain(report.Findings, f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule); // its credentials do reach the containers
    }

    [Fact]
    public async Task Extras_removed_by_an_unconditional_deny_are_not_flagged()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"},{"Effect":"Deny","Action":"sqs:*","Resource":"*"}]}""";
        Assert.Empty(await FindingsOf(Build(Container(), Role(ExecutionRoleArn, inline: new() { ["app"] = policy })), ApplicationPermissionsOnExecutionRoleRule.Rule));
    }

    [Fact]
    public async Task Conditional_extras_are_one_level_lower()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123"}}}]}""";
        var finding = Assert.Single(await FindingsOf(Build(Container(), Role(ExecutionRoleArn, inline: new() { ["app"] = policy })), ApplicationPermissionsOnExecutionRoleRule.Rule));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("StringEquals aws:SourceVpce=vpce-0123", finding.Conditional);
    }
}
