using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Tests.Clients;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>The standard endpoint variables lead every client to the fake; these tests set the process environment, so they run alone.</summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class FakeAwsEndpointOverrideTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    private const string Unreachable = "http://127.0.0.1:9/";

    public static TheoryData<string, string> ServiceVariables => new()
    {
        { "AWS_ENDPOINT_URL_IAM", "GetRole" },
        { "AWS_ENDPOINT_URL_ECS", "ListTaskDefinitionFamilies" },
        { "AWS_ENDPOINT_URL_SNS", "Publish" },
        { "AWS_ENDPOINT_URL_STS", "AssumeRole" },
    };

    [Theory]
    [MemberData(nameof(ServiceVariables))]
    public async Task A_service_variable_sends_that_service_to_the_fake_ahead_of_AWS_ENDPOINT_URL(string variable, string name)
    {
        var operation = ClientOperations.All[name];
        var server = fixture.Fresh();
        using var environment = new EnvironmentScope().Set(variable, fixture.NewEndpoint()).Set("AWS_ENDPOINT_URL", Unreachable);
        using var aws = AwsConnection.Open(new AwsConnectionOptions { Region = FakeAwsFixture.Region, Credentials = TestConnections.Keys, RoleArn = operation.AssumedRole });

        var result = await operation.Call(aws);

        Assert.Equivalent(operation.Expected(fixture), result, strict: true);
        var call = Assert.Single(server.Calls.All);
        Assert.Equal((name, operation.Service.SigningName), (call.Operation, call.Scope!.Service));
    }

    [Fact]
    public async Task The_fakes_client_environment_alone_reaches_every_service_and_iam_and_ecs_sign_with_the_assumed_role()
    {
        var server = fixture.Fresh();
        using var environment = new EnvironmentScope();
        foreach (var (name, value) in server.ClientEnvironment().Where(v => v.Key.StartsWith("AWS_", StringComparison.Ordinal) && !v.Key.EndsWith("_FILE", StringComparison.Ordinal)))
        {
            environment.Set(name, value);
        }
        using var aws = AwsConnection.Open(new AwsConnectionOptions { RoleArn = FakeAwsFixture.AuditorRoleArn });

        await aws.Iam.GetRoleAsync(ClientOperations.RoleName, CancellationToken.None);
        await aws.Ecs.DescribeTaskDefinitionAsync(ClientOperations.TaskDefinition, includeTags: true, CancellationToken.None);
        await aws.Sns.PublishAsync(ClientOperations.Alert(FakeAwsFixture.Region), CancellationToken.None);

        var environmentKey = server.ClientEnvironment()["AWS_ACCESS_KEY_ID"];
        var assumedKey = Assert.Single(server.AssumedRoles).AccessKeyId;
        Assert.Equal(
            [("AssumeRole", environmentKey, FakeAwsFixture.Region, "sts"), ("GetRole", assumedKey, "us-east-1", "iam"),
             ("DescribeTaskDefinition", assumedKey, FakeAwsFixture.Region, "ecs"), ("Publish", assumedKey, FakeAwsFixture.Region, "sns")],
            server.Calls.All.Select(c => (c.Operation, c.Scope!.AccessKeyId, c.Scope.Region, c.Scope.Service)));
        Assert.Equal(FakeAwsFixture.Region, aws.Region);
    }
}
