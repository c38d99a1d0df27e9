using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>
/// The classes of wrong verdict issue 11 names, each pinned at its cause with the AWS documentation it rests on: what a
/// finding says must be what AWS would do.
/// </summary>
public class TrueVerdictTests
{
    private static string Policy(params string[] statements) => $"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(",", statements)}]}}";

    private static JsonObject TaskRole(params string[] statements) => Role(TaskRoleArn, inline: new() { ["app"] = Policy(statements) });

    private static readonly JsonObject AgentRole = Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"]);

    // ---- 1. Conditions: the Allow's own, decided where the audit knows the context ----

    [Fact]
    public async Task A_conditional_deny_is_an_unless_beside_the_allow_never_its_condition()
    {
        // IAM User Guide, policy evaluation logic: a Deny applies when its conditions hold
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html);
        // one the audit cannot decide takes nothing away for certain, and its condition is not the Allow's.
        var scenario = Build(Container(), AgentRole, TaskRole(
            """{"Sid":"Queues","Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}""",
            """{"Sid":"OnlyViaEndpoint","Effect":"Deny","Action":"sqs:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0123"}}}"""));

        var finding = Assert.Single(await FindingsOf(scenario, WriteOnAnyResourceRule.Rule));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Null(finding.Conditional);
        Assert.Contains("unless the Deny app/OnlyViaEndpoint applies (when StringNotEquals aws:SourceVpce=vpce-0123)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deny_sparing_repositories_named_by_a_variable_may_apply_and_the_fix_names_the_key()
    {
        // IAM User Guide, "Policy variables with no value"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value): the
        // NotResource entry names a key the audit does not know (the role's own tags it does know), so whether the Deny
        // takes the image pull depends on that key's value.
        var role = Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new()
        {
            ["perimeter"] = Policy("""{"Sid":"TeamRepos","Effect":"Deny","Action":"ecr:BatchGetImage","NotResource":"arn:aws:ecr:*:*:repository/${aws:ResourceTag/project}*"}"""),
        });

        var pull = Assert.Single(await FindingsOf(Build(Container(), role), MissingNeededPermissionRule.Rule), f => f.Actions.Contains("ecr:BatchGetImage"));
        Assert.StartsWith("Make sure the Deny perimeter/TeamRepos (depending on the value of aws:ResourceTag/project) does not apply", pull.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_condition_on_the_region_of_a_regional_resource_is_decided_not_printed()
    {
        // aws:RequestedRegion is "the AWS Region that was called in the request"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion):
        // a request for a queue of eu-west-1 calls eu-west-1.
        var scenario = Build(Container(), AgentRole, TaskRole(
            """{"Sid":"Jobs","Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}""",
            """{"Sid":"Elsewhere","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:eu-west-1:111122223333:table/orders","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}"""));

        var findings = await FindingsOf(scenario, ServiceWideWildcardRule.Rule);
        var jobs = Assert.Single(findings);
        Assert.Equal("Jobs", jobs.Statement);
        Assert.Equal(Severity.Medium, jobs.Severity); // unconditional: the condition holds for every request it allows
        Assert.Null(jobs.Conditional);
    }

    [Fact]
    public async Task A_conditional_allow_is_one_level_lower_and_names_its_own_condition()
    {
        var scenario = Build(Container(), AgentRole, TaskRole(
            """{"Sid":"Tagged","Effect":"Allow","Action":"sqs:DeleteQueue","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"web"}}}"""));

        var finding = Assert.Single(await FindingsOf(scenario, WriteOnAnyResourceRule.Rule));
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("StringEquals aws:ResourceTag/team=web", finding.Conditional);
        Assert.Contains("only when StringEquals aws:ResourceTag/team=web", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_principal_tag_condition_the_role_does_not_meet_grants_nothing()
    {
        // The principal's tags are the role's (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag).
        var task = TaskRole("""{"Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}}""");
        task["tags"] = new JsonObject { ["team"] = "web" };

        Assert.Empty(await FindingsOf(Build(Container(), AgentRole, task), ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule));
    }

    // ---- 1. One statement, one finding per fact ----

    [Fact]
    public async Task A_conditional_decrypt_on_every_key_is_one_sensitive_read_finding_not_also_a_write_finding()
    {
        // kms:Decrypt is a Write action in AWS's data; it is judged once, as the sensitive read it is.
        var scenario = Build(Container(), AgentRole, TaskRole(
            """{"Sid":"Keys","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.eu-west-1.amazonaws.com"}}}"""));

        var findings = await FindingsOf(scenario, WriteOnAnyResourceRule.Rule, SensitiveReadOnAnyResourceRule.Rule);
        Assert.Equal(SensitiveReadOnAnyResourceRule.Rule, Assert.Single(findings).Rule);
    }

    [Theory]
    [InlineData("aws-cn", "cn-north-1")]
    [InlineData("aws-us-gov", "us-gov-west-1")]
    public async Task The_task_execution_role_policy_is_exempt_in_every_partition(string partition, string region)
    {
        // The same AWS managed policy exists in every partition (arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy).
        var policy = ManagedPolicyCorpus.Get("AmazonECSTaskExecutionRolePolicy");
        var role = new JsonObject
        {
            ["arn"] = $"arn:{partition}:iam::{Account}:role/web-execution",
            ["managed"] = new JsonObject { [policy.Arn.Replace("arn:aws:", $"arn:{partition}:", StringComparison.Ordinal)] = JsonNode.Parse(policy.DocumentJson) },
        };
        var scenario = WithDefinitionFields(Build(Container(image: $"{Account}.dkr.ecr.{region}.amazonaws.com{(partition == "aws-cn" ? ".cn" : "")}/web:1"), role),
            new JsonObject { ["taskDefinitionArn"] = $"arn:{partition}:ecs:{region}:{Account}:task-definition/web:7" });

        Assert.Empty(await FindingsOf(scenario, ApplicationPermissionsOnExecutionRoleRule.Rule, MissingNeededPermissionRule.Rule, AdministratorAccessRule.Rule, PrivilegeEscalationRule.Rule, ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule, NegatedAllowRule.Rule, SensitiveReadOnAnyResourceRule.Rule));
    }

    [Fact]
    public async Task Counts_in_messages_agree_with_their_number()
    {
        var scenario = Build(Container(), Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["one"] = Policy("""{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}""") }));

        var finding = Assert.Single(await FindingsOf(scenario, ApplicationPermissionsOnExecutionRoleRule.Rule));
        Assert.Contains("grants 1 action the ECS agent never uses", finding.Message, StringComparison.Ordinal);
    }

    // ---- 3. The execution role's needs ----

    private static JsonObject TokenOnlyThroughEndpoint => Role(ExecutionRoleArn, inline: new()
    {
        ["pull"] = Policy(
            """{"Sid":"Token","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123"}}}""",
            """{"Sid":"Layers","Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"],"Resource":""" + $"\"{RepositoryArn}\""
                + ""","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123"}}}"""),
    });

    [Fact]
    public async Task On_Fargate_a_token_allowed_only_through_a_VPC_endpoint_is_a_certain_failed_pull()
    {
        // Amazon ECS Developer Guide, task execution IAM role: "The ecr:GetAuthorizationToken API action cannot have the
        // aws:sourceVpc or aws:sourceVpce condition keys applied to it because the GetAuthorizationToken API call goes
        // through the elastic network interface owned by AWS Fargate rather than the elastic network interface of the task."
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html)
        var findings = await FindingsOf(RunningOn(Build(Container(), TokenOnlyThroughEndpoint), "FARGATE"), MissingNeededPermissionRule.Rule);

        var token = Assert.Single(findings, f => f.Actions.Contains("ecr:GetAuthorizationToken"));
        Assert.Equal(Severity.High, token.Severity);
        Assert.Contains("the task will fail to start", token.Message, StringComparison.Ordinal);
        // The layer downloads may carry the endpoint condition: they go through the task's network.
        Assert.DoesNotContain(findings, f => f.Actions.Contains("ecr:BatchGetImage") && f.Severity == Severity.High);
    }

    [Fact]
    public async Task Declared_for_Fargate_and_EC2_the_tasks_on_Fargate_fail_and_the_finding_says_which()
    {
        var findings = await FindingsOf(RunningOn(Build(Container(), TokenOnlyThroughEndpoint), "EC2", "FARGATE"), MissingNeededPermissionRule.Rule);

        var token = Assert.Single(findings, f => f.Actions.Contains("ecr:GetAuthorizationToken"));
        Assert.Equal(Severity.High, token.Severity);
        Assert.Contains("tasks launched on Fargate will fail to start", token.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_EC2_the_same_token_grant_may_hold_and_says_so()
    {
        var findings = await FindingsOf(RunningOn(Build(Container(), TokenOnlyThroughEndpoint), "EC2"), MissingNeededPermissionRule.Rule);

        var token = Assert.Single(findings, f => f.Actions.Contains("ecr:GetAuthorizationToken"));
        Assert.Equal(Severity.Medium, token.Severity);
        Assert.Equal("StringEquals aws:SourceVpce=vpce-0123", token.Conditional);
        Assert.Contains("may fail", token.Message, StringComparison.Ordinal);
    }

    // Secrets Manager User Guide: "Secrets Manager constructs the last part of the secret ARN by appending a dash and six
    // random alphanumeric characters at the end of the secret name"
    // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html), and a policy names a
    // secret by name with NAME-?????? (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html).
    private const string SecretByName = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/web/api";

    private static string SecretScenario(string reference, string grantedResource) =>
        Build(Container(image: "nginx:1.27", extra: Secrets(("API_TOKEN", reference))), Role(ExecutionRoleArn, inline: new()
        {
            ["secret"] = Policy($$"""{"Sid":"Token","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{grantedResource}}"}"""),
        }));

    [Theory]
    [InlineData(SecretByName)]
    [InlineData(SecretByName + "-AbCdEf")]
    [InlineData(SecretByName + "-AbCdEf:password::")]
    public async Task A_grant_that_stops_at_the_secret_name_reads_nothing_and_the_fix_adds_the_suffix_pattern(string reference)
    {
        var findings = await FindingsOf(SecretScenario(reference, SecretByName), MissingNeededPermissionRule.Rule, SecretsBeyondReferencesRule.Rule);

        var missing = Assert.Single(findings);
        Assert.Equal(MissingNeededPermissionRule.Rule, missing.Rule); // never also "too broad": the grant reaches no secret at all
        Assert.Equal(Severity.High, missing.Severity);
        var expected = reference == SecretByName ? SecretByName + "-??????" : SecretByName + "-AbCdEf";
        Assert.Contains($"\"Resource\":\"{expected}\"", missing.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_referenced_by_name_and_granted_with_one_suffix_may_be_readable_and_ERA022_agrees()
    {
        var findings = await FindingsOf(SecretScenario(SecretByName, SecretByName + "-AbCdEf"), MissingNeededPermissionRule.Rule, SecretsBeyondReferencesRule.Rule);

        var missing = Assert.Single(findings);
        Assert.Equal(MissingNeededPermissionRule.Rule, missing.Rule);
        Assert.Equal(Severity.Medium, missing.Severity);
        Assert.Contains("if the secret's random suffix is the one", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_referenced_by_name_and_granted_with_the_suffix_pattern_passes_both_rules() =>
        Assert.Empty(await FindingsOf(SecretScenario(SecretByName, SecretByName + "-??????"), MissingNeededPermissionRule.Rule, SecretsBeyondReferencesRule.Rule));

    [Theory]
    [InlineData("fsap-1", false)]
    [InlineData("fsap-2", true)]
    public async Task The_EFS_access_point_of_the_volume_decides_an_access_point_condition(string accessPoint, bool fails)
    {
        // The mount names its access point in elasticfilesystem:AccessPointArn
        // (https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html).
        var task = TaskRole("""{"Effect":"Allow","Action":"elasticfilesystem:ClientMount","Resource":"arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-123","Condition":{"StringEquals":{"elasticfilesystem:AccessPointArn":"arn:aws:elasticfilesystem:eu-west-1:111122223333:access-point/fsap-1"}}}""");
        var volumes = JsonNode.Parse("""[{"name":"data","efsVolumeConfiguration":{"fileSystemId":"fs-123","transitEncryption":"ENABLED","authorizationConfig":{"iam":"ENABLED","accessPointId":"AP"}}}]""".Replace("AP", accessPoint, StringComparison.Ordinal))!.AsArray();
        var findings = await FindingsOf(Build(Container(), AgentRole, task, volumes), MissingNeededPermissionRule.Rule);

        Assert.Equal(fails, findings.Count == 1);
        Assert.All(findings, f => Assert.Equal(Severity.High, f.Severity));
    }

    [Fact]
    public async Task A_perimeter_deny_on_Fargate_is_fixed_in_the_deny_not_by_adding_allows_it_would_override()
    {
        var role = Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new()
        {
            ["perimeter"] = Policy("""{"Sid":"Perimeter","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-0abc"}}}"""),
        });
        var findings = await FindingsOf(RunningOn(Build(Container(), role), "FARGATE"), MissingNeededPermissionRule.Rule);

        var token = Assert.Single(findings, f => f.Actions.Contains("ecr:GetAuthorizationToken"));
        Assert.Equal(Severity.High, token.Severity); // no aws:SourceVpce on Fargate's token call: the Deny applies
        Assert.Contains("statement Perimeter: keep ecr:GetAuthorizationToken out of the Deny", token.Remediation, StringComparison.Ordinal);
        // The fix knows what the verdict knows: the Deny certainly applies, so it is not also one that "may" apply.
        Assert.DoesNotContain("Make sure the Deny", token.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Changes, c => c.Kind == ChangeKind.AddStatements);
        var layers = Assert.Single(findings, f => f.Actions.Contains("ecr:BatchGetImage"));
        Assert.StartsWith("Make sure the Deny perimeter/Perimeter", layers.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain(layers.Changes, c => c.Kind == ChangeKind.AddStatements); // the Allow is there already
    }

    [Fact]
    public async Task A_secret_the_boundary_denies_and_does_not_allow_is_fixed_in_the_boundary_alone()
    {
        var boundary = new JsonObject
        {
            ["arn"] = $"arn:aws:iam::{Account}:policy/boundary",
            ["document"] = JsonNode.Parse(Policy("""{"Effect":"Allow","Action":["ecr:*","logs:*"],"Resource":"*"}""", """{"Sid":"NoSecrets","Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}""")),
        };
        var role = Role(ExecutionRoleArn, inline: new() { ["secrets"] = Policy($$"""{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{SecretArn}}"}""") }, boundary: boundary);
        var finding = Assert.Single(await FindingsOf(Build(Container(image: "nginx:1.27", extra: Secrets(("DB", SecretArn))), role), MissingNeededPermissionRule.Rule));

        Assert.Equal(Severity.High, finding.Severity);
        Assert.All(finding.Changes, c => Assert.Equal(ChangeKind.EditBoundary, c.Kind)); // the identity policy already allows it
        Assert.Contains("keep secretsmanager:GetSecretValue", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("Allow secretsmanager:GetSecretValue", finding.Remediation, StringComparison.Ordinal);
    }

    // ---- 5. An incomplete audit never claims certainty ----

    [Fact]
    public async Task A_need_the_read_policies_do_not_grant_is_conditional_when_a_policy_could_not_be_read()
    {
        // A policy that does not parse was not evaluated (ERA047): it might grant the secret.
        var role = Role(ExecutionRoleArn, inline: new()
        {
            ["broken"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""",
        });
        var scenario = Build(Container(image: "nginx:1.27", extra: Secrets(("DB_PASSWORD", SecretArn))), role);
        var report = await RuleExampleTests.Audit(scenario, "unread policy");

        Assert.Contains(report.Findings, f => f.Rule == MalformedPolicyRule.Rule);
        var missing = Assert.Single(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
        Assert.Equal(Severity.Medium, missing.Severity);
        Assert.Contains("the task may fail to start", missing.Message, StringComparison.Ordinal);
        Assert.Contains("if the unread inline policy broken does not grant it", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broad_grant_says_an_unread_policy_may_deny_it()
    {
        var task = Role(TaskRoleArn, inline: new()
        {
            ["app"] = Policy("""{"Effect":"Allow","Action":"sqs:DeleteQueue","Resource":"*"}"""),
            ["guardrails"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sqs:*","Resource":"*","Condition":{"NoSuchOperator":{"a":"b"}}}]}""",
        });
        var finding = Assert.Single(await FindingsOf(Build(Container(), AgentRole, task), WriteOnAnyResourceRule.Rule));

        Assert.Contains("unless the inline policy guardrails, which the audit could not read, denies it", finding.Message, StringComparison.Ordinal);
    }
}
