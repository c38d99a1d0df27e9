using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.Placement;

public class MissingNeededPermissionTests
{
    private static readonly string[] ExecutionPolicy = ["AmazonECSTaskExecutionRolePolicy"];

    [Fact]
    public async Task Execution_role_policy_for_private_image_and_awslogs_raises_no_placement_finding()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, ExecutionPolicy));
        Assert.Empty(await FindingsOf(scenario, PlacementRuleDescriptors));
    }

    [Fact]
    public async Task Execution_role_policy_without_secret_access_fails_to_start_naming_the_secret()
    {
        var scenario = Build(Container(extra: Merge(Awslogs, Secrets(("DB_PASSWORD", SecretArn)))), Role(ExecutionRoleArn, ExecutionPolicy));
        var finding = Assert.Single(await FindingsOf(scenario, PlacementRuleDescriptors));
        Assert.Equal(MissingNeededPermissionRule.Rule, finding.Rule);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(RoleSlot.Execution, finding.RoleSlot);
        Assert.Equal<string>(["secretsmanager:GetSecretValue"], finding.Actions);
        Assert.Equal<string>([SecretArn], finding.Resources);
        Assert.Contains("DB_PASSWORD", finding.Message, StringComparison.Ordinal);
        Assert.Contains("container web", finding.Message, StringComparison.Ordinal);
        Assert.Contains("will fail to start", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"{{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"{SecretArn}\"}}", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal("containerDefinitions[0].secrets[0]", finding.Source.Name);
    }

    [Fact]
    public async Task Missing_image_pull_permissions_are_one_finding_for_the_image_with_statements_per_resource()
    {
        var logsOnly = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}""";
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, inline: new() { ["logs"] = logsOnly }));
        var finding = Assert.Single(await FindingsOf(scenario, MissingNeededPermissionRule.Rule));
        Assert.Equal<string>(["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], finding.Actions);
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains($"\"Resource\":\"{RepositoryArn}\"", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal("containerDefinitions[0].image", finding.Source.Name);
    }

    [Fact]
    public async Task Explicit_deny_on_the_secret_is_reported_as_denied_with_the_statement()
    {
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{SecretArn}}"},{"Sid":"NoProd","Effect":"Deny","Action":"secretsmanager:*","Resource":"arn:aws:secretsmanager:*:*:secret:prod/*"}]}""";
        var scenario = Build(Container(image: "nginx:1.27", extra: Secrets(("DB_PASSWORD", SecretArn))), Role(ExecutionRoleArn, inline: new() { ["secrets"] = policy }));
        var finding = Assert.Single(await FindingsOf(scenario, MissingNeededPermissionRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("explicitly denied", finding.Message, StringComparison.Ordinal);
        Assert.Contains("NoProd", finding.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boundary_without_secrets_blocks_the_allow()
    {
        var allow = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{SecretArn}}"}]}""";
        var boundary = new System.Text.Json.Nodes.JsonObject
        {
            ["arn"] = $"arn:aws:iam::{Account}:policy/boundary",
            ["document"] = System.Text.Json.Nodes.JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:*","logs:*"],"Resource":"*"}]}"""),
        };
        var scenario = Build(Container(image: "nginx:1.27", extra: Secrets(("DB_PASSWORD", SecretArn))), Role(ExecutionRoleArn, inline: new() { ["secrets"] = allow }, boundary: boundary));
        var finding = Assert.Single(await FindingsOf(scenario, MissingNeededPermissionRule.Rule));
        Assert.Contains("allowed by its policies but not by its permission boundary", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_under_an_unknown_condition_is_conditional_and_one_level_lower()
    {
        var policy = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{{{SecretArn}}}}","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123"}}}]}""";
        var scenario = Build(Container(image: "nginx:1.27", extra: Secrets(("DB_PASSWORD", SecretArn))), Role(ExecutionRoleArn, inline: new() { ["secrets"] = policy }));
        var finding = Assert.Single(await FindingsOf(scenario, MissingNeededPermissionRule.Rule));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("StringEquals aws:SourceVpce=vpce-0123", finding.Conditional);
        Assert.Contains("may fail to start", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_under_a_condition_on_the_principal_is_decided_not_conditional()
    {
        var policy = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{{{SecretArn}}}}","Condition":{"StringEquals":{"aws:PrincipalTag/team":"web"}}}]}""";
        var tagged = Role(ExecutionRoleArn, inline: new() { ["secrets"] = policy });
        tagged["tags"] = new System.Text.Json.Nodes.JsonObject { ["team"] = "web" };
        var container = Container(image: "nginx:1.27", extra: Secrets(("DB_PASSWORD", SecretArn)));
        Assert.Empty(await FindingsOf(Build(container, tagged), MissingNeededPermissionRule.Rule));

        var untagged = Role(ExecutionRoleArn, inline: new() { ["secrets"] = policy });
        var finding = Assert.Single(await FindingsOf(Build(container, untagged), MissingNeededPermissionRule.Rule));
        Assert.Null(finding.Conditional);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Fact]
    public async Task Partial_secret_arn_is_met_by_the_usual_suffix_wildcard()
    {
        var partial = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/db";
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{partial}}-??????"}]}""";
        var scenario = Build(Container(image: "nginx:1.27", extra: Secrets(("DB_PASSWORD", partial))), Role(ExecutionRoleArn, inline: new() { ["secrets"] = policy }));
        Assert.Empty(await FindingsOf(scenario, MissingNeededPermissionRule.Rule));
    }

    [Fact]
    public async Task Efs_volume_with_iam_authorization_needs_client_mount_on_the_task_role()
    {
        var volumes = new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonNode.Parse(
            """{"name":"data","efsVolumeConfiguration":{"fileSystemId":"fs-0123456789abcdef0","transitEncryption":"ENABLED","authorizationConfig":{"iam":"ENABLED"}}}"""));
        var app = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}""";
        var scenario = Build(Container(image: "nginx:1.27"), executionRole: null, taskRole: Role(TaskRoleArn, inline: new() { ["app"] = app }), volumes: volumes);
        var finding = Assert.Single(await FindingsOf(scenario, MissingNeededPermissionRule.Rule));
        Assert.Equal(RoleSlot.Task, finding.RoleSlot);
        Assert.Equal<string>(["elasticfilesystem:ClientMount"], finding.Actions);
        Assert.StartsWith("Task role web-task", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Efs_volume_with_iam_authorization_and_no_task_role_is_reported()
    {
        var volumes = new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonNode.Parse(
            """{"name":"data","efsVolumeConfiguration":{"fileSystemId":"fs-0123456789abcdef0","transitEncryption":"ENABLED","authorizationConfig":{"iam":"ENABLED"}}}"""));
        var scenario = Build(Container(image: "nginx:1.27"), executionRole: null, taskRole: null, volumes: volumes);
        var finding = Assert.Single(await FindingsOf(scenario, MissingNeededPermissionRule.Rule));
        Assert.Null(finding.RoleArn);
        Assert.Equal(RoleSlot.Task, finding.RoleSlot);
        Assert.Equal<string>(["elasticfilesystem:ClientMount"], finding.Actions);
        Assert.Contains("names no task role", finding.Message, StringComparison.Ordinal);
        Assert.Contains("file-system/fs-0123456789abcdef0", finding.Remediation, StringComparison.Ordinal);
    }
}
