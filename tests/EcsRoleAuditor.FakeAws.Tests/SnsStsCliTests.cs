namespace EcsRoleAuditor.FakeAws.Tests;

public sealed class SnsStsCliTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private string Topic => $"arn:aws:sns:eu-west-1:111122223333:{DemoAccount.TopicName}";

    [Fact]
    public async Task Sns_publish_with_json_structure_and_attributes_is_captured_as_sent()
    {
        var aws = demo.Fresh();
        var printed = (await AwsCli.RunAsync(aws,
            "sns", "publish", "--topic-arn", Topic, "--subject", "ECS role audit: 2 findings",
            "--message-structure", "json", "--message", """{"default":"2 findings","email":"2 findings in orders-api"}""",
            "--message-attributes",
            """{"team":{"DataType":"String","StringValue":"orders"},"findings":{"DataType":"Number","StringValue":"2"},"rules":{"DataType":"String.Array","StringValue":"[\"ERA001\",\"ERA040\"]"}}""")).Json();

        var published = Assert.Single(aws.Published);
        Assert.Equal(printed["MessageId"]!.GetValue<string>(), published.MessageId);
        Assert.Equal(Topic, published.TopicArn);
        Assert.Equal("ECS role audit: 2 findings", published.Subject);
        Assert.Equal("json", published.MessageStructure);
        Assert.Equal("""{"default":"2 findings","email":"2 findings in orders-api"}""", published.Message);
        Assert.Equal(new PublishedAttributeValue("String", "orders", null), published.Attributes["team"]);
        Assert.Equal(new PublishedAttributeValue("Number", "2", null), published.Attributes["findings"]);
        Assert.Equal(new PublishedAttributeValue("String.Array", """["ERA001","ERA040"]""", null), published.Attributes["rules"]);
        Assert.Equal("sns", aws.Calls.All[0].Scope!.Service);
    }

    [Fact]
    public async Task Sns_rejects_what_sns_rejects()
    {
        var aws = demo.Fresh();
        var unknownTopic = await AwsCli.RunAsync(aws, "sns", "publish", "--topic-arn", Topic + "-gone", "--message", "hi");
        var longSubject = await AwsCli.RunAsync(aws, "sns", "publish", "--topic-arn", Topic, "--message", "hi", "--subject", new string('s', 101));
        var noDefault = await AwsCli.RunAsync(aws, "sns", "publish", "--topic-arn", Topic, "--message-structure", "json", "--message", """{"email":"x"}""");

        Assert.Contains("NotFound", unknownTopic.Stderr, StringComparison.Ordinal);
        Assert.Contains("InvalidParameter", longSubject.Stderr, StringComparison.Ordinal);
        Assert.Contains("No default entry in JSON message body", noDefault.Stderr, StringComparison.Ordinal);
        Assert.Equal([404, 400, 400], aws.Calls.All.Select(c => c.StatusCode));
        Assert.Empty(aws.Published);
    }

    [Fact]
    public async Task Sts_assume_role_issues_credentials_that_then_act_as_the_role()
    {
        // The demo roles trust only ECS tasks, which AWS would not let the test's user assume: a role trusting the account is added.
        var account = DemoAccount.Load();
        account.AddRole("audit-reader", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""");
        await using var aws = await FakeAwsServer.StartAsync(account);
        const string RoleArn = "arn:aws:iam::111122223333:role/audit-reader";
        var assumed = (await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", RoleArn, "--role-session-name", "audit")).Json();
        var credentials = assumed["Credentials"]!;
        var identity = (await AwsCli.RunAsync(aws, "eu-west-1", new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials["AccessKeyId"]!.GetValue<string>(),
            ["AWS_SECRET_ACCESS_KEY"] = credentials["SecretAccessKey"]!.GetValue<string>(),
            ["AWS_SESSION_TOKEN"] = credentials["SessionToken"]!.GetValue<string>(),
        }, "sts", "get-caller-identity")).Json();

        Assert.Equal("arn:aws:sts::111122223333:assumed-role/audit-reader/audit", assumed["AssumedRoleUser"]!["Arn"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(credentials["Expiration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(50));
        var record = Assert.Single(aws.AssumedRoles);
        Assert.Equal((RoleArn, "audit"), (record.RoleArn, record.RoleSessionName));
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/audit-reader/audit", identity["Arn"]!.GetValue<string>());
        Assert.Equal("111122223333", identity["Account"]!.GetValue<string>());
        Assert.Equal(assumed["AssumedRoleUser"]!["AssumedRoleId"]!.GetValue<string>(), identity["UserId"]!.GetValue<string>());
        var second = aws.Calls.All[1];
        Assert.Equal((credentials["AccessKeyId"]!.GetValue<string>(), "sts"), (second.Scope!.AccessKeyId, second.Scope.Service));
        Assert.Equal(credentials["SessionToken"]!.GetValue<string>(), second.SecurityToken);
    }

    [Fact]
    public async Task Sts_get_caller_identity_names_the_account_caller_and_assume_role_of_a_missing_role_is_denied()
    {
        var aws = demo.Fresh();
        var identity = (await AwsCli.RunAsync(aws, "sts", "get-caller-identity")).Json();
        var denied = await AwsCli.RunAsync(aws, "sts", "assume-role", "--role-arn", "arn:aws:iam::111122223333:role/gone", "--role-session-name", "audit");

        Assert.Equal("arn:aws:iam::111122223333:user/auditor", identity["Arn"]!.GetValue<string>());
        Assert.StartsWith("AIDA", identity["UserId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("AccessDenied", denied.Stderr, StringComparison.Ordinal);
        Assert.Contains("sts:AssumeRole on resource: arn:aws:iam::111122223333:role/gone", denied.Stderr, StringComparison.Ordinal);
    }
}
