using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.RoleReferences;

public class ServiceLinkedAndMissingExecutionRoleTests
{
    private const string EcsServiceLinkedRole = "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS";

    private static string ServiceLinkedScenario(string taskRoleArn, string executionRoleArn, string path) => $$$"""
        {"taskDefinition":{"family":"web","taskRoleArn":"{{{taskRoleArn}}}","executionRoleArn":"{{{executionRoleArn}}}","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
         "roles":[{"arn":"{{{EcsServiceLinkedRole}}}","path":"{{{path}}}",
                   "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]},
                   "managed":{"arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy":{{{ManagedPolicyCorpus.Get("AmazonECSServiceRolePolicy").DocumentJson}}}}}]}
        """;

    [Fact]
    public async Task AWSServiceRoleForECS_in_both_slots_is_one_critical_finding_naming_both_fields()
    {
        var report = await RuleExampleTests.Audit(ServiceLinkedScenario(EcsServiceLinkedRole, EcsServiceLinkedRole, "/aws-service-role/ecs.amazonaws.com/"), "both slots");
        var finding = Assert.Single(report.Findings, f => f.Rule == ServiceLinkedRoleRule.Rule);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("taskRoleArn, executionRoleArn", finding.Source.Name);
        Assert.Contains("task role and execution role", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ECS was unable to assume the role", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ecs-tasks.amazonaws.com", finding.Remediation, StringComparison.Ordinal);
        // Two roles replace it: one role in both slots would be ERA001's finding.
        Assert.Contains("a task role with only the permissions the application needs and a separate execution role", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal([ChangeKind.CreateRole, ChangeKind.CreateRole, ChangeKind.RegisterRevision], finding.Changes.Select(c => c.Kind).ToArray());
        // ERA010 and ERA011 leave service-linked roles to ERA002 instead of repeating it.
        Assert.Empty(report.Findings.Select(f => f.Rule).Intersect([EcsTasksNotTrustedRule.Rule, OtherPrincipalsTrustedRule.Rule, NoConfusedDeputyGuardRule.Rule]));
    }

    [Fact]
    public async Task A_role_under_the_service_role_path_is_not_service_linked()
    {
        var report = await RuleExampleTests.Audit(ServiceLinkedScenario(EcsServiceLinkedRole, EcsServiceLinkedRole, "/service-role/"), "service-role path");
        Assert.DoesNotContain(report.Findings, f => f.Rule == ServiceLinkedRoleRule.Rule);
        Assert.Contains(report.Findings, f => f.Rule == EcsTasksNotTrustedRule.Rule); // it still does not trust ecs-tasks
    }

    private const string NeedyTaskDefinition = """
        {"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/api:7","family":"api","revision":7,
         "containerDefinitions":[{"name":"api","image":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4",
           "secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:api/db-AbCdEf"},
                      {"name":"API_KEY","valueFrom":"/api/key"}],
           "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/api","awslogs-region":"eu-west-1","awslogs-stream-prefix":"ecs"}}}]}
        """;

    [Fact]
    public async Task Missing_execution_role_names_the_image_log_group_and_secrets()
    {
        var report = await RuleExampleTests.Audit($$"""{"taskDefinition":{{NeedyTaskDefinition}},"roles":[]}""", "needy");
        var finding = Assert.Single(report.Findings, f => f.Rule == MissingExecutionRoleRule.Rule);
        Assert.Null(finding.RoleArn);
        Assert.Equal(RoleSlot.Execution, finding.RoleSlot);
        foreach (var named in (string[])["api:1.4", "/ecs/api", "DB_PASSWORD", "API_KEY"])
        {
            Assert.Contains(named, finding.Message, StringComparison.Ordinal);
        }
        Assert.Contains("ecr:BatchGetImage", finding.Actions);
        Assert.Contains("ssm:GetParameters", finding.Actions);
        Assert.Contains("arn:aws:ssm:eu-west-1:111122223333:parameter/api/key", finding.Resources);
    }

    [Fact]
    public async Task The_remediation_policy_allows_every_need_and_nothing_on_other_resources()
    {
        var scenario = Scenario.Parse($$"""{"taskDefinition":{{NeedyTaskDefinition}},"roles":[]}""", "needy");
        var needs = TaskDefinitionNeeds.Derive(scenario.TaskDefinition).Where(n => n.Slot == RoleSlot.Execution).ToList();
        var policy = PolicyParser.Parse(MissingExecutionRoleRule.PolicyFor(needs), "remediation");
        var permissions = EffectivePermissions.Compute([policy], null);
        Assert.All(needs, n => Assert.Equal(Decision.Allowed, permissions.Decide(n.Action, n.Resource)));
        Assert.NotEqual(Decision.Allowed, permissions.Decide("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:other-XyZ123"));
        Assert.NotEqual(Decision.Allowed, permissions.Decide("ecr:BatchGetImage", "arn:aws:ecr:eu-west-1:111122223333:repository/other"));

        var report = await RuleExampleTests.Audit($$"""{"taskDefinition":{{NeedyTaskDefinition}},"roles":[]}""", "needy");
        Assert.Contains(MissingExecutionRoleRule.PolicyFor(needs), Assert.Single(report.Findings, f => f.Rule == MissingExecutionRoleRule.Rule).Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_secrets_an_ECR_image_says_EC2_falls_back_to_the_instance_role()
    {
        var report = await RuleExampleTests.Audit("""
            {"taskDefinition":{"family":"web","containerDefinitions":[{"name":"web","image":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:2"}]},"roles":[]}
            """, "ecr only");
        var finding = Assert.Single(report.Findings, f => f.Rule == MissingExecutionRoleRule.Rule);
        Assert.Contains("container instance role", finding.Message, StringComparison.Ordinal);
        var withSecret = await RuleExampleTests.Audit($$"""{"taskDefinition":{{NeedyTaskDefinition}},"roles":[]}""", "needy");
        Assert.EndsWith("the task cannot start.", Assert.Single(withSecret.Findings, f => f.Rule == MissingExecutionRoleRule.Rule).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_definition_that_needs_nothing_from_the_agent_may_omit_the_execution_role()
    {
        var report = await RuleExampleTests.Audit("""
            {"taskDefinition":{"family":"web","containerDefinitions":[{"name":"web","image":"public.ecr.aws/nginx/nginx:1.27",
              "logConfiguration":{"logDriver":"json-file","options":{}}}]},"roles":[]}
            """, "no needs");
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingExecutionRoleRule.Rule);
    }
}
