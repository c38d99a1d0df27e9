using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Audit.Tests.Rules.Placement;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>
/// All rules together on real AWS managed policies: each well-known setup yields exactly the findings a platform team
/// should see, no more (one problem reported by three rules is noise that teaches people to ignore the tool) and no less.
/// </summary>
public sealed class CrossRulePrecisionTests
{
    private const string AppPolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],
          "Resource":"arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}]}
        """;

    private static readonly JsonObject TaskRole = Role(TaskRoleArn, inline: new() { ["app"] = AppPolicy });

    private static async Task<RuleDescriptor[]> RulesFound(string scenario)
    {
        var report = await RuleExampleTests.Audit(scenario, "precision scenario");
        return [.. report.Findings.Select(f => f.Rule).Distinct().OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task The_recommended_setup_is_clean()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, managed: ["AmazonECSTaskExecutionRolePolicy"]), TaskRole);

        Assert.Empty(await RulesFound(scenario));
    }

    [Fact]
    public async Task A_secret_the_execution_role_cannot_read_is_only_a_missing_permission()
    {
        var scenario = Build(Container(extra: Merge(Awslogs, Secrets(("DB_PASSWORD", SecretArn)))),
            Role(ExecutionRoleArn, managed: ["AmazonECSTaskExecutionRolePolicy"]), TaskRole);

        Assert.Equal([MissingNeededPermissionRule.Rule], await RulesFound(scenario));
        var finding = Assert.Single((await RuleExampleTests.Audit(scenario, "secret")).Findings);
        Assert.Contains(SecretArn, finding.Message, StringComparison.Ordinal);
        Assert.Contains("secretsmanager:GetSecretValue", finding.Actions);
        Assert.Contains(SecretArn, finding.Remediation, StringComparison.Ordinal); // the statement to add, scoped to the secret
    }

    [Fact]
    public async Task S3_full_access_on_the_execution_role_is_misplaced_and_service_wide()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, managed: ["AmazonECSTaskExecutionRolePolicy", "AmazonS3FullAccess"]), TaskRole);

        var rules = await RulesFound(scenario);

        Assert.Contains(ApplicationPermissionsOnExecutionRoleRule.Rule, rules);
        Assert.Contains(ServiceWideWildcardRule.Rule, rules);
        Assert.Empty(rules.Intersect([MissingNeededPermissionRule.Rule, ExecutionPermissionsOnTaskRoleRule.Rule, ControlPlanePowersRule.Rule, AdministratorAccessRule.Rule]));
    }

    [Fact]
    public async Task ECS_full_access_on_the_task_role_is_control_plane_power_and_escalation()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, managed: ["AmazonECSTaskExecutionRolePolicy"]),
            Role(TaskRoleArn, managed: ["AmazonECS_FullAccess"]));

        var rules = await RulesFound(scenario);

        Assert.Contains(ControlPlanePowersRule.Rule, rules);
        Assert.Contains(PrivilegeEscalationRule.Rule, rules);
        Assert.Empty(rules.Intersect([ApplicationPermissionsOnExecutionRoleRule.Rule, MissingNeededPermissionRule.Rule, AdministratorAccessRule.Rule]));
    }

    [Fact]
    public async Task Administrator_access_is_one_critical_finding_not_a_pile()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, managed: ["AmazonECSTaskExecutionRolePolicy"]),
            Role(TaskRoleArn, managed: ["AdministratorAccess"]));

        Assert.Equal([AdministratorAccessRule.Rule], await RulesFound(scenario));
    }
}
