using EcsRoleAuditor.TestData;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Tests.Inputs;

public class InputReaderTests
{
    private static RecordedAccount Account()
    {
        using var json = Fixtures.Json("account.json");
        return RecordedAccount.Read(json.RootElement, "account.json");
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

    // get-account-authorization-details describes the caller's own account only, so the export cannot say that another
    // account's role is missing: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
    [Fact]
    public async Task A_role_in_another_account_than_the_export_is_unreadable_not_missing()
    {
        var account = Account();

        var elsewhere = Assert.IsType<RoleLookup.Unreadable>(await account.FindAsync("arn:aws:iam::444455556666:role/service-role/web-api-execution", default));
        Assert.Equal("arn:aws:iam::444455556666:role/service-role/web-api-execution", elsewhere.Reference);
        Assert.Equal(
            "the role is in account 444455556666, account.json holds account 111122223333 (audit account 444455556666 with its own get-account-authorization-details output)",
            elsewhere.Detail);
        var missingHere = Assert.IsType<RoleLookup.NotFound>(await account.FindAsync("arn:aws:iam::111122223333:role/deleted", default));
        Assert.Contains("account.json has no role named deleted", missingHere.Detail, StringComparison.Ordinal);
        // Not a role ARN at all: no account question to ask, the file holds no such role.
        Assert.IsType<RoleLookup.NotFound>(await account.FindAsync("arn:aws:iam::444455556666:user/web", default));
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/web-execution")]
    [InlineData("web-execution")]
    public async Task An_export_without_roles_cannot_say_a_role_is_missing(string reference)
    {
        using var json = JsonDocument.Parse("""{"RoleDetailList":[],"Policies":[]}""");
        var empty = RecordedAccount.Read(json.RootElement, "iam.json");

        var lookup = Assert.IsType<RoleLookup.Unreadable>(await empty.FindAsync(reference, default));
        Assert.Equal("iam.json holds no roles, so it cannot tell whether a role exists (export it with --filter Role)", lookup.Detail);
    }

    // get-account-authorization-details returns customer managed policies under the LocalManagedPolicy filter and AWS
    // managed ones under AWSManagedPolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
    [Theory]
    [InlineData("arn:aws:iam::111122223333:policy/app-access", "include LocalManagedPolicy")]
    [InlineData("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "include AWSManagedPolicy")]
    public async Task A_managed_policy_missing_from_the_export_names_the_filter_that_brings_it(string policyArn, string hint)
    {
        using var json = JsonDocument.Parse($$"""
            {"RoleDetailList":[{"RoleName":"web","Path":"/","Arn":"arn:aws:iam::111122223333:role/web",
              "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]},
              "RolePolicyList":[],"AttachedManagedPolicies":[{"PolicyName":"p","PolicyArn":"{{policyArn}}"}]}],"Policies":[]}
            """);
        var role = Found(await RecordedAccount.Read(json.RootElement, "iam.json").FindAsync("web", default));

        var problem = Assert.Single(role.Problems);
        Assert.Equal(ReadProblemKind.Unreadable, problem.Kind);
        Assert.EndsWith(hint + ")", problem.Detail, StringComparison.Ordinal);
    }

    // A RoleDetail carries the role's RolePolicyList and AttachedManagedPolicies
    // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleDetail.html). A record without them says nothing about
    // the role's policies, so the audit is incomplete, never a pass for a role "without policies".
    [Theory]
    [InlineData("\"AttachedManagedPolicies\":[]", "has no RolePolicyList, so the role's inline policies are unknown")]
    [InlineData("\"RolePolicyList\":[],\"AttachedManagedPolicies\":null", "has no AttachedManagedPolicies, so the role's attached managed policies are unknown")]
    public async Task A_role_exported_without_its_policy_lists_is_unreadable_not_policy_free(string lists, string expected)
    {
        using var json = JsonDocument.Parse($$"""
            {"RoleDetailList":[{"RoleName":"web","Path":"/","Arn":"arn:aws:iam::111122223333:role/web",
              "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]},
              {{lists}}}],"Policies":[]}
            """);
        var role = Found(await RecordedAccount.Read(json.RootElement, "iam.json").FindAsync("web", default));

        var problem = Assert.Single(role.Problems);
        Assert.Equal(ReadProblemKind.Unreadable, problem.Kind);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
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

    // The same export from China or GovCloud (US) differs only in its ARNs' partition: arn:aws-cn
    // (https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html), arn:aws-us-gov
    // (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html). AWS managed policies are
    // arn:PARTITION:iam::aws:policy/... there too.
    [Theory]
    [InlineData("aws-cn")]
    [InlineData("aws-us-gov")]
    public async Task An_export_from_china_or_govcloud_reads_as_the_same_export_in_the_standard_partition(string partition)
    {
        var text = File.ReadAllText(Fixtures.PathOf("account.json")).Replace("arn:aws:", $"arn:{partition}:", StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var moved = RecordedAccount.Read(json.RootElement, "account.json");
        var standard = Account();

        foreach (var role in standard.Roles)
        {
            var twin = Found(await moved.FindAsync(role.Arn.Replace("arn:aws:", $"arn:{partition}:", StringComparison.Ordinal), default));
            Assert.Equal(Sources(role), Sources(twin));
            Assert.Equal(role.Problems.Length, twin.Problems.Length);
        }
        Assert.Equal("app-boundary", Found(await moved.FindAsync("web-api-task", default)).Boundary!.Source.Name);
        Assert.IsType<RoleLookup.Unreadable>(await moved.FindAsync($"arn:{partition}:iam::444455556666:role/web-api-task", default));

        static IEnumerable<(SourceKind, string, bool)> Sources(Role role) =>
            role.Policies.Append(role.Boundary).OfType<RolePolicy>().Select(p => (p.Source.Kind, p.Source.Name, p.Source.IsAwsManagedPolicy));
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
        Assert.Equal<string>(["FARGATE"], definition.LaunchTypes); // declared in requiresCompatibilities, though ECS would accept EC2 too
        Assert.True(definition.LaunchTypesDeclared);
    }

    private static TaskDefinition ReadOne(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Assert.Single(TaskDefinitionReader.Read(document.RootElement, "td.json"));
    }

    // compatibilities is what ECS validated the task definition against at registration, requiresCompatibilities what
    // the team declared: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html
    [Theory]
    [InlineData("""{"family":"a","requiresCompatibilities":["FARGATE"],"compatibilities":["EC2","FARGATE"]}""", "FARGATE")]
    [InlineData("""{"family":"a","requiresCompatibilities":["FARGATE"],"compatibilities":[]}""", "FARGATE")]
    [InlineData("""{"family":"a","requiresCompatibilities":["fargate","Fargate"]}""", "FARGATE")]
    [InlineData("""{"family":"a","compatibilities":["EXTERNAL","EC2","MANAGED_INSTANCES"]}""", "EXTERNAL,EC2,MANAGED_INSTANCES")]
    [InlineData("""{"family":"a","compatibilities":["EC2","SOMEWHERE_NEW"]}""", "EC2,SOMEWHERE_NEW")]
    [InlineData("""{"family":"a","requiresCompatibilities":null}""", "")]
    [InlineData("""{"family":"a"}""", "")]
    public void Launch_types_are_what_was_declared_else_what_ECS_computed(string json, string expected)
    {
        var definition = ReadOne(json);
        Assert.Equal(expected, string.Join(',', definition.LaunchTypes));
        Assert.Equal(json.Contains("\"requiresCompatibilities\":[\"", StringComparison.Ordinal), definition.LaunchTypesDeclared);
    }

    [Theory]
    [InlineData("", false, true, false)]
    [InlineData("\"FARGATE\"", true, true, false)]
    [InlineData("\"EC2\"", false, false, true)]
    [InlineData("\"EC2\",\"FARGATE\"", true, true, false)]
    [InlineData("\"EC2\",\"EXTERNAL\"", false, false, false)]
    [InlineData("\"EC2\",\"SOMEWHERE_NEW\"", false, false, false)]
    public void The_task_definition_answers_where_it_may_run(string listed, bool listsFargate, bool mayRunOnFargate, bool runsOnlyOnEc2)
    {
        var definition = ReadOne($$"""{"family":"a","compatibilities":[{{listed}}]}""");
        Assert.Equal(listed.Length > 0, definition.LaunchTypesKnown);
        Assert.Equal(listsFargate, definition.Lists(LaunchType.Fargate));
        Assert.Equal(mayRunOnFargate, definition.MayRunOn(LaunchType.Fargate));
        Assert.Equal(runsOnlyOnEc2, definition.RunsOnlyOn(LaunchType.Ec2));
    }

    [Theory]
    [InlineData("arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/a:1", "aws-cn", "cn-north-1", "111122223333")]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/a:1", "aws", "eu-west-1", "111122223333")]
    public void The_ARN_scope_is_the_partition_region_and_account_of_the_task_definition_ARN(string arn, string partition, string region, string account)
    {
        Assert.Equal((partition, region, account), ReadOne($$"""{"family":"a","taskDefinitionArn":"{{arn}}"}""").ArnScope);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("task-definition/a:1")]
    [InlineData("arn:aws:ecs:eu-west-1")]
    public void Without_a_task_definition_ARN_there_is_no_ARN_scope(string? arn)
    {
        Assert.Null(ReadOne(arn is null ? """{"family":"a"}""" : $$"""{"family":"a","taskDefinitionArn":"{{arn}}"}""").ArnScope);
    }

    [Fact]
    public void FireLens_configuration_is_read_with_its_options()
    {
        var definition = ReadOne("""
            {"family":"a","containerDefinitions":[
              {"name":"router","image":"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
               "firelensConfiguration":{"type":"fluentbit","options":{"config-file-type":"s3","config-file-value":"arn:aws:s3:::logs-config/fluent.conf"}}},
              {"name":"app","image":"nginx:1.27"}]}
            """);
        var fireLens = definition.Containers[0].FireLens!;
        Assert.Equal("fluentbit", fireLens.Type);
        Assert.Equal("s3", fireLens.Options["config-file-type"]);
        Assert.Equal("arn:aws:s3:::logs-config/fluent.conf", fireLens.Options["config-file-value"]);
        Assert.Null(definition.Containers[1].FireLens);
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
    [InlineData("""{"taskDefinition":{"family":"a","compatibilities":"EC2"}}""", "$.taskDefinition.compatibilities: expected an array, found a string")]
    [InlineData("""{"taskDefinition":{"family":"a","compatibilities":["EC2"],"requiresCompatibilities":["EC2",1]}}""", "$.taskDefinition.requiresCompatibilities[1]: expected a string, found a number")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":[{"firelensConfiguration":{"options":{}}}]}}""", "$.taskDefinition.containerDefinitions[0].firelensConfiguration.type: is missing or empty")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":[{"firelensConfiguration":{"type":"fluentbit","options":{"config-file-type":true}}}]}}""", "$.taskDefinition.containerDefinitions[0].firelensConfiguration.options.config-file-type: expected a string, found a boolean")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":[{"firelensConfiguration":"fluentbit"}]}}""", "$.taskDefinition.containerDefinitions[0].firelensConfiguration: expected an object, found a string")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":[{"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"\udc4c"}}}]}}""", "$.taskDefinition.containerDefinitions[0].logConfiguration.options.awslogs-group: the string holds an escaped lone surrogate")]
    [InlineData("""{"Roles":[]}""", "is neither 'aws ecs describe-task-definition' output")]
    [InlineData("42", "expected the output of 'aws ecs describe-task-definition'")]
    [InlineData("""[null]""", "$[0]: expected a task definition object, found null")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":[null]}}""", "$.taskDefinition.containerDefinitions[0]: expected an object, found null")]
    [InlineData("""{"taskDefinition":{"family":"a","containerDefinitions":[{"environment":["A=1"]}]}}""", "$.taskDefinition.containerDefinitions[0].environment[0]: expected an object, found a string")]
    [InlineData("""{"taskDefinition":{"family":"a","volumes":[1]}}""", "$.taskDefinition.volumes[0]: expected an object, found a number")]
    [InlineData("""{"taskDefinition":{"family":"a"},"tags":[null]}""", "$.tags[0]: expected an object, found null")]
    [InlineData("""{"taskDefinition":{"family":"a","revision":0}}""", "$.taskDefinition.revision: must be 1 or more (ECS numbers revisions from 1), not 0")]
    [InlineData("""[{"family":"a","revision":-1}]""", "$[0].revision: must be 1 or more")]
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
    [InlineData("""{"RoleDetailList":[],"Policies":[{"Arn":"arn:aws:iam::aws:policy/P","PolicyVersionList":[null]}]}""", "$.Policies[0].PolicyVersionList[0]: expected an object, found null")]
    [InlineData("""{"RoleDetailList":[],"Policies":[{"Arn":"arn:aws:iam::aws:policy/P","PolicyVersionList":["v1"]}]}""", "$.Policies[0].PolicyVersionList[0]: expected an object, found a string")]
    [InlineData("""{"RoleDetailList":[7]}""", "$.RoleDetailList[0]: expected an object, found a number")]
    [InlineData("""{"RoleDetailList":[{"Arn":"arn:aws:iam::1:role/r","RoleName":"r","RolePolicyList":[[]]}]}""", "$.RoleDetailList[0].RolePolicyList[0]: expected an object, found an array")]
    [InlineData("""{"RoleDetailList":[{"Arn":"arn:aws:iam::1:role/r","RoleName":"r","AttachedManagedPolicies":[true]}]}""", "$.RoleDetailList[0].AttachedManagedPolicies[0]: expected an object, found a boolean")]
    [InlineData("""{"RoleDetailList":[{"Arn":"arn:aws:iam::1:role/r","RoleName":"r","Tags":[null]}]}""", "$.RoleDetailList[0].Tags[0]: expected an object, found null")]
    [InlineData("""{"RoleDetailList":[{"Arn":"arn:aws:iam::1:role/r","RoleName":"r"},{"Arn":"arn:aws:iam::1:role/r","RoleName":"r"}]}""", "$.RoleDetailList[1]: the role arn:aws:iam::1:role/r is also at $.RoleDetailList[0]")]
    [InlineData("""{"RoleDetailList":[{"Arn":"arn:aws:iam::1:role/a/r","RoleName":"r"},{"Arn":"arn:aws:iam::1:role/b/R","RoleName":"R"}]}""", "$.RoleDetailList[1]: the role name R is also at $.RoleDetailList[0]")]
    [InlineData("""{"RoleDetailList":[],"Policies":[{"Arn":"arn:aws:iam::1:policy/p"},{"Arn":"arn:aws:iam::1:policy/p"}]}""", "$.Policies[1]: the policy arn:aws:iam::1:policy/p is also at $.Policies[0]")]
    [InlineData("""{"RoleDetailList":[{"Arn":"arn:aws:iam::1:role/other","RoleName":"r"}]}""", "$.RoleDetailList[0].Arn: arn:aws:iam::1:role/other is not the ARN of the role r")]
    [InlineData("""{"RoleDetailList":[{"Arn":"arn:aws:iam::1:user/r","RoleName":"r"}]}""", "$.RoleDetailList[0].Arn: arn:aws:iam::1:user/r is not the ARN of the role r")]
    public void Malformed_account_files_are_rejected_naming_file_and_path(string text, string expected)
    {
        using var json = JsonDocument.Parse(text);
        var error = Assert.Throws<InputException>(() => RecordedAccount.Read(json.RootElement, "iam.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
