using System.Text.Json;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>audit --terraform-plan</c> has the findings of <c>audit --live</c> on the account the plan deploys: the fake AWS is
/// loaded with what applying the plan makes, as the AWS CLI prints it (<c>aws iam get-account-authorization-details</c>,
/// <c>aws ecs describe-task-definition</c>; <c>Terraform/Plans/deployed/</c>), so a plan is judged as its deployment.
/// </summary>
public sealed class TerraformPlanEquivalenceTests
{
    private static readonly string Plans = Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests", "Terraform", "Plans");

    private static IEnumerable<string> Findings(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("reports").EnumerateArray()
            .SelectMany(r => r.GetProperty("findings").EnumerateArray())
            .Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("severity").GetString()} {f.GetProperty("roleSlot").GetString()} "
                + $"{f.GetProperty("source").GetProperty("kind").GetString()} {f.GetProperty("source").GetProperty("name").GetString()} {f.GetProperty("statement")} "
                + string.Join(",", f.GetProperty("actions").EnumerateArray().Select(a => a.GetString())))
            .Order(StringComparer.Ordinal);

    [Theory]
    [InlineData("swapped-roles", "billing-worker:1")]
    [InlineData("unreadable-secret", "orders-api:1")]
    public async Task A_plan_has_the_findings_of_the_account_it_deploys(string name, string taskDefinition)
    {
        await using var aws = await FakeAwsServer.StartAsync(FakeAccount.Load(
            Path.Combine(Plans, "deployed", $"{name}.iam.json"), Path.Combine(Plans, "deployed", $"{name}.task-definition.json")));

        var plan = CliRun.Of("audit", "--terraform-plan", Path.Combine(Plans, $"{name}.json"), "--format", "json");
        var live = await CliProcess.RunAsync(aws.ClientEnvironment(), ["audit", "--live", "--task-definition", taskDefinition, "--format", "json"]);

        Assert.Equal(1, plan.ExitCode);
        Assert.Equal(live.ExitCode, plan.ExitCode);
        Assert.NotEmpty(Findings(plan.Stdout));
        Assert.Equal(Findings(live.Stdout), Findings(plan.Stdout));
    }
}
