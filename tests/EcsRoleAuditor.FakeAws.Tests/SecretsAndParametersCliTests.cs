namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>Secrets Manager DescribeSecret and SSM DescribeParameters through the AWS CLI (<c>/usr/bin/aws</c>).</summary>
public sealed class SecretsAndParametersCliTests : IAsyncLifetime
{
    private const string Region = "eu-west-1";
    private const string Cmk = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private FakeAwsServer _aws = null!;
    private FakeSecret _managed = null!;
    private FakeSecret _customer = null!;

    public async Task InitializeAsync()
    {
        var account = new FakeAccount { AccountId = "111122223333", Region = Region };
        _managed = account.AddSecret("orders/db");
        _customer = account.AddSecret("arn:aws:secretsmanager:eu-west-1:111122223333:secret:billing/api-Ab12Cd", Cmk);
        account.AddParameter("/orders/password", "SecureString", Cmk);
        account.AddParameter("/orders/token", "SecureString");
        account.AddParameter("/orders/url");
        account.AddParameter("plain", "StringList");
        _aws = await FakeAwsServer.StartAsync(account);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    // "DescribeSecret" (AWS Secrets Manager API Reference): SecretId is the ARN or name; KmsKeyId is omitted when the AWS
    // managed key aws/secretsmanager encrypts the secret. "Finding a secret from a partial ARN" (User Guide): an ARN
    // without the random suffix finds the one secret it begins.
    [Fact]
    public async Task Describe_secret_finds_a_secret_by_arn_partial_arn_and_name_and_names_only_a_customer_managed_key()
    {
        var byArn = (await AwsCli.RunAsync(_aws, "secretsmanager", "describe-secret", "--secret-id", _customer.Arn)).Json();
        var byPartialArn = (await AwsCli.RunAsync(_aws, "secretsmanager", "describe-secret", "--secret-id", _customer.Arn[..^7])).Json();
        var byName = (await AwsCli.RunAsync(_aws, "secretsmanager", "describe-secret", "--secret-id", "orders/db")).Json();
        var missing = await AwsCli.RunAsync(_aws, "secretsmanager", "describe-secret", "--secret-id", "no/such");

        Assert.Equal((_customer.Arn, "billing/api", Cmk), (byArn["ARN"]!.GetValue<string>(), byArn["Name"]!.GetValue<string>(), byArn["KmsKeyId"]!.GetValue<string>()));
        Assert.Equal(_customer.Arn, byPartialArn["ARN"]!.GetValue<string>());
        Assert.Equal(_managed.Arn, byName["ARN"]!.GetValue<string>());
        Assert.Null(byName["KmsKeyId"]);
        Assert.Contains("ResourceNotFoundException", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal([200, 200, 200, 400], _aws.Calls.All.Select(c => c.StatusCode));
        Assert.All(_aws.Calls.All, c => Assert.Equal("secretsmanager", c.Service));
    }

    [Fact]
    public async Task A_denied_secret_answers_access_denied_naming_the_action_and_the_others_still_answer()
    {
        _aws.Reset().Faults.DenyAccess("DescribeSecret", resource: "billing/api");

        var denied = await AwsCli.RunAsync(_aws, "secretsmanager", "describe-secret", "--secret-id", _customer.Arn);
        var other = await AwsCli.RunAsync(_aws, "secretsmanager", "describe-secret", "--secret-id", _managed.Arn);

        Assert.Contains("AccessDeniedException", denied.Stderr, StringComparison.Ordinal);
        Assert.Contains("secretsmanager:DescribeSecret", denied.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, other.ExitCode);
    }

    // "DescribeParameters" and "ParameterStringFilter" (AWS Systems Manager API Reference): ParameterFilters Key Name,
    // Option Equals, up to 50 Values; MaxResults 1 to 50 with NextToken; KeyId alias/aws/ssm for the AWS managed key.
    [Fact]
    public async Task Describe_parameters_filters_by_name_pages_and_gives_a_secure_strings_key()
    {
        _aws.Reset().MaxPageSize = 1;

        var printed = (await AwsCli.RunAsync(_aws, "ssm", "describe-parameters", "--parameter-filters",
            "Key=Name,Option=Equals,Values=/orders/password,/orders/token,/orders/url,/no/such")).Json();

        var parameters = printed["Parameters"]!.AsArray();
        Assert.Equal(["/orders/password", "/orders/token", "/orders/url"], parameters.Select(p => p!["Name"]!.GetValue<string>()));
        Assert.Equal(["SecureString", "SecureString", "String"], parameters.Select(p => p!["Type"]!.GetValue<string>()));
        Assert.Equal([Cmk, "alias/aws/ssm", null], parameters.Select(p => p!["KeyId"]?.GetValue<string>()));
        // ParameterMetadata's ARN is newer than this CLI's model, which drops it: the clients match parameters by Name.
        Assert.Equal(3, _aws.CallCount("DescribeParameters"));
        Assert.All(_aws.Calls.All, c => Assert.Equal(("ssm", 200), (c.Service, c.StatusCode)));
    }

    [Fact]
    public async Task More_than_50_names_in_a_filter_are_a_validation_error()
    {
        _aws.Reset();
        var names = string.Join(",", Enumerable.Range(0, 51).Select(i => $"/p{i}"));

        var run = await AwsCli.RunAsync(_aws, "ssm", "describe-parameters", "--parameter-filters", $"Key=Name,Option=Equals,Values={names}");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ValidationException", run.Stderr, StringComparison.Ordinal);
    }
}
