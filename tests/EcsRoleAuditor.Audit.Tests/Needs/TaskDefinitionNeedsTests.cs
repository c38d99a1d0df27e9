using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Needs;

namespace EcsRoleAuditor.Audit.Tests.Needs;

public class TaskDefinitionNeedsTests
{
    private static TaskDefinition Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Assert.Single(TaskDefinitionReader.Read(document.RootElement, "test.json"));
    }

    private static TaskDefinition WebApi()
    {
        using var json = Fixtures.Json("web-api.json");
        return Assert.Single(TaskDefinitionReader.Read(json.RootElement, "web-api.json"));
    }

    private static string[] Lines(IEnumerable<Need> needs) => [.. needs.Select(n => $"{n.Slot} {n.Action} {n.Resource}")];

    [Fact]
    public void Private_ECR_image_needs_the_token_on_star_and_the_pull_actions_on_its_repository()
    {
        var needs = TaskDefinitionNeeds.Derive(WebApi()).Where(n => n.Field == "containerDefinitions[0].image");
        Assert.Equal(
        [
            "Execution ecr:GetAuthorizationToken *",
            "Execution ecr:BatchCheckLayerAvailability arn:aws:ecr:eu-west-1:111122223333:repository/web-api",
            "Execution ecr:GetDownloadUrlForLayer arn:aws:ecr:eu-west-1:111122223333:repository/web-api",
            "Execution ecr:BatchGetImage arn:aws:ecr:eu-west-1:111122223333:repository/web-api",
        ], Lines(needs));
    }

    [Fact]
    public void Secrets_need_the_execution_role_to_read_exactly_the_referenced_secret_and_parameter()
    {
        var needs = TaskDefinitionNeeds.Derive(WebApi()).Where(n => n.Field.Contains(".secrets[", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "Execution secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-api/db-AbCdEf",
            "Execution ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/web-api/api-key",
        ], Lines(needs));
        Assert.Equal("secret DB_PASSWORD of container web", needs[0].Reason);
        Assert.Equal("web", needs[0].Container);
    }

    [Fact]
    public void Registry_credentials_environment_files_and_awslogs_with_create_group_are_needs()
    {
        var lines = Lines(TaskDefinitionNeeds.Derive(WebApi()));
        Assert.Contains("Execution secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:registry-creds-XyZ123", lines);
        Assert.Contains("Execution s3:GetObject arn:aws:s3:::web-api-config/prod.env", lines);
        Assert.Contains("Execution s3:GetBucketLocation arn:aws:s3:::web-api-config", lines);
        // The stream is PREFIX/CONTAINER/TASK-ID (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html):
        // the task's id is unknown, so the need names the shape of the stream.
        Assert.Contains("Execution logs:CreateLogStream arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web-api:log-stream:web/web/*", lines);
        Assert.Contains("Execution logs:PutLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web-api:log-stream:web/web/*", lines);
        Assert.Contains("Execution logs:CreateLogGroup arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web-api:log-stream:", lines);
        Assert.All(TaskDefinitionNeeds.Derive(WebApi()).Where(n => n.Action is "logs:CreateLogStream" or "logs:PutLogEvents"), n => Assert.True(n.ResourceIsShape));
    }

    [Fact]
    public void EFS_volume_with_IAM_authorization_needs_the_task_role_to_mount()
    {
        var need = Assert.Single(TaskDefinitionNeeds.Derive(WebApi()), n => n.Slot == RoleSlot.Task);
        Assert.Equal("elasticfilesystem:ClientMount", need.Action);
        Assert.Equal("arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0", need.Resource);
    }

    [Fact]
    public void Public_images_and_plain_logging_need_nothing()
    {
        var definition = Read("""
            {"family":"public","containerDefinitions":[
              {"name":"nginx","image":"public.ecr.aws/nginx/nginx:1.27","logConfiguration":{"logDriver":"json-file"}},
              {"name":"redis","image":"redis:7"}]}
            """);
        Assert.Empty(TaskDefinitionNeeds.Derive(definition));
    }

    [Fact]
    public void Secret_ARN_suffixes_are_stripped_and_parameter_names_completed_from_the_scope()
    {
        var definition = Read("""
            {"family":"x","containerDefinitions":[{"name":"app","image":"busybox","secrets":[
              {"name":"USER","valueFrom":"arn:aws:secretsmanager:us-east-1:444455556666:secret:db-Xy12Ab:username::"},
              {"name":"FLAG","valueFrom":"/config/flag"},
              {"name":"REF","valueFrom":"/aws/reference/secretsmanager/shared/token"}]}]}
            """);
        Assert.Equal(
        [
            "Execution secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:444455556666:secret:db-Xy12Ab",
            "Execution ssm:GetParameters arn:aws:ssm:us-east-1:444455556666:parameter/config/flag",
            "Execution ssm:GetParameters arn:aws:ssm:us-east-1:444455556666:parameter/aws/reference/secretsmanager/shared/token",
            // Referenced by name: the request names the full ARN, shared/token and a hyphen and six random characters (Secrets Manager User Guide,
            // https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html).
            "Execution secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:444455556666:secret:shared/token-??????",
        ], Lines(TaskDefinitionNeeds.Derive(definition)));
    }

    [Fact]
    public void Pull_through_cache_repositories_are_an_uncertain_extra_need()
    {
        var definition = Read("""{"family":"x","containerDefinitions":[{"name":"app","image":"111122223333.dkr.ecr.us-east-1.amazonaws.com/docker-hub/library/nginx:latest"}]}""");
        var cache = Assert.Single(TaskDefinitionNeeds.Derive(definition), n => n.Action == "ecr:BatchImportUpstreamImage");
        Assert.False(cache.Certain);
        Assert.Equal("arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/library/nginx", cache.Resource);
    }

    private static string FireLensRouter(string options, string launchTypes = "") => $$$"""
        {"family":"logs","taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/logs:1"{{{launchTypes}}},
         "containerDefinitions":[{"name":"log_router","image":"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
           "firelensConfiguration":{"type":"fluentbit","options":{{{options}}}}}]}
        """;

    // "When you use a custom configuration file that's hosted in Amazon S3, your task execution IAM role must include the
    // s3:GetObject permission", plus s3:GetBucketLocation on its bucket as for environment files (notes, facts checked):
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html
    [Fact]
    public void FireLens_config_file_in_S3_needs_the_execution_role_to_read_the_object_and_locate_its_bucket()
    {
        var needs = TaskDefinitionNeeds.Derive(Read(FireLensRouter("""{"config-file-type":"s3","config-file-value":"arn:aws:s3:::logs-config/fluent-bit/extra.conf"}""")));
        Assert.Equal(
        [
            "Execution s3:GetObject arn:aws:s3:::logs-config/fluent-bit/extra.conf",
            "Execution s3:GetBucketLocation arn:aws:s3:::logs-config",
        ], Lines(needs));
        Assert.All(needs, n => Assert.Equal("containerDefinitions[0].firelensConfiguration", n.Field));
        Assert.Equal("FireLens configuration file arn:aws:s3:::logs-config/fluent-bit/extra.conf of container log_router", needs[0].Reason);
    }

    [Theory]
    [InlineData("""{"config-file-type":"file","config-file-value":"/fluent-bit/etc/extra.conf"}""")]
    [InlineData("""{"enable-ecs-log-metadata":"true"}""")]
    [InlineData("""{"config-file-type":"s3"}""")]
    [InlineData("""{"config-file-type":"s3","config-file-value":"arn:aws:s3:::logs-config"}""")]
    [InlineData("""{"config-file-type":"s3","config-file-value":"logs-config/extra.conf"}""")]
    public void FireLens_without_a_config_object_in_S3_needs_nothing(string options)
    {
        Assert.Empty(TaskDefinitionNeeds.Derive(Read(FireLensRouter(options))));
    }

    // AWS documents the s3 config file type for EC2 only: "Tasks hosted on AWS Fargate only support the file configuration
    // file type" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_FirelensConfiguration.html). On a task
    // definition declared for Fargate alone no agent reads the file, and no permission would make it work: no need.
    [Fact]
    public void FireLens_config_file_in_S3_is_no_need_when_only_Fargate_is_declared()
    {
        var fargateOnly = Read(FireLensRouter("""{"config-file-type":"S3","config-file-value":"arn:aws:s3:::logs-config/extra.conf"}""", ",\"requiresCompatibilities\":[\"FARGATE\"]"));
        Assert.True(fargateOnly.RunsOnlyOn("FARGATE"));
        Assert.Empty(Lines(TaskDefinitionNeeds.Derive(fargateOnly)));

        var alsoEc2 = Read(FireLensRouter("""{"config-file-type":"S3","config-file-value":"arn:aws:s3:::logs-config/extra.conf"}""", ",\"requiresCompatibilities\":[\"EC2\",\"FARGATE\"]"));
        Assert.Equal(["Execution s3:GetObject arn:aws:s3:::logs-config/extra.conf", "Execution s3:GetBucketLocation arn:aws:s3:::logs-config"], Lines(TaskDefinitionNeeds.Derive(alsoEc2)));
    }

    [Fact]
    public void S3_objects_keep_their_partition_and_environment_files_of_other_types_need_nothing()
    {
        var definition = Read("""
            {"family":"x","containerDefinitions":[{"name":"app","image":"busybox","environmentFiles":[
              {"type":"s3","value":"arn:aws-cn:s3:::cn-config/app.env"},
              {"type":"other","value":"arn:aws:s3:::ignored/app.env"},
              {"type":"s3","value":"s3://not-an-arn/app.env"}]}]}
            """);
        Assert.Equal(
        [
            "Execution s3:GetObject arn:aws-cn:s3:::cn-config/app.env",
            "Execution s3:GetBucketLocation arn:aws-cn:s3:::cn-config",
        ], Lines(TaskDefinitionNeeds.Derive(definition)));
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf")]
    [InlineData("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf:password::", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf")]
    [InlineData("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db:password:AWSCURRENT:", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db")]
    [InlineData("arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:app/db-AbCdEf::AWSPREVIOUS:", "arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:app/db-AbCdEf")]
    [InlineData("arn:aws:ssm:eu-west-1:111122223333:parameter/a:b", "arn:aws:ssm:eu-west-1:111122223333:parameter/a:b")]
    [InlineData("db-password", "db-password")]
    public void Secret_ARN_drops_only_the_json_key_version_stage_and_version_id(string valueFrom, string expected)
    {
        // valueFrom may be arn:...:secret:NAME:json-key:version-stage:version-id:
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
        Assert.Equal(expected, TaskDefinitionNeeds.SecretArn(valueFrom));
    }

    [Fact]
    public void Without_a_task_definition_ARN_names_are_completed_from_the_first_regional_ARN_referenced()
    {
        var definition = Read("""
            {"family":"x","containerDefinitions":[{"name":"app","image":"busybox",
              "repositoryCredentials":{"credentialsParameter":"arn:aws-cn:secretsmanager:cn-north-1:444455556666:secret:registry-AbCdEf"},
              "secrets":[{"name":"FLAG","valueFrom":"/config/flag"}]}]}
            """);
        Assert.Contains("Execution ssm:GetParameters arn:aws-cn:ssm:cn-north-1:444455556666:parameter/config/flag", Lines(TaskDefinitionNeeds.Derive(definition)));
        var unscoped = Read("""{"family":"x","containerDefinitions":[{"name":"app","image":"busybox","secrets":[{"name":"FLAG","valueFrom":"/config/flag"}]}]}""");
        Assert.Equal(["Execution ssm:GetParameters arn:aws:ssm:*:*:parameter/config/flag"], Lines(TaskDefinitionNeeds.Derive(unscoped)));
    }
}
