using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Fixes;

/// <summary>
/// The task role written from the current one: what the ERA030 and ERA031 findings name leaves it, the rest stays, and
/// the task definition audited again with both written roles has no ERA030, ERA031 or ERA021 and nothing above INFO on
/// the execution role. Backed by the Amazon ECS Developer Guide: "Amazon ECS task IAM role" (the task role is the
/// application's), "Amazon ECS task execution IAM role" (pulling ECR images and writing awslogs is the agent's, through
/// the execution role) and "Using service-linked roles for Amazon ECS" (network interfaces, load balancer targets and
/// service changes are ECS's own, through AWSServiceRoleForECS).
/// </summary>
public sealed class TaskRoleFixTests
{
    private const string Account = "111122223333";
    private const string TaskRole = $"arn:aws:iam::{Account}:role/web-task";

    [Fact]
    public async Task The_swapped_billing_worker_loses_its_ECR_pull_statement_and_keeps_its_logs()
    {
        using var account = DemoAccount();
        var definition = DemoTaskDefinition("billing-worker");

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), definition, account);

        var task = Assert.IsType<TaskRoleFix>(fixes.Task);
        Assert.Equal($"arn:aws:iam::{Account}:role/billing-worker-task", task.RoleArn);
        var policy = Assert.Single(task.Policies);
        Assert.Equal(PolicyFixKind.Rewrite, policy.Kind);
        Assert.Equal("ecr-and-logs", policy.Policy.Name);
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Sid":"WriteLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/billing-worker:*"}]}""",
            policy.PolicyJson);
        var moved = Assert.Single(task.Moved);
        Assert.Equal(("PullImages", TaskRoleFix.MovedToExecutionRole, true), (moved.Statement, moved.Destination, moved.WholeStatement));
        Assert.Equal(["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer"], moved.Actions.ToList());
        // The execution role keeps its ARN and says what the one written inline policy replaces.
        Assert.False(fixes.Execution.NewRole);
        Assert.Equal(["app-data", "AmazonECSTaskExecutionRolePolicy"], fixes.Replaced.Select(s => s.Name));
        Assert.Contains(fixes.Execution.Notes, n => n.Contains("come from managed policies (AmazonECSTaskExecutionRolePolicy)", StringComparison.Ordinal));
        Assert.Contains(fixes.Execution.Notes, n => n.Contains("statement Invoices, the application's s3:GetObject, s3:PutObject (ERA020)", StringComparison.Ordinal));
        await AssertRoundTripAsync(definition, fixes, account);
    }

    [Fact]
    public async Task A_role_shared_by_both_slots_keeps_its_logs_and_loses_only_the_ECR_actions_of_the_mixed_statement()
    {
        using var account = DemoAccount();
        var definition = DemoTaskDefinition("legacy-reports");

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), definition, account);

        // ERA001: the execution role is a new one; the shared role stays the task role and is split.
        Assert.True(fixes.Execution.NewRole);
        var task = Assert.IsType<TaskRoleFix>(fixes.Task);
        var rewritten = JsonDocument.Parse(Assert.Single(task.Policies).PolicyJson!).RootElement.GetProperty("Statement").EnumerateArray().ToList();
        Assert.Equal(["RunReports", "ReportBucket", "PullAndLog"], rewritten.Select(s => s.GetProperty("Sid").GetString()));
        Assert.Equal("""["logs:CreateLogStream","logs:PutLogEvents"]""", rewritten[2].GetProperty("Action").GetRawText());
        var moved = Assert.Single(task.Moved);
        Assert.False(moved.WholeStatement);
        Assert.Equal(4, moved.Actions.Length);
        var verification = await AssertRoundTripAsync(definition, fixes, account);
        // The task role's own breadth is the application's to decide: listed, not failed.
        Assert.Contains(verification.Remaining, f => f.Rule == PrivilegeEscalationRule.Rule);
    }

    [Fact]
    public async Task An_AWS_managed_policy_is_detached_with_the_reason_and_the_inline_policy_left_alone()
    {
        var scenario = Scenario.Parse($$"""
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:{{Account}}:task-definition/web:1","family":"web","revision":1,
              "taskRoleArn":"{{TaskRole}}","executionRoleArn":"arn:aws:iam::{{Account}}:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"{{Account}}.dkr.ecr.eu-west-1.amazonaws.com/web:1"}]},
             "roles":[{"arn":"{{TaskRole}}",
               "inline":{"app":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:{{Account}}:jobs"}]} },
               "managed":{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy":
                 {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]} } },
              {"arn":"arn:aws:iam::{{Account}}:role/web-execution"}]}
            """, "managed.json");

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        var task = Assert.IsType<TaskRoleFix>(fixes.Task);
        // IAM User Guide, "Managed policies and inline policies": AWS managed policies cannot be edited, only detached.
        var detach = Assert.Single(task.Policies);
        Assert.Equal((PolicyFixKind.Detach, "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"), (detach.Kind, detach.Policy.Arn));
        Assert.StartsWith("AmazonECSTaskExecutionRolePolicy is an AWS managed policy, which cannot be edited: AmazonECSTaskExecutionRolePolicy is attached to task role web-task", detach.Reason, StringComparison.Ordinal);
        Assert.Null(detach.PolicyJson);
        Assert.Equal(["app"], task.Apply(FoundRole(await scenario.FindAsync(TaskRole, default))).Policies.Select(p => p.Source.Name));
        await AssertRoundTripAsync(scenario.TaskDefinition, fixes, scenario);
    }

    [Fact]
    public async Task Control_plane_actions_are_removed_from_a_customer_managed_policy_and_the_rest_of_the_statement_kept()
    {
        var scenario = TaskRoleScenario("""
            "managed":{"arn:aws:iam::111122223333:policy/web-ops":{"Version":"2012-10-17","Statement":[
              {"Sid":"Ops","Effect":"Allow","Action":["elasticloadbalancing:RegisterTargets","ecs:UpdateService","sqs:SendMessage"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"} } }]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        var policy = Assert.Single(fixes.Task!.Policies);
        Assert.Equal(PolicyFixKind.Rewrite, policy.Kind);
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Sid":"Ops","Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}""",
            policy.PolicyJson);
        Assert.Contains("new default version of web-ops", policy.Reason, StringComparison.Ordinal);
        var moved = Assert.Single(fixes.Task.Moved);
        Assert.Equal((TaskRoleFix.RemovedControlPlane, false), (moved.Destination, moved.WholeStatement));
        Assert.Equal(["ecs:UpdateService", "elasticloadbalancing:RegisterTargets"], moved.Actions.ToList());
        await AssertRoundTripAsync(scenario.TaskDefinition, fixes, scenario);
    }

    [Fact]
    public async Task A_small_wildcard_is_narrowed_to_the_catalog_actions_it_matches_and_said_so()
    {
        var scenario = TaskRoleScenario("""
            "inline":{"images":{"Version":"2012-10-17","Statement":[{"Sid":"Images","Effect":"Allow","Action":["ecr:BatchGet*","ecr:DescribeImages"],"Resource":"arn:aws:ecr:eu-west-1:111122223333:repository/web"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        var statement = JsonDocument.Parse(Assert.Single(fixes.Task!.Policies).PolicyJson!).RootElement.GetProperty("Statement")[0];
        var actions = statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.DoesNotContain("ecr:BatchGet*", actions);
        Assert.DoesNotContain("ecr:BatchGetImage", actions);
        Assert.Contains("ecr:DescribeImages", actions);
        Assert.Contains(actions, a => a!.StartsWith("ecr:BatchGet", StringComparison.Ordinal));
        Assert.Contains(fixes.Task.Notes, n => n.Contains("ecr:BatchGet* is replaced by the", StringComparison.Ordinal) && n.Contains("no longer granted", StringComparison.Ordinal));
        await AssertRoundTripAsync(scenario.TaskDefinition, fixes, scenario);
    }

    [Fact]
    public async Task A_service_wildcard_that_cannot_be_narrowed_exactly_is_kept_said_so_and_does_not_verify()
    {
        var scenario = TaskRoleScenario("""
            "inline":{"images":{"Version":"2012-10-17","Statement":[{"Sid":"AllEcr","Effect":"Allow","Action":"ecr:*","Resource":"*"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.Contains(fixes.Task!.Notes, n => n.Contains("ecr:* cannot be narrowed exactly", StringComparison.Ordinal));
        var verification = await FixVerification.VerifyAsync(Auditor.WithAllRules(), scenario.TaskDefinition, fixes, scenario);
        Assert.False(verification.Holds);
        Assert.Contains(verification.Failures, f => f.Rule == ExecutionPermissionsOnTaskRoleRule.Rule);
    }

    [Fact]
    public async Task A_NotAction_statement_gets_the_removed_actions_added_to_its_list()
    {
        var scenario = TaskRoleScenario("""
            "inline":{"targets":{"Version":"2012-10-17","Statement":[{"Sid":"AllButS3","Effect":"Allow","NotAction":"s3:*","Resource":"arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/*"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        var statement = JsonDocument.Parse(Assert.Single(fixes.Task!.Policies).PolicyJson!).RootElement.GetProperty("Statement")[0];
        var excluded = statement.GetProperty("NotAction").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal("s3:*", excluded[0]);
        Assert.Contains("elasticloadbalancing:RegisterTargets", excluded);
        Assert.False(statement.TryGetProperty("Action", out _));
        Assert.Contains(fixes.Task.Notes, n => n.Contains("the removed actions are added to that list", StringComparison.Ordinal));
        await AssertRoundTripAsync(scenario.TaskDefinition, fixes, scenario);
    }

    [Fact]
    public async Task A_suppressed_finding_is_left_as_it_is_and_said_so()
    {
        var scenario = TaskRoleScenario("""
            "tags":{"ecs-role-auditor:suppress":"ERA030:the sidecar pulls images"},
            "inline":{"images":{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}]} }
            """);

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.Empty(fixes.Task!.Policies);
        Assert.Contains(fixes.Task.Notes, n => n.Contains("is suppressed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_roles_there_is_no_task_role_fix()
    {
        var definition = DemoTaskDefinition("billing-worker");

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), definition, roles: null);

        Assert.Null(fixes.Task);
        Assert.Empty(fixes.Replaced);
        Assert.Equal(ExecutionRoleFix.For(definition), fixes.Execution);
    }

    [Fact]
    public async Task An_unreadable_task_role_is_said_and_not_fixed()
    {
        var scenario = Scenario.Parse($$"""
            {"taskDefinition":{"family":"web","taskRoleArn":"{{TaskRole}}","executionRoleArn":"arn:aws:iam::{{Account}}:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1"}]},
             "roles":[{"arn":"{{TaskRole}}","unreadable":"AccessDenied"},{"arn":"arn:aws:iam::{{Account}}:role/web-execution"}]}
            """, "unreadable.json");

        var fixes = await RoleFixes.ForAsync(Auditor.WithAllRules(), scenario.TaskDefinition, scenario);

        Assert.Null(fixes.Task);
        Assert.Equal([$"the task role {TaskRole} could not be read (AccessDenied)"], fixes.Unread.ToList());
    }

    // The round trip: the task definition audited again with the written execution role and the task role as fixed.
    private static async Task<FixVerification> AssertRoundTripAsync(TaskDefinition definition, RoleFixes fixes, IRoleDirectory account)
    {
        var verification = await FixVerification.VerifyAsync(Auditor.WithAllRules(), definition, fixes, account);
        Assert.True(verification.Holds, string.Join("; ", verification.Failures.Select(f => $"{f.RuleId} {f.Message}")));
        Assert.DoesNotContain(verification.Failures.Concat(verification.Remaining), f =>
            f.Rule == ExecutionPermissionsOnTaskRoleRule.Rule || f.Rule == ControlPlanePowersRule.Rule || f.Rule == MissingNeededPermissionRule.Rule);
        return verification;
    }

    private static Scenario TaskRoleScenario(string roleFields) => Scenario.Parse($$"""
        {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:{{Account}}:task-definition/web:1","family":"web","revision":1,
          "taskRoleArn":"{{TaskRole}}","executionRoleArn":"arn:aws:iam::{{Account}}:role/web-execution",
          "containerDefinitions":[{"name":"web","image":"{{Account}}.dkr.ecr.eu-west-1.amazonaws.com/web:1"}]},
         "roles":[{"arn":"{{TaskRole}}",{{roleFields}} },{"arn":"arn:aws:iam::{{Account}}:role/web-execution"}]}
        """, "scenario.json");

    private static Role FoundRole(RoleLookup lookup) => Assert.IsType<RoleLookup.Found>(lookup).Role;

    private static RecordedAccount DemoAccount()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(DemoFile("account.json")));
        return RecordedAccount.Read(document.RootElement, "demo/account.json");
    }

    private static TaskDefinition DemoTaskDefinition(string family)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(DemoFile("task-definitions.json")));
        return TaskDefinitionReader.Read(document.RootElement, "demo/task-definitions.json").Single(d => d.Family == family);
    }

    private static string DemoFile(string name) => Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", name);
}
