using System.Net;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws.Tests;

public sealed class FakeAccountTests
{
    [Fact]
    public void Loading_the_demo_files_takes_account_and_region_from_the_arns()
    {
        var account = FakeAccount.Load(DemoAccount.AuthorizationDetailsPath, DemoAccount.TaskDefinitionsPath);

        Assert.Equal(("111122223333", "eu-west-1"), (account.AccountId, account.Region));
        Assert.Equal(5, account.Roles.Count);
        Assert.Equal(3, account.TaskDefinitions.Count);
        var execution = account.Roles.Single(r => r.Name == "orders-api-execution");
        Assert.Equal("/service-role/", execution.Path);
        // The URL-encoded trust policy of the file is kept decoded.
        Assert.StartsWith("{\"Version\":\"2012-10-17\"", execution.TrustPolicy, StringComparison.Ordinal);
        Assert.Equal("v1", account.ManagedPolicies.Single().DefaultVersionId);
    }

    [Fact]
    public void A_single_describe_task_definition_output_with_tags_loads_as_one_revision()
    {
        var account = new FakeAccount();
        account.AddTaskDefinitions("""
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:ap-south-1:444455556666:task-definition/web:3","family":"web","revision":3,
             "status":"INACTIVE","registeredAt":"2025-01-02T03:04:05.500000+00:00","containerDefinitions":[]},
             "tags":[{"key":"team","value":"web"}]}
            """);

        var definition = Assert.Single(account.TaskDefinitions);
        Assert.Equal(("web", 3, "INACTIVE"), (definition.Family, definition.Revision, definition.Status));
        Assert.Equal([new FakeTag("team", "web")], definition.Tags);
        Assert.Equal(1735787045.5, definition.Definition["registeredAt"]!.GetValue<double>());
        Assert.Equal(("444455556666", "ap-south-1"), (account.AccountId, account.Region));
    }

    [Fact]
    public async Task A_generated_account_of_a_thousand_task_definitions_is_listed_completely_page_by_page()
    {
        var account = new FakeAccount { AccountId = "123456789012", Region = "us-west-2" };
        for (var i = 0; i < 200; i++)
        {
            var role = account.AddRole($"app-{i:D3}-task", """{"Version":"2012-10-17","Statement":[]}""");
            role.InlinePolicies.Add(new FakeInlinePolicy("app", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"""));
            for (var revision = 1; revision <= 5; revision++)
            {
                account.AddTaskDefinition($"app-{i:D3}", revision, role.Arn, null);
            }
        }
        await using var aws = await FakeAwsServer.StartAsync(account);
        using var wire = new WireClient(aws);

        var arns = new List<string>();
        string? token = null;
        do
        {
            using var response = await wire.EcsAsync("ListTaskDefinitions", token is null ? "{}" : $$"""{"nextToken":"{{token}}"}""");
            var page = await WireClient.JsonAsync(response);
            arns.AddRange(page["taskDefinitionArns"]!.AsArray().Select(a => a!.GetValue<string>()));
            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);
        using var policy = await wire.IamAsync("GetRolePolicy", ("RoleName", "app-199-task"), ("PolicyName", "app"));

        Assert.Equal(1000, arns.Distinct().Count());
        Assert.Equal("arn:aws:ecs:us-west-2:123456789012:task-definition/app-000:1", arns[0]);
        Assert.Equal(10, aws.CallCount("ListTaskDefinitions"));
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
    }

    [Fact]
    public void Role_arns_give_name_and_path()
    {
        var role = new FakeRole("arn:aws:iam::123456789012:role/a/b/worker", "{}");

        Assert.Equal(("worker", "/a/b/"), (role.Name, role.Path));
        Assert.StartsWith("AROA", role.RoleId, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FakeRole("arn:aws:iam::123456789012:user/bob", "{}"));
        Assert.Throws<ArgumentException>(() => new FakeTaskDefinition(new JsonObject { ["family"] = "x" }));
    }
}
