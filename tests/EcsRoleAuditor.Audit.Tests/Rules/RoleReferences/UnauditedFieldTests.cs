using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData.Scenarios;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.RoleReferences;

/// <summary>
/// A task definition whose containers the input leaves unknown (a Terraform plan's container_definitions that use a value
/// known only after apply): its roles are still audited, but nothing is said from needs nobody knows — neither "missing"
/// (ERA021) nor "beyond what it references" (ERA022), nor "the agent does not use this" for what an execution role is used
/// for (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": images, awslogs, secrets, parameters,
/// environment files and FireLens configuration in S3, with kms:Decrypt for customer managed keys). ERA005 says the audit
/// is incomplete.
/// </summary>
public class UnauditedFieldTests
{
    private const string Reason = "known only after apply (it uses aws_ecr_repository.web.repository_url)";

    // What the agent may use for some task definition (an environment file, log group creation, a secret and its key), and
    // what it never uses (a DynamoDB write).
    private static readonly string ExecutionPolicy = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Agent","Effect":"Allow","Action":["s3:GetObject","logs:CreateLogGroup","kms:Decrypt"],"Resource":["arn:aws:s3:::web-config/*","arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web:*","arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]},
          {"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"},
          {"Sid":"Orders","Effect":"Allow","Action":"dynamodb:PutItem","Resource":"arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}]}
        """;

    private static async Task<TaskDefinitionReport> Audit(params UnauditedField[] unaudited)
    {
        var scenario = Scenario.Parse(Build(Container(image: "nginx:1.27"), Role(ExecutionRoleArn, inline: new() { ["agent"] = ExecutionPolicy })), "unaudited containers");
        var definition = scenario.TaskDefinition with { UnauditedFields = [.. unaudited] };
        return await Auditor.WithAllRules().AuditAsync(definition, scenario);
    }

    [Fact]
    public async Task Known_containers_are_judged_by_what_they_need()
    {
        // The control: an nginx container needs none of the agent's S3, log group, secret or key permissions.
        var report = await Audit();

        var application = report.Findings.Where(f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule).SelectMany(f => f.Actions).ToList();
        Assert.Contains("s3:GetObject", application);
        Assert.Contains("dynamodb:PutItem", application);
        Assert.Contains(report.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule);
        Assert.False(report.IsIncomplete);
        Assert.True(report.ExecutionNeedsKnown);
    }

    [Fact]
    public async Task Unknown_containers_make_the_audit_incomplete_and_keep_the_verdicts_that_do_not_depend_on_them()
    {
        var report = await Audit(new UnauditedField("containerDefinitions", RoleSlot.Execution, Reason));

        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((RoleSlot.Execution, SourceKind.TaskDefinition, "containerDefinitions"), (incomplete.RoleSlot, incomplete.Source.Kind, incomplete.Source.Name));
        Assert.Equal($"The audit of web is incomplete: its containerDefinitions is {Reason}, so what it needs of the execution role is not audited.", incomplete.Message);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, incomplete.Remediation);
        Assert.True(report.IsIncomplete);
        Assert.False(report.ExecutionNeedsKnown);
        // A DynamoDB write is no agent's job whatever the containers are; the rest may be.
        var application = Assert.Single(report.Findings, f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule);
        Assert.Equal<string>(["dynamodb:PutItem"], application.Actions);
        Assert.DoesNotContain(report.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule || f.Rule == MissingNeededPermissionRule.Rule);
        Assert.Equal(["ERA005", "ERA020"], report.Findings.Select(f => f.RuleId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unknown_volumes_leave_the_execution_role_judged_by_its_containers()
    {
        var report = await Audit(new UnauditedField("volumes", RoleSlot.Task, "known only after apply (it uses aws_efs_file_system.data.id)"));

        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal(RoleSlot.Task, incomplete.RoleSlot);
        Assert.EndsWith("so what it needs of the task role is not audited.", incomplete.Message, StringComparison.Ordinal);
        Assert.True(report.ExecutionNeedsKnown);
        Assert.Contains(report.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule);
        Assert.Contains("s3:GetObject", report.Findings.Where(f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule).SelectMany(f => f.Actions));
    }

    [Fact]
    public void Every_action_a_need_of_the_execution_role_has_is_one_an_unknown_container_may_need()
    {
        // Each kind of need: a pull-through cache image, secrets from both stores, registry credentials, an environment
        // file, a FireLens configuration in S3 (on EC2) and awslogs creating its group.
        var definition = Scenario.Parse(WithDefinitionFields(Build(
            Container(image: $"{Account}.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/nginx/nginx:1.27", extra: Merge(
                Secrets(("DB", SecretArn), ("KEY", ParameterArn)),
                new JsonObject
                {
                    ["repositoryCredentials"] = new JsonObject { ["credentialsParameter"] = SecretArn },
                    ["environmentFiles"] = new JsonArray(new JsonObject { ["type"] = "s3", ["value"] = "arn:aws:s3:::web-config/prod.env" }),
                    ["firelensConfiguration"] = new JsonObject
                    {
                        ["type"] = "fluentbit",
                        ["options"] = new JsonObject { ["config-file-type"] = "s3", ["config-file-value"] = "arn:aws:s3:::web-config/fluent.conf" },
                    },
                    ["logConfiguration"] = new JsonObject
                    {
                        ["logDriver"] = "awslogs",
                        ["options"] = new JsonObject { ["awslogs-group"] = "/ecs/web", ["awslogs-region"] = "eu-west-1", ["awslogs-create-group"] = "true" },
                    },
                })),
            Role(ExecutionRoleArn)), new JsonObject { ["requiresCompatibilities"] = new JsonArray("EC2") }), "every need").TaskDefinition;

        var actions = TaskDefinitionNeeds.Derive(definition).Where(n => n.Slot == RoleSlot.Execution).Select(n => n.Action).Distinct().ToList();

        Assert.Equal(TaskDefinitionNeeds.ExecutionActions.Order(StringComparer.Ordinal), actions.Order(StringComparer.Ordinal));
    }
}
