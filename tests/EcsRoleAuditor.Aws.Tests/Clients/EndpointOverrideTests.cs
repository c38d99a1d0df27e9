using Amazon;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Ecs;
using EcsRoleAuditor.Aws.Iam;

namespace EcsRoleAuditor.Aws.Tests.Clients;

[Collection(ProcessEnvironmentTests.Name)]
public sealed class EndpointOverrideTests
{
    private const string Unreachable = "http://127.0.0.1:9/";

    [Fact]
    public async Task AWS_ENDPOINT_URL_IAM_redirects_iam_which_stays_signed_for_us_east_1()
    {
        using var responder = new RecordingResponder().Xml(AwsExamples.GetRole);
        using var environment = new EnvironmentScope().Set("AWS_ENDPOINT_URL_IAM", responder.Url).Set("AWS_ENDPOINT_URL", Unreachable);
        using var iam = new IamClient(TestConnections.Keys, new IamClientConfig { RegionEndpoint = RegionEndpoint.EUWest1 });

        var role = await iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal("S3Access", role.RoleName);
        Assert.Equal((TestConnections.AccessKey, "us-east-1", "iam"), responder.OnlyRequest.CredentialScope);
    }

    [Fact]
    public async Task AWS_ENDPOINT_URL_redirects_every_service_and_each_keeps_its_signing_region()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListTaskDefinitionFamilies);
        using var environment = new EnvironmentScope().Set("AWS_ENDPOINT_URL", responder.Url);
        using var aws = AwsConnection.Open(new AwsConnectionOptions { Region = "eu-west-1", Credentials = TestConnections.Keys });

        await aws.Ecs.ListTaskDefinitionFamiliesAsync("web", Api.TaskDefinitionStatus.Active, null, CancellationToken.None);
        responder.Xml(AwsExamples.GetRole);
        await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);

        Assert.Equal(("eu-west-1", "ecs"), (responder.Requests[0].CredentialScope.Region, responder.Requests[0].CredentialScope.Service));
        Assert.Equal(("us-east-1", "iam"), (responder.Requests[1].CredentialScope.Region, responder.Requests[1].CredentialScope.Service));
    }

    [Fact]
    public async Task AWS_ENDPOINT_URL_ORGANIZATIONS_redirects_organizations_which_stays_signed_for_us_east_1()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListAccountsLastPage);
        using var environment = new EnvironmentScope().Set("AWS_ENDPOINT_URL_ORGANIZATIONS", responder.Url).Set("AWS_ENDPOINT_URL", Unreachable);
        using var aws = AwsConnection.Open(new AwsConnectionOptions { Region = "eu-central-1", Credentials = TestConnections.Keys });

        var page = await aws.Organizations.ListAccountsAsync(null, CancellationToken.None);

        Assert.Equal(3, page.Items.Count);
        Assert.Equal((TestConnections.AccessKey, "us-east-1", "organizations"), responder.OnlyRequest.CredentialScope);
    }

    [Fact]
    public async Task AWS_ENDPOINT_URL_SQS_redirects_sqs_signed_for_the_region()
    {
        (string, string)[] sweep = [("a111122223333-eu-central-1", """{"sweep":{"accountId":"111122223333","region":"eu-central-1"}}""")];
        using var responder = new RecordingResponder().Json10(AwsExamples.SendMessageBatchAnswer(sweep));
        using var environment = new EnvironmentScope().Set("AWS_ENDPOINT_URL_SQS", responder.Url).Set("AWS_ENDPOINT_URL", Unreachable);
        using var aws = AwsConnection.Open(new AwsConnectionOptions { Region = "eu-central-1", Credentials = TestConnections.Keys });

        var result = await aws.Sqs.SendMessageBatchAsync("https://sqs.eu-central-1.amazonaws.com/111122223333/sweep", sweep, CancellationToken.None);

        Assert.Equal(["a111122223333-eu-central-1"], result.Successful);
        Assert.Equal((TestConnections.AccessKey, "eu-central-1", "sqs"), responder.OnlyRequest.CredentialScope);
    }

    [Fact]
    public void A_connection_creates_the_organization_mode_clients_only_when_they_are_used()
    {
        using var environment = new EnvironmentScope();
        using var aws = AwsConnection.Open(new AwsConnectionOptions { Region = "eu-west-1", Credentials = TestConnections.Keys });

        _ = (aws.Iam, aws.Ecs, aws.Sns);
        Assert.Equal((false, false, false, false), aws.LazyClientsCreated);

        _ = aws.Organizations;
        _ = aws.Sqs;
        Assert.Equal((false, true, true, false), aws.LazyClientsCreated);

        _ = aws.SecurityHub;
        Assert.Equal((false, true, true, true), aws.LazyClientsCreated);
    }

    [Fact]
    public async Task A_profile_supplies_region_credentials_and_endpoint_url()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.DescribeTaskDefinition);
        using var environment = new EnvironmentScope(
            config: $"[profile audit]\nregion = eu-north-1\nendpoint_url = {responder.Url}\n",
            credentials: "[audit]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profileSecretEXAMPLE\n");
        using var aws = AwsConnection.Open(new AwsConnectionOptions { Profile = "audit" });

        await aws.Ecs.DescribeTaskDefinitionAsync("hello_world:8", true, CancellationToken.None);

        Assert.Equal("eu-north-1", aws.Region);
        Assert.Equal(("AKIDPROFILE", "eu-north-1", "ecs"), responder.OnlyRequest.CredentialScope);
    }

    [Fact]
    public void Without_a_region_opening_fails_with_the_no_region_message()
    {
        using var environment = new EnvironmentScope();

        var error = Assert.Throws<NoRegionException>(() => AwsConnection.Open(new AwsConnectionOptions { Credentials = TestConnections.Keys }));

        Assert.Equal("no region: pass --region or set AWS_REGION", error.Message);
    }

    [Fact]
    public void AWS_REGION_is_the_region_when_none_is_passed()
    {
        using var environment = new EnvironmentScope().Set("AWS_REGION", "sa-east-1");

        using var aws = AwsConnection.Open(new AwsConnectionOptions { Credentials = TestConnections.Keys });

        Assert.Equal("sa-east-1", aws.Region);
    }

    [Fact]
    public void An_unknown_profile_fails_with_a_no_credentials_error_naming_it()
    {
        using var environment = new EnvironmentScope();

        var error = Assert.Throws<NoCredentialsException>(() => AwsConnection.Open(new AwsConnectionOptions { Profile = "nobody", Region = "eu-west-1" }));

        Assert.StartsWith("no AWS credentials found", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nobody'", error.Message, StringComparison.Ordinal);
    }
}
