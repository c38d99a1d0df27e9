using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.InfrastructureCode.Tests.Terraform;

/// <summary>
/// Hand-written plans, as <c>terraform show -json</c> prints them (https://developer.hashicorp.com/terraform/internals/json-format),
/// audited by the pipeline the offline command runs. What the roles must allow is AWS's: the execution role pulls the
/// image, writes the awslogs stream and reads secrets and environment files before the container starts
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html); the task role is the
/// application's (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
/// </summary>
public sealed class TerraformPlanAuditTests
{
    private const string Account = "123456789012";

    [Fact]
    public async Task Swapped_roles_are_reported_on_both_roles()
    {
        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.Read("swapped-roles.json")));

        Assert.Equal($"arn:aws:iam::{Account}:role/billing-worker-task", report.TaskRoleArn);
        Assert.Equal($"arn:aws:iam::{Account}:role/billing-worker-execution", report.ExecutionRoleArn);
        var application = report.Findings.Where(f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule).ToList();
        Assert.Equal(2, application.Count);
        Assert.All(application, f => Assert.Equal((RoleSlot.Execution, "app-data"), (f.RoleSlot, f.Source.Name)));
        Assert.Contains(application, f => f.Actions.Contains("dynamodb:PutItem"));
        var pull = report.Findings.Where(f => f.Rule == ExecutionPermissionsOnTaskRoleRule.Rule).ToList();
        Assert.NotEmpty(pull);
        Assert.All(pull, f => Assert.Equal((RoleSlot.Task, "pull-and-log"), (f.RoleSlot, f.Source.Name)));
        // The execution role has none of the agent's permissions: the task cannot start.
        Assert.Contains(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule && f.Severity == Severity.High
            && f.Resources.Contains($"arn:aws:ecr:eu-west-1:{Account}:repository/billing-worker"));
        Assert.False(report.IsIncomplete);
    }

    // A jsonencode that uses one value of a resource the plan creates (a new repository's URL) makes the whole
    // container_definitions string unknown (https://developer.hashicorp.com/terraform/internals/json-format: after_unknown).
    private static JsonNode WithUnknownContainers()
    {
        var plan = PlanFixtures.Node("swapped-roles.json");
        var change = PlanFixtures.Change(plan, "aws_ecs_task_definition.billing");
        change["after"]!["container_definitions"] = null;
        change["after_unknown"]!["container_definitions"] = true;
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "aws_ecs_task_definition.billing")!;
        config["expressions"]!["container_definitions"] = new JsonObject { ["references"] = new JsonArray("aws_ecr_repository.billing.repository_url", "aws_ecr_repository.billing") };
        return plan;
    }

    [Fact]
    public async Task Containers_known_only_after_apply_leave_the_roles_audited_and_the_audit_incomplete()
    {
        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.ReadText(WithUnknownContainers().ToJsonString(), "plan.json")));

        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((RoleSlot.Execution, "containerDefinitions"), (incomplete.RoleSlot, incomplete.Source.Name));
        Assert.Contains("its containerDefinitions is known only after apply (it uses aws_ecr_repository.billing.repository_url)", incomplete.Message, StringComparison.Ordinal);
        Assert.True(report.IsIncomplete);
        // What does not depend on the containers stays: the application's writes on the execution role, the pulls on the task role.
        Assert.Contains(report.Findings, f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule && f.Actions.Contains("dynamodb:PutItem"));
        Assert.Contains(report.Findings, f => f.Rule == ExecutionPermissionsOnTaskRoleRule.Rule);
        // Needs nobody knows are neither missing nor exceeded.
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule || f.Rule == SecretsBeyondReferencesRule.Rule);
    }

    [Fact]
    public async Task Volumes_known_only_after_apply_leave_the_task_roles_needs_unaudited()
    {
        var plan = PlanFixtures.Node("swapped-roles.json");
        var change = PlanFixtures.Change(plan, "aws_ecs_task_definition.billing");
        change["after"]!["volume"] = null;
        change["after_unknown"]!["volume"] = true;

        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json")));

        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((RoleSlot.Task, "volumes"), (incomplete.RoleSlot, incomplete.Source.Name));
        // The containers are known: the execution role's missing pull is still reported.
        Assert.Contains(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule && f.Resources.Contains($"arn:aws:ecr:eu-west-1:{Account}:repository/billing-worker"));
    }

    [Fact]
    public async Task EFS_authorization_known_only_after_apply_is_unaudited_not_off()
    {
        // An EFS volume with IAM authorization needs elasticfilesystem:ClientMount on the task role
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html); unknown is not "disabled".
        var plan = PlanFixtures.Node("swapped-roles.json");
        var change = PlanFixtures.Change(plan, "aws_ecs_task_definition.billing");
        change["after"]!["volume"] = new JsonArray(new JsonObject { ["name"] = "data", ["efs_volume_configuration"] = null });
        change["after_unknown"]!["volume"] = new JsonArray(new JsonObject { ["efs_volume_configuration"] = true });

        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json")));

        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((RoleSlot.Task, "volumes[0].efsVolumeConfiguration"), (incomplete.RoleSlot, incomplete.Source.Name));
    }

    [Fact]
    public async Task A_secret_the_execution_role_cannot_read_is_a_task_that_fails_to_start()
    {
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html: the execution
        // role needs secretsmanager:GetSecretValue on the secret. The policy document grants ECR and logs only.
        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.Read("unreadable-secret.json")));

        var secret = Assert.Single(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
        Assert.Equal(Severity.High, secret.Severity);
        Assert.Equal(RoleSlot.Execution, secret.RoleSlot);
        Assert.Equal($"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/orders/db-AbCdEf", Assert.Single(secret.Resources));
        // The attachment's policy ARN is known only after apply; it is the declared policy's, so the role is complete.
        Assert.False(report.IsIncomplete);
    }

    [Fact]
    public async Task A_need_on_a_resource_known_only_after_apply_is_not_reported_as_granted()
    {
        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.Read("unknown-arns.json")));

        // s3:GetObject is allowed only on ${aws_s3_bucket.config.arn}: the environment file may or may not be in it.
        var envFile = Assert.Single(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule
            && f.Resources.SequenceEqual(["arn:aws:s3:::reports-config/reports.env"]));
        Assert.Equal(Severity.Medium, envFile.Severity);
        Assert.Equal(RoleSlot.Execution, envFile.RoleSlot);
    }

    [Fact]
    public async Task A_deny_on_a_resource_known_only_after_apply_is_not_reported_as_denying()
    {
        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.Read("unknown-arns.json")));

        // ecr:BatchGetImage is allowed on the repository and denied on ${aws_ecr_repository.mirror.arn}: "unless the Deny
        // applies", one level lower, never "not allowed".
        var image = Assert.Single(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule
            && f.Resources.Contains($"arn:aws:ecr:eu-west-1:{Account}:repository/reports"));
        Assert.Equal(Severity.Medium, image.Severity);
        Assert.Contains("unless the Deny", image.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_revision_is_placed_in_the_plans_account_and_region()
    {
        var declared = PlanFixtures.Read("unknown-arns.json");

        var report = Assert.Single(await PlanFixtures.Audit(declared));

        Assert.StartsWith($"arn:aws:ecs:eu-west-1:{Account}:task-definition/reports:", report.TaskDefinitionArn, StringComparison.Ordinal);
        // The awslogs group is the task definition's account's, which the execution role's logs statement names.
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule && f.Resources.Any(r => r.Contains(":log-group:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_policy_known_only_after_apply_makes_the_role_audit_incomplete()
    {
        // policy = jsonencode({... aws_kms_key.data.arn ...}) instead of the data source: Terraform cannot render any of it.
        var plan = PlanFixtures.Node("unknown-arns.json");
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "aws_iam_role_policy.task")!;
        config["expressions"]!["policy"] = new System.Text.Json.Nodes.JsonObject { ["references"] = new System.Text.Json.Nodes.JsonArray("aws_kms_key.data.arn", "aws_kms_key.data") };

        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.ReadText(plan.ToJsonString(), "unknown-arns.json")));

        Assert.True(report.IsIncomplete);
        Assert.Contains(report.Findings, f => f.Rule.MarksAuditIncomplete && f.RoleSlot == RoleSlot.Task);
    }

    [Fact]
    public async Task A_role_arn_from_outside_the_plan_makes_the_audit_incomplete_not_a_missing_role()
    {
        var plan = PlanFixtures.Node("unknown-arns.json");
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "aws_ecs_task_definition.reports")!;
        config["expressions"]!["execution_role_arn"] = new System.Text.Json.Nodes.JsonObject { ["references"] = new System.Text.Json.Nodes.JsonArray("module.iam.execution_role_arn", "module.iam") };

        var report = Assert.Single(await PlanFixtures.Audit(PlanFixtures.ReadText(plan.ToJsonString(), "unknown-arns.json")));

        Assert.True(report.IsIncomplete);
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingRoleRule.Rule);
    }

    [Fact]
    public async Task Each_instance_of_a_counted_module_resource_is_audited_with_its_own_role()
    {
        var reports = await PlanFixtures.Audit(PlanFixtures.Read("module-count.json"));

        Assert.Equal(["catalog", "checkout"], reports.Select(r => r.Family).Order(StringComparer.Ordinal));
        Assert.Equal($"arn:aws:iam::{Account}:role/checkout-task", reports.Single(r => r.Family == "checkout").TaskRoleArn);
        Assert.Equal($"arn:aws:iam::{Account}:role/catalog-task", reports.Single(r => r.Family == "catalog").TaskRoleArn);
        Assert.All(reports, r => Assert.False(r.IsIncomplete));
    }
}
