using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.TestData;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.Placement;

public class RoleMisplacementTests
{
    [Fact]
    public async Task Ecs_full_access_on_the_task_role_is_a_control_plane_finding()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, ["AmazonECS_FullAccess"]));
        var findings = await FindingsOf(scenario, ControlPlanePowersRule.Rule);
        Assert.NotEmpty(findings);
        Assert.All(findings, f =>
        {
            Assert.Equal(f.Conditional is null ? Severity.High : Severity.Medium, f.Severity);
            Assert.Equal(RoleSlot.Task, f.RoleSlot);
            Assert.Equal("arn:aws:iam::aws:policy/AmazonECS_FullAccess", f.Source.Arn);
        });
        var actions = findings.SelectMany(f => f.Actions).ToHashSet();
        Assert.Contains("ecs:UpdateService", actions);
        Assert.Contains("application-autoscaling:RegisterScalableTarget", actions);
        Assert.DoesNotContain("ecs:DescribeServices", actions);
        Assert.Equal(findings.Count, findings.Select(f => f.Statement).Distinct().Count());
        Assert.Contains(findings, f => f.Severity == Severity.High && f.Actions.Contains("ecs:UpdateService"));
    }

    [Fact]
    public async Task Service_linked_role_policy_on_the_execution_role_is_a_control_plane_finding_without_its_log_actions()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, ["AmazonECSServiceRolePolicy"]));
        var findings = await FindingsOf(scenario, ControlPlanePowersRule.Rule);
        var actions = findings.SelectMany(f => f.Actions).ToHashSet();
        Assert.Contains("ec2:CreateNetworkInterface", actions);
        Assert.Contains("elasticloadbalancing:RegisterTargets", actions);
        Assert.DoesNotContain("logs:PutLogEvents", actions);
        Assert.DoesNotContain("ec2:DescribeInstances", actions);
    }

    [Fact]
    public async Task Cloudwatch_agent_policy_on_the_task_role_holds_no_control_plane_power()
    {
        var scenario = Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, ["CloudWatchAgentServerPolicy"]));
        Assert.Empty(await FindingsOf(scenario, PlacementRuleDescriptors));
    }

    [Fact]
    public void Control_plane_list_matches_the_current_AmazonECSServiceRolePolicy()
    {
        using var document = JsonDocument.Parse(ManagedPolicyCorpus.Get("AmazonECSServiceRolePolicy").DocumentJson);
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in document.RootElement.GetProperty("Statement").EnumerateArray())
        {
            if (statement.GetProperty("Effect").GetString() != "Allow")
            {
                continue;
            }
            var action = statement.GetProperty("Action");
            allowed.UnionWith(action.ValueKind == JsonValueKind.Array ? action.EnumerateArray().Select(a => a.GetString()!) : [action.GetString()!]);
        }
        Assert.Equal(allowed.Order(StringComparer.Ordinal), ControlPlanePowersRule.ServiceRolePolicyActions.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_listed_control_plane_action_is_in_the_catalog()
    {
        var catalog = ActionCatalog.Default;
        Assert.All(ControlPlanePowersRule.ServiceRolePolicyActions.Concat(ControlPlanePowersRule.AdditionalControlPlaneActions),
            a => Assert.False(catalog.Expand(a).IsEmpty, a));
        var powers = ControlPlanePowersRule.ControlPlane(catalog);
        Assert.True(catalog.TryGetAction("ecs:CreateService", out var create) && powers.Contains(create.Id));
        Assert.True(catalog.TryGetAction("ecs:RunTask", out var run) && !powers.Contains(run.Id));
    }

    [Fact]
    public async Task Execution_role_policy_attached_to_the_task_role_is_one_low_finding()
    {
        var scenario = Build(Container(extra: Awslogs), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, ["AmazonECSTaskExecutionRolePolicy"]));
        var finding = Assert.Single(await FindingsOf(scenario, PlacementRuleDescriptors));
        Assert.Equal(ExecutionPermissionsOnTaskRoleRule.Rule, finding.Rule);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", finding.Source.Arn);
        Assert.Contains("Detach the AWS managed policy AmazonECSTaskExecutionRolePolicy", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ecr_pull_statement_on_the_task_role_is_flagged_per_statement()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"},{"Sid":"Auth","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},{"Sid":"Queue","Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}""";
        var scenario = Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, inline: new() { ["app"] = policy }));
        var findings = await FindingsOf(scenario, ExecutionPermissionsOnTaskRoleRule.Rule);
        Assert.Equal(["Auth", "Pull"], findings.Select(f => f.Statement).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Administrator_access_on_the_task_role_is_left_to_ERA040()
    {
        var scenario = Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, ["AdministratorAccess"]));
        Assert.Empty(await FindingsOf(scenario, ExecutionPermissionsOnTaskRoleRule.Rule));
        Assert.Empty(await FindingsOf(scenario, ControlPlanePowersRule.Rule));
        Assert.NotEmpty(await FindingsOf(scenario, AdministratorAccessRule.Rule));
    }

    [Fact]
    public async Task Administrator_access_on_the_execution_role_is_left_to_ERA040()
    {
        var scenario = Build(Container(extra: Secrets(("DB", SecretArn))), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy", "AdministratorAccess"]));
        Assert.Empty(await FindingsOf(scenario, ApplicationPermissionsOnExecutionRoleRule.Rule, SecretsBeyondReferencesRule.Rule, ControlPlanePowersRule.Rule));
        Assert.NotEmpty(await FindingsOf(scenario, AdministratorAccessRule.Rule));
    }

    [Fact]
    public async Task Administrator_access_cut_by_a_boundary_is_judged_statement_by_statement()
    {
        var boundary = new System.Text.Json.Nodes.JsonObject
        {
            ["arn"] = "arn:aws:iam::111122223333:policy/ecs-only",
            ["document"] = System.Text.Json.Nodes.JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}"""),
        };
        var scenario = Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, ["AdministratorAccess"], boundary: boundary));
        Assert.Empty(await FindingsOf(scenario, AdministratorAccessRule.Rule));
        Assert.NotEmpty(await FindingsOf(scenario, ControlPlanePowersRule.Rule));
    }

    [Fact]
    public async Task Shared_role_is_not_reported_for_execution_permissions_and_control_plane_once()
    {
        var shared = Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["ops"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*"}]}""" });
        var scenario = Build(Container(), shared, shared);
        Assert.Empty(await FindingsOf(scenario, ExecutionPermissionsOnTaskRoleRule.Rule));
        Assert.Single(await FindingsOf(scenario, ControlPlanePowersRule.Rule));
    }

    [Fact]
    public async Task An_AWS_managed_policy_is_to_be_replaced_not_edited_and_its_statement_is_not_quoted()
    {
        var scenario = Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, ["ReadOnlyAccess"]));
        var finding = Assert.Single(await FindingsOf(scenario, ExecutionPermissionsOnTaskRoleRule.Rule));
        Assert.Contains("ReadOnlyAccess is an AWS managed policy and cannot be edited", finding.Remediation, StringComparison.Ordinal);
        Assert.True(finding.Remediation.Length < 600, finding.Remediation);
    }

    [Fact]
    public async Task A_long_inline_statement_is_named_not_quoted()
    {
        var actions = string.Join(",", Enumerable.Range(0, 150).Select(i => $"\"s3:GetObject{i}\"").Append("\"ecr:BatchGetImage\""));
        var inline = new Dictionary<string, string> { ["big"] = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Everything","Effect":"Allow","Action":[{{actions}}],"Resource":"*"}]}""" };
        var scenario = Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]), Role(TaskRoleArn, inline: inline));
        var finding = Assert.Single(await FindingsOf(scenario, ExecutionPermissionsOnTaskRoleRule.Rule));
        Assert.Contains("statement Everything (151 action patterns, too long to quote)", finding.Remediation, StringComparison.Ordinal);
    }
}
