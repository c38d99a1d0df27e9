using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Tests.Rules.RoleReferences;

/// <summary>
/// ERA003's severity follows where the task definition may run. AWS documents the execution role as needed for private
/// ECR images and awslogs when the task is hosted on Fargate, ECS Managed Instances or an external instance, and for
/// secrets and private registry authentication on Fargate and EC2 alike; on EC2 the container instance role pulls and
/// logs instead: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
/// </summary>
public class MissingExecutionRoleTests
{
    private const string EcrImage = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:2";
    private const string Awslogs = """ "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/web","awslogs-region":"eu-west-1"}} """;

    private static async Task<Finding> MissingExecutionRole(string launchTypes, string containerExtra = "")
    {
        var report = await RuleExampleTests.Audit($$"""
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:5","family":"web","revision":5{{launchTypes}},
              "containerDefinitions":[{"name":"web","image":"{{EcrImage}}",{{Awslogs}}{{containerExtra}}}]},
             "roles":[]}
            """, "no execution role");
        return Assert.Single(report.Findings, f => f.Rule == MissingExecutionRoleRule.Rule);
    }

    [Theory]
    [InlineData(""" ,"requiresCompatibilities":["FARGATE"] """, "the task cannot start on Fargate.")]
    [InlineData(""" ,"compatibilities":["EC2","FARGATE"],"requiresCompatibilities":["FARGATE"] """, "the task cannot start on Fargate.")] // what the team declared wins
    [InlineData(""" ,"requiresCompatibilities":["EXTERNAL","EC2"] """, "the task cannot start on external instances (ECS Anywhere); on EC2 the container instance role stands in.")]
    [InlineData(""" ,"requiresCompatibilities":["MANAGED_INSTANCES"] """, "the task cannot start on ECS Managed Instances.")]
    public async Task Images_and_awslogs_without_an_execution_role_fail_to_start_where_no_instance_role_stands_in(string launchTypes, string ending)
    {
        var finding = await MissingExecutionRole(launchTypes);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.EndsWith(ending, finding.Message, StringComparison.Ordinal);
        Assert.Contains("image " + EcrImage, finding.Message, StringComparison.Ordinal);
        Assert.Contains("awslogs group /ecs/web", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_and_awslogs_with_unknown_launch_types_are_a_conditional_medium_finding()
    {
        var finding = await MissingExecutionRole("");
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("if the task runs on Fargate or external instances (ECS Anywhere) or ECS Managed Instances: there the task cannot start", finding.Message, StringComparison.Ordinal);
        Assert.Contains("on EC2 the container instance role stands in (the task definition does not say where it runs", finding.Message, StringComparison.Ordinal);

        var unknownValue = await MissingExecutionRole(""" ,"compatibilities":["EC2","SOMEWHERE_NEW"] """);
        Assert.Equal(Severity.Medium, unknownValue.Severity);
        Assert.Contains("it lists launch types this audit does not know (EC2, SOMEWHERE_NEW)", unknownValue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_types_ECS_only_accepts_make_a_conditional_medium_finding()
    {
        // compatibilities lists every launch type ECS found the definition valid for, not where the team runs it.
        var finding = await MissingExecutionRole(""" ,"compatibilities":["EC2","EXTERNAL"] """);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.EndsWith("if the task runs on external instances (ECS Anywhere), where ECS accepts it (compatibilities): there the task cannot start, "
            + "while on EC2 the container instance role stands in.", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(""" ,"requiresCompatibilities":["EC2"] """)]
    [InlineData(""" ,"compatibilities":["EC2"] """)]
    [InlineData(""" ,"compatibilities":["EC2","FARGATE"],"requiresCompatibilities":["EC2"] """)] // what the team declared wins
    public async Task Images_and_awslogs_on_EC2_only_are_information_about_the_shared_instance_role(string launchTypes)
    {
        var finding = await MissingExecutionRole(launchTypes);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(
            $"web:5 names no execution role and runs only on EC2: the container instance role pulls its images and sends its awslogs output "
            + $"(image {EcrImage} of container web, awslogs group /ecs/web of container web), and every task on the instance shares that role. "
            + "An execution role would be needed only for secrets, private registry authentication, a FireLens configuration in S3 or environment files, none of which it uses.",
            finding.Message);
        Assert.Contains("ecr:BatchGetImage", finding.Actions);
        Assert.Contains("\"logs:CreateLogStream\"", finding.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(""" ,"secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}] """)]
    [InlineData(""" ,"repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:registry-AbCdEf"} """)]
    [InlineData(""" ,"environmentFiles":[{"type":"s3","value":"arn:aws:s3:::web-config/prod.env"}] """)]
    [InlineData(""" ,"firelensConfiguration":{"type":"fluentbit","options":{"config-file-type":"s3","config-file-value":"arn:aws:s3:::web-config/fluent.conf"}} """)]
    public async Task Execution_role_needed_for_secrets_or_files_fails_to_start_even_on_EC2(string containerExtra)
    {
        var finding = await MissingExecutionRole(""" ,"requiresCompatibilities":["EC2"] """, containerExtra);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.EndsWith("the task cannot start.", finding.Message, StringComparison.Ordinal);
    }
}
