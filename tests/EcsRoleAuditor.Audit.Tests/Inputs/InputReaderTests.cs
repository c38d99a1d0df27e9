using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Tests.Inputs;

public class InputReaderTests
{
    private static AccountSnapshot Account()
    {
        using var json = Fixtures.Json("account.json");
        return AccountSnapshot.Read(json.RootElement, "account.json");
    }

    private static Role Found(RoleLookup lookup) => Assert.IsType<RoleLookup.Found>(lookup).Role;

    [Fact]
    public async Task Roles_are_found_by_ARN_and_by_bare_name()
    {
        var account = Account();
        var byArn = Found(await account.FindAsync("arn:aws:iam::111122223333:role/service-role/web-api-execution", default));
        var byName = Found(await account.FindAsync("web-api-execution", default));
        Assert.Same(byArn, byName);
        Assert.Equal("/service-role/", byArn.Path);
        Assert.IsType<RoleLookup.NotFound>(await account.FindAsync("no-such-role", default));
    }

    [Fact]
    public async Task Inline_managed_boundary_and_trust_policies_are_read_with_their_sources()
    {
        var task = Found(await Account().FindAsync("web-api-task", default));

        Assert.Equal("uploads", Assert.Single(task.Policies).Source.Name);
        Assert.Equal(SourceKind.InlinePolicy, task.Policies[0].Source.Kind);
        Assert.NotNull(task.TrustPolicy);
        Assert.Equal("ecs-tasks.amazonaws.com", task.TrustPolicy!.Document.Statements[0].Principals!.Entries[0].Value);
        Assert.Equal("v2", task.Boundary!.Source.VersionId);
        Assert.Equal<string>(["s3:*", "sqs:*", "dynamodb:*"], task.Boundary.Document.Statements[0].Actions!.Patterns);
        Assert.Equal("web", task.Tags["team"]);
        Assert.Empty(task.Problems);
    }

    [Fact]
    public async Task URL_encoded_trust_policy_is_decoded()
    {
        var execution = Found(await Account().FindAsync("web-api-execution", default));
        Assert.Equal("ecs-tasks.amazonaws.com", execution.TrustPolicy!.Document.Statements[0].Principals!.Entries[0].Value);
    }

    [Fact]
    public async Task Malformed_documents_and_missing_managed_policies_become_problems_not_silence()
    {
        var execution = Found(await Account().FindAsync("web-api-execution", default));

        var managed = Assert.Single(execution.Policies);
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", managed.Source.Arn);
        Assert.Equal("v1", managed.Source.VersionId);
        var malformed = Assert.Single(execution.Problems, p => p.Kind == ReadProblemKind.Malformed);
        Assert.Equal("broken", malformed.Source.Name);
        Assert.Contains("$.Statement[0].Effect", malformed.Detail, StringComparison.Ordinal);
        var missing = Assert.Single(execution.Problems, p => p.Kind == ReadProblemKind.Unreadable);
        Assert.Equal("arn:aws:iam::111122223333:policy/not-in-file", missing.Source.Arn);
    }

    [Fact]
    public async Task Service_linked_role_is_recognised_by_its_path()
    {
        Assert.True(Found(await Account().FindAsync("AWSServiceRoleForECS", default)).IsServiceLinked);
        Assert.False(Found(await Account().FindAsync("web-api-task", default)).IsServiceLinked);
    }

    [Fact]
    public void Task_definition_is_read_from_describe_task_definition_output()
    {
        using var json = Fixtures.Json("web-api.json");
        var definition = Assert.Single(TaskDefinitionReader.Read(json.RootElement, "web-api.json"));

        Assert.Equal("web-api:42", definition.DisplayName);
        Assert.Equal("arn:aws:iam::111122223333:role/web-api-task", definition.TaskRoleArn);
        Assert.Equal(("aws", "eu-west-1", "111122223333"), definition.ArnScope);
        var web = definition.Containers[0];
        Assert.Equal(["DB_PASSWORD", "API_KEY"], web.Secrets.Select(s => s.Name));
        Assert.Equal("awslogs", web.Logging!.Driver);
        Assert.Equal("true", web.Logging.Options["awslogs-create-group"]);
        Assert.Equal("arn:aws:s3:::web-api-config/prod.env", Assert.Single(web.EnvironmentFiles).Value);
        Assert.Equal("arn:aws:secretsmanager:eu-west-1:111122223333:secret:registry-creds-XyZ123", definition.Containers[1].RepositoryCredentialsParameter);
        Assert.True(Assert.Single(definition.Volumes).Efs!.IamAuthorization);
        Assert.Equal("ERA012:trust has a SourceArn condition", definition.Tags["ecs-role-auditor:suppress"]);
    }

    [Fact]
    public void Bare_task_definition_objects_and_lists_are_accepted()
    {
        using var json = JsonDocument.Parse("""[{"family":"a","containerDefinitions":[]},{"taskDefinition":{"family":"b"}}]""");
        Assert.Equal(["a", "b"], TaskDefinitionReader.Read(json.RootElement, "list.json").Select(d => d.Family));
    }

    [Theory]
    [InlineData("""{"taskDefinition":{"containerDefinitions":[]}}""", "$.taskDefinition.family: is missing or empty")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":{}}}""", "$.taskDefinition.containerDefinitions: expected an array, found an object")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":[{"secrets":[{"name":"X"}]}]}}""", "$.taskDefinition.containerDefinitions[0].secrets[0].valueFrom: is missing or empty")]
    [InlineData("""{"Roles":[]}""", "is neither 'aws ecs describe-task-definition' output")]
    [InlineData("42", "expected the output of 'aws ecs describe-task-definition'")]
    public void Malformed_task_definitions_are_rejected_naming_file_and_path(string text, string expected)
    {
        using var json = JsonDocument.Parse(text);
        var error = Assert.Throws<InputException>(() => TaskDefinitionReader.Read(json.RootElement, "td.json"));
        Assert.StartsWith("td.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"taskDefinition":{}}""", "expected the output of 'aws iam get-account-authorization-details'")]
    [InlineData("""{"RoleDetailList":[{"RoleName":"x"}]}""", "$.RoleDetailList[0].Arn: is missing or empty")]
    [InlineData("""{"RoleDetailList":[],"Policies":[{"PolicyName":"p"}]}""", "$.Policies[0].Arn: is missing or empty")]
    public void Malformed_account_files_are_rejected_naming_file_and_path(string text, string expected)
    {
        using var json = JsonDocument.Parse(text);
        var error = Assert.Throws<InputException>(() => AccountSnapshot.Read(json.RootElement, "iam.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
