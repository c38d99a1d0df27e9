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
