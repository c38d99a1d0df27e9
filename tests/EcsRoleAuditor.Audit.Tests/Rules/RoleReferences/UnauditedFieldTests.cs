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
/// (ERA021) nor "beyond what it references" (ERA022) for secrets some containers might reference, nor "the agent does not
/// use this" for what an execution role is used for (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role":
/// images, awslogs, secrets, parameters, environment files and FireLens configuration in S3, with kms:Decrypt for customer
/// managed keys). ERA005 says the audit is incomplete. A read of every secret or parameter of an account is beyond any
/// containers, known or not: ECS reads the secrets a container names (Developer Guide, "Pass Secrets Manager secrets
/// through Amazon ECS environment variables": the execution role needs secretsmanager:GetSecretValue on them), and no
/// containers name every secret, nor those created later.
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

    private static readonly UnauditedField UnknownContainers = new("containerDefinitions", RoleSlot.Execution, Reason);

    private static Task<TaskDefinitionReport> Audit(params UnauditedField[] unaudited) => Audit(ExecutionPolicy, unaudited);

    private static async Task<TaskDefinitionReport> Audit(string executionPolicy, params UnauditedField[] unaudited)
    {
        var scenario = Scenario.Parse(Build(Container(image: "nginx:1.27"), Role(ExecutionRoleArn, inline: new() { ["agent"] = executionPolicy })), "unaudited containers");
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
        var report = await Audit(UnknownContainers);

        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((RoleSlot.Execution, SourceKind.TaskDefinition, "containerDefinitions"), (incomplete.RoleSlot, incomplete.Source.Kind, incomplete.Source.Name));
        Assert.Equal($"The audit of web is incomplete: its containerDefinitions is {Reason}, so what it needs of the execution role is not audited.", incomplete.Message);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, incomplete.Remediation);
        Assert.True(report.IsIncomplete);
        Assert.False(report.ExecutionNeedsKnown);
        // A DynamoDB write is no agent's job whatever the containers are; the rest may be.
        var application = Assert.Single(report.Findings, f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule);
        Assert.Equal<string>(["dynamodb:PutItem"], application.Actions);
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
        // secret:* reaches every secret of the account: beyond whichever ones the containers reference.
        var secrets = Assert.Single(report.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule);
        Assert.Equal("Secrets", secrets.Statement);
        Assert.Equal(["ERA005", "ERA020", "ERA022"], report.Findings.Select(f => f.RuleId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unknown_containers_still_leave_every_secret_of_the_account_beyond_them()
    {
        var report = await Audit(UnknownContainers);

        var finding = Assert.Single(report.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule);
        Assert.Equal(
            "Execution role web-execution can read every secret of account 111122223333 in eu-west-1 (secretsmanager:GetSecretValue on "
            + "arn:aws:secretsmanager:eu-west-1:111122223333:secret:*, e.g. arn:aws:secretsmanager:eu-west-1:111122223333:secret:unreferenced-probe-Zq9Xw8), "
            + "beyond whichever secrets and parameters the containers of web reference: no containers reference them all, nor those created later.",
            finding.Message);
        // It knows no reference, so it lists none and claims none is missing.
        Assert.DoesNotContain("references 0", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reads nothing", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Allow", finding.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("remove the reads", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("scope secretsmanager:GetSecretValue to the ARNs of the secrets and parameters the containers of web reference", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal<string>(["arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"], finding.Resources);
    }

    [Theory]
    // Parameter ARNs are arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}, secret ARNs
    // arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId} (Service Authorization Reference, "Actions,
    // resources, and condition keys for AWS Systems Manager" and "... for AWS Secrets Manager").
    [InlineData("ssm:GetParameters", "*", "every parameter of its account (and of any account whose resource policy lets it) in every region")]
    [InlineData("ssm:GetParametersByPath", "arn:aws:ssm:eu-west-1:111122223333:parameter/*", "every parameter of account 111122223333 in eu-west-1")]
    [InlineData("secretsmanager:GetSecretValue", "*", "every secret of its account (and of any account whose resource policy lets it) in every region")]
    [InlineData("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:111122223333:secret:*", "every secret of account 111122223333 in every region")]
    public async Task Unknown_containers_leave_a_read_of_a_whole_store_reported(string action, string resource, string reach)
    {
        var report = await Audit(Policy(action, resource), UnknownContainers);

        var finding = Assert.Single(report.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule);
        Assert.StartsWith($"Execution role web-execution can read {reach} ({action} on {resource}, e.g. ", finding.Message, StringComparison.Ordinal);
        Assert.True(report.IsIncomplete);
    }

    [Theory]
    // A path or a name prefix may be exactly what the unknown containers reference.
    [InlineData("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*")]
    [InlineData("ssm:GetParameters", "arn:aws:ssm:eu-west-1:111122223333:parameter/prod/*")]
    public async Task Unknown_containers_leave_a_narrower_read_unjudged(string action, string resource)
    {
        var known = await Audit(Policy(action, resource));
        var unknown = await Audit(Policy(action, resource), UnknownContainers);

        Assert.Contains(known.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule);
        Assert.DoesNotContain(unknown.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule);
    }

    [Fact]
    public async Task Unknown_containers_leave_decryption_through_the_stores_to_the_finding_on_their_reads()
    {
        // How ECS reads a secret under a customer managed key: kms:Decrypt through Secrets Manager (Developer Guide, "Amazon
        // ECS task execution IAM role", "Required permissions for Secrets Manager or Systems Manager"; kms:ViaService, AWS
        // KMS Developer Guide). ERA045 leaves that decryption to ERA022, which must then still report a read of every secret.
        var report = await Audit("""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"},
              {"Sid":"Keys","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.eu-west-1.amazonaws.com"}}}]}
            """, UnknownContainers);

        Assert.DoesNotContain(report.Findings, f => f.Rule == SensitiveReadOnAnyResourceRule.Rule);
        Assert.Equal("Secrets", Assert.Single(report.Findings, f => f.Rule == SecretsBeyondReferencesRule.Rule).Statement);
    }

    private static string Policy(string action, string resource) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Store","Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""";

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
