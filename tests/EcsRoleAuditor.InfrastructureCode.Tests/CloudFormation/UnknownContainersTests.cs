using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation.TemplateAudit;

namespace EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation;

/// <summary>
/// Containers, volumes or EFS settings a template leaves to deployment (Fn::If on a condition whose parameter has no value:
/// AWS CloudFormation User Guide, "Fn::If" and "Conditions"): the roles are audited, what those fields need is not, and
/// the audit says it is incomplete (ERA005) instead of refusing the template or reading them as "needs nothing".
/// </summary>
public sealed class UnknownContainersTests
{
    private static string Template(string containers, string volumes = "[]") => $$$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Env:
            Type: String
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          ExecutionRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: web-execution
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: {Service: ecs-tasks.amazonaws.com}
                    Action: sts:AssumeRole
                    Condition: {StringEquals: {aws:SourceAccount: "111122223333"}, ArnLike: {aws:SourceArn: "arn:aws:ecs:eu-west-1:111122223333:*"}}
              Policies:
                - PolicyName: agent
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability]
                        Resource: arn:aws:ecr:eu-west-1:111122223333:repository/web
                      - Effect: Allow
                        Action: ecr:GetAuthorizationToken
                        Resource: "*"
                      - Effect: Allow
                        Action: dynamodb:PutItem
                        Resource: arn:aws:dynamodb:eu-west-1:111122223333:table/orders
          TaskDefinition:
            Type: AWS::ECS::TaskDefinition
            Properties:
              Family: web
              ExecutionRoleArn: !GetAtt ExecutionRole.Arn
              ContainerDefinitions: {{{containers}}}
              Volumes: {{{volumes}}}
        """;

    private const string Known = "[{Name: web, Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1}]";

    [Fact]
    public async Task A_container_list_known_only_at_deployment_is_an_incomplete_audit_of_the_roles()
    {
        var (reports, _) = await AuditAsync(ReadText(Template(
            "!If [IsProd, [{Name: web, Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1}], [{Name: web, Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web-dev:1}]]")));

        var report = Assert.Single(reports);
        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((RoleSlot.Execution, "containerDefinitions"), (incomplete.RoleSlot, incomplete.Source.Name));
        Assert.Contains("its containerDefinitions is a value known only at deployment (${unresolved.", incomplete.Message, StringComparison.Ordinal);
        Assert.True(report.IsIncomplete);
        Assert.False(report.ExecutionNeedsKnown);
        // The DynamoDB write is no agent's job whichever containers deployment picks.
        Assert.Contains(report.Findings, f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule && f.Actions.SequenceEqual(["dynamodb:PutItem"]));
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
    }

    [Fact]
    public async Task One_container_known_only_at_deployment_leaves_the_others_judged()
    {
        // The known container reads a secret the role does not grant: still a task that cannot start.
        var (reports, _) = await AuditAsync(ReadText(Template(
            "\n        - {Name: web, Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1, Secrets: [{Name: DB, ValueFrom: \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf\"}]}"
            + "\n        - !If [IsProd, {Name: sidecar, Image: \"111122223333.dkr.ecr.eu-west-1.amazonaws.com/agent:1\"}, !Ref AWS::NoValue]")));

        var report = Assert.Single(reports);
        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal("containerDefinitions[1]", incomplete.Source.Name);
        Assert.Contains(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule
            && f.Resources.Contains("arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"));
    }

    [Fact]
    public async Task EFS_authorization_known_only_at_deployment_is_unaudited_not_off()
    {
        // With IAM authorization the task role must allow elasticfilesystem:ClientMount
        // (Amazon ECS Developer Guide, "Amazon EFS volumes"): an unknown setting is not "DISABLED".
        var (reports, _) = await AuditAsync(ReadText(Template(Known,
            "[{Name: data, EFSVolumeConfiguration: {FilesystemId: fs-12345678, TransitEncryption: ENABLED, AuthorizationConfig: {IAM: !If [IsProd, ENABLED, DISABLED]}}}]")));

        var report = Assert.Single(reports);
        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((RoleSlot.Task, "volumes[0].efsVolumeConfiguration"), (incomplete.RoleSlot, incomplete.Source.Name));
        Assert.True(report.ExecutionNeedsKnown);
    }

    private static string Container(string field) => $"[{{Name: web, Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1, {field}}}]";

    private const string DbSecret = "\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf\"";

    // Each container property of AWS::ECS::TaskDefinition ContainerDefinition (CloudFormation User Guide) that the execution
    // role serves (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": secrets, environment files, private
    // registry credentials, awslogs, FireLens configuration), and Environment, which decides no role's needs: an Fn::If on
    // a condition without a value, or an import, picks a value only deployment knows ("Fn::If", "Fn::ImportValue").
    [Theory]
    [InlineData("Secrets: !If [IsProd, [{Name: DB, ValueFrom: " + DbSecret + "}], [{Name: DB, ValueFrom: \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:dev/db-AbCdEf\"}]]",
        "containerDefinitions[0].secrets", RoleSlot.Execution)]
    [InlineData("Secrets: [!If [IsProd, {Name: DB, ValueFrom: " + DbSecret + "}, !Ref AWS::NoValue]]", "containerDefinitions[0].secrets", RoleSlot.Execution)]
    [InlineData("Secrets: !ImportValue shared-secrets", "containerDefinitions[0].secrets", RoleSlot.Execution)]
    [InlineData("LogConfiguration: !If [IsProd, {LogDriver: awslogs, Options: {awslogs-group: /ecs/web, awslogs-region: eu-west-1, awslogs-stream-prefix: web}}, !Ref AWS::NoValue]",
        "containerDefinitions[0].logConfiguration", RoleSlot.Execution)]
    [InlineData("LogConfiguration: {LogDriver: !If [IsProd, awslogs, json-file], Options: {awslogs-group: /ecs/web, awslogs-region: eu-west-1}}",
        "containerDefinitions[0].logConfiguration", RoleSlot.Execution)]
    [InlineData("LogConfiguration: {LogDriver: awslogs, Options: !If [IsProd, {awslogs-group: /ecs/web, awslogs-region: eu-west-1, awslogs-create-group: \"true\"}, {awslogs-group: /ecs/web-dev, awslogs-region: eu-west-1}]}",
        "containerDefinitions[0].logConfiguration.options", RoleSlot.Execution)]
    [InlineData("LogConfiguration: {LogDriver: splunk, Options: {splunk-url: \"https://splunk.example.com:8088\"}, SecretOptions: [!If [IsProd, {Name: splunk-token, ValueFrom: " + DbSecret + "}, !Ref AWS::NoValue]]}",
        "containerDefinitions[0].logConfiguration.secretOptions", RoleSlot.Execution)]
    [InlineData("EnvironmentFiles: !If [IsProd, [{Type: s3, Value: \"arn:aws:s3:::web-config/prod.env\"}], []]", "containerDefinitions[0].environmentFiles", RoleSlot.Execution)]
    [InlineData("RepositoryCredentials: !If [IsProd, {CredentialsParameter: " + DbSecret + "}, !Ref AWS::NoValue]", "containerDefinitions[0].repositoryCredentials", RoleSlot.Execution)]
    [InlineData("FirelensConfiguration: !If [IsProd, {Type: fluentbit, Options: {config-file-type: s3, config-file-value: \"arn:aws:s3:::web-config/fluent.conf\"}}, !Ref AWS::NoValue]",
        "containerDefinitions[0].firelensConfiguration", RoleSlot.Execution)]
    [InlineData("FirelensConfiguration: {Type: fluentbit, Options: !If [IsProd, {config-file-type: s3, config-file-value: \"arn:aws:s3:::web-config/fluent.conf\"}, {enable-ecs-log-metadata: \"true\"}]}",
        "containerDefinitions[0].firelensConfiguration.options", RoleSlot.Execution)]
    [InlineData("Environment: !If [IsProd, [{Name: MODE, Value: prod}], [{Name: MODE, Value: dev}]]", "containerDefinitions[0].environment", RoleSlot.TaskDefinition)]
    [InlineData("Environment: [{Name: MODE, Value: prod}, !If [IsProd, {Name: DEBUG, Value: \"0\"}, !Ref AWS::NoValue]]", "containerDefinitions[0].environment", RoleSlot.TaskDefinition)]
    public async Task A_container_field_known_only_at_deployment_is_unaudited_and_the_roles_are_still_judged(string field, string path, RoleSlot slot)
    {
        var (reports, _) = await AuditAsync(ReadText(Template(Container(field))));

        var report = Assert.Single(reports);
        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal((slot, path), (incomplete.RoleSlot, incomplete.Source.Name));
        Assert.Contains($"its {path} is ", incomplete.Message, StringComparison.Ordinal);
        Assert.Contains("${unresolved.", incomplete.Message, StringComparison.Ordinal);
        Assert.EndsWith(slot == RoleSlot.Execution ? "so what it needs of the execution role is not audited." : "so it is not audited.", incomplete.Message, StringComparison.Ordinal);
        Assert.True(report.IsIncomplete);
        Assert.Equal(slot != RoleSlot.Execution, report.ExecutionNeedsKnown);
        // The DynamoDB write is no agent's job whatever the field turns out to be.
        Assert.Contains(report.Findings, f => f.Rule == ApplicationPermissionsOnExecutionRoleRule.Rule && f.Actions.SequenceEqual(["dynamodb:PutItem"]));
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
    }

    [Fact]
    public async Task A_secret_list_with_one_unknown_element_is_unknown_as_a_whole()
    {
        // Known alone, the secret is one the role cannot read (ERA021); beside an unknown element, the list is not what
        // the container needs, so nothing is claimed from part of it.
        var known = $"Secrets: [{{Name: DB, ValueFrom: {DbSecret}}}]";
        var (alone, _) = await AuditAsync(ReadText(Template(Container(known))));
        var (mixed, _) = await AuditAsync(ReadText(Template(Container(
            $"Secrets: [{{Name: DB, ValueFrom: {DbSecret}}}, !If [IsProd, {{Name: KEY, ValueFrom: \"arn:aws:ssm:eu-west-1:111122223333:parameter/prod/key\"}}, !Ref AWS::NoValue]]"))));

        Assert.Contains(Assert.Single(alone).Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
        var report = Assert.Single(mixed);
        var incomplete = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Equal("containerDefinitions[0].secrets", incomplete.Source.Name);
        Assert.Contains("is a list whose element 1 is a value known only at deployment (${unresolved.If-IsProd-", incomplete.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
    }

    [Fact]
    public async Task Known_containers_and_volumes_are_a_complete_audit()
    {
        var (reports, _) = await AuditAsync(ReadText(Template(Known,
            "[{Name: data, EFSVolumeConfiguration: {FilesystemId: fs-12345678, TransitEncryption: ENABLED, AuthorizationConfig: {IAM: DISABLED}}}]")));

        var report = Assert.Single(reports);
        Assert.DoesNotContain(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.True(report.ExecutionNeedsKnown);
    }
}
