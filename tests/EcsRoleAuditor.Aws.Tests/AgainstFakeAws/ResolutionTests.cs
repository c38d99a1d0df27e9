using EcsRoleAuditor.TestData;
using System.Text.Json;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.FakeAws;
using static EcsRoleAuditor.Aws.Tests.Resolution.ResolutionFixtures;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>Role and task definition resolution through our clients and the fake AWS, down to the audit's findings.</summary>
public sealed class ResolutionTests(FakeAwsFixture fixture) : IClassFixture<FakeAwsFixture>
{
    private const string WebRoleArn = "arn:aws:iam::111122223333:role/service-role/web";
    private const string AppDataArn = "arn:aws:iam::111122223333:policy/app-data";

    public static TheoryData<string, bool> References => new()
    {
        { WebRoleArn, false }, { "web", false }, { "web-execution", false }, { "arn:aws:iam::111122223333:role/web-execution", false },
        { WebRoleArn, true }, { "web", true }, { "legacy", true },
    };

    [Theory]
    [MemberData(nameof(References))]
    public async Task A_role_read_through_the_fake_is_the_role_the_offline_snapshot_reads_from_the_same_account(string reference, bool bulk)
    {
        fixture.Fresh();
        using var aws = fixture.Connect();
        var directory = bulk ? (IRoleDirectory)new AuthorizationDetailsDirectory(aws.Iam, new IamRoleDirectoryOptions(FakeAwsFixture.AccountId, Cache: new ManagedPolicyCache())) : PerRole(aws.Iam).Directory;

        var role = Found(await directory.FindAsync(reference, CancellationToken.None));

        Assert.Equal(Describe(Found(await Snapshot().FindAsync(reference, CancellationToken.None))), Describe(role));
    }

    [Fact]
    public async Task A_role_with_a_path_brings_its_trust_inline_managed_and_boundary_policies_at_their_default_versions()
    {
        fixture.Fresh();
        using var aws = fixture.Connect();

        var role = Found(await PerRole(aws.Iam).Directory.FindAsync(WebRoleArn, CancellationToken.None));

        Assert.Equal(("web", "/service-role/"), (role.Name, role.Path));
        Assert.Equal("ecs-tasks.amazonaws.com", role.TrustPolicy!.Document.Statements[0].Principals!.Entries[0].Value);
        Assert.Equal(
            ["inline policy queue", "inline policy table", "inline policy bucket", $"managed policy {AppDataArn} (v2)",
             "managed policy arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy (v1)", "managed policy arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess (v3)"],
            role.Policies.Select(p => p.Source.ToString()));
        Assert.Equal(["100% café & <crème>", "a b+c"], role.Policies[1].Document.Statements[0].Conditions[0].Values.ToArray());
        Assert.Equal("arn:aws:iam::111122223333:policy/boundaries/ecs-boundary", role.Boundary!.Source.Arn);
        Assert.Equal(("web", "prod", ""), (role.Tags["team"], role.Tags["env"], role.Tags["note"]));
        Assert.Empty(role.Problems);
    }

    [Fact]
    public async Task A_role_costs_3_plus_N_plus_2M_calls_cold_and_3_plus_N_plus_M_when_its_policy_versions_are_cached()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        var cache = new ManagedPolicyCache();
        var (cold, coldCount) = PerRole(aws.Iam, cache);
        var (warm, warmCount) = PerRole(aws.Iam, cache);

        Found(await cold.FindAsync("web", CancellationToken.None));
        var coldCalls = IamCalls(server);
        Found(await warm.FindAsync("web", CancellationToken.None));

        // web: N = 3 inline, M = 4 managed (three attached and the boundary).
        Assert.Equal((3 + 3 + (2 * 4), 3 + 3 + 4), (coldCount.Total, warmCount.Total));
        Assert.Equal((coldCount.Total, warmCount.Total), (coldCalls, IamCalls(server) - coldCalls));
        Assert.Equal(0, warmCount[AwsActions.GetPolicyVersion.Action]);
    }

    [Fact]
    public async Task A_second_audit_of_the_same_task_definition_makes_the_calls_the_read_plan_estimates_cold_and_warm()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        var definition = await DescribeAsync(aws, ClientOperations.TaskDefinition);
        var cache = new ManagedPolicyCache();
        var (first, cold) = PerRole(aws.Iam, cache);
        var (second, warm) = PerRole(aws.Iam, cache);

        var firstReport = await Auditor.WithAllRules().AuditAsync(definition, first);
        var secondReport = await Auditor.WithAllRules().AuditAsync(definition, second);

        // web (N = 3) and web-execution (N = 1) share AmazonECSTaskExecutionRolePolicy: D = 4 distinct managed policies.
        var plan = new RoleReadPlan(Roles: 2, InlinePolicies: 4, DistinctManagedPolicies: 4);
        Assert.Equal((3L * 2) + 4 + (2 * 4), plan.PerRoleCalls);
        Assert.Equal(plan.PerRoleCalls, cold.Total);
        Assert.Equal((plan with { CachedManagedPolicies = 4 }).PerRoleCalls, warm.Total);
        Assert.Equal(cold.Total + warm.Total, IamCalls(server));
        Assert.Equal(Findings(firstReport), Findings(secondReport));
    }

    [Fact]
    public async Task The_bulk_path_reads_every_page_once_as_the_read_plan_estimates_and_audits_as_the_per_role_path()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        var definition = await DescribeAsync(aws, ClientOperations.TaskDefinition);
        server.MaxPageSize = 3;
        var counter = new ApiCallCounter();

        TaskDefinitionReport bulk;
        using (ApiCallCounting.Begin(counter))
        {
            bulk = await Auditor.WithAllRules().AuditAsync(definition, new AuthorizationDetailsDirectory(aws.Iam, new IamRoleDirectoryOptions(FakeAwsFixture.AccountId, Cache: new ManagedPolicyCache())));
        }
        var perRole = await Auditor.WithAllRules().AuditAsync(definition, PerRole(aws.Iam).Directory);

        var plan = new RoleReadPlan(Roles: 2, AccountRoles: fixture.Account.Roles.Count, CustomerManagedPolicies: 2, AwsManagedPolicies: 2, PageSize: 3);
        Assert.Equal(3, plan.BulkCalls);
        Assert.Equal(plan.BulkCalls, counter.Total);
        Assert.Equal(plan.BulkCalls, server.CallCount("GetAccountAuthorizationDetails"));
        Assert.Equal(Findings(perRole), Findings(bulk));
    }

    [Theory]
    [InlineData("worker:1", "ERA004", "gone")]
    [InlineData("reports:1", "ERA047", "inline policy reports")]
    public async Task A_deleted_role_and_a_malformed_policy_are_findings_naming_them(string taskDefinition, string ruleId, string naming)
    {
        fixture.Fresh();
        using var aws = fixture.Connect();

        var report = await AuditAsync(aws, taskDefinition);

        // The ID is the test case's name; the finding is picked by the rule it resolves to, and read as the report prints it.
        var rule = RuleCatalog.Find(ruleId)!.Descriptor;
        Assert.Contains(report.Findings, f => f.Rule == rule && Line(f).Contains(naming, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Access_denied_on_one_policy_version_is_ERA005_naming_the_action_and_the_resource_and_the_rest_is_audited()
    {
        var server = fixture.Fresh();
        server.Faults.DenyAccess("GetPolicyVersion", resource: AppDataArn);
        using var aws = fixture.Connect();

        var report = await AuditAsync(aws, ClientOperations.TaskDefinition);

        var era005 = Assert.Single(report.Findings, f => f.Rule == IncompleteAuditRule.Rule);
        Assert.Contains($"access denied: iam:GetPolicyVersion on {AppDataArn} v2", era005.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Calls.All.Count(c => c.ErrorCode == "AccessDenied"));
    }

    [Fact]
    public async Task Task_definitions_are_described_with_their_tags_and_failures_are_values_naming_the_ecs_action()
    {
        var server = fixture.Fresh();
        using var aws = fixture.Connect();
        var source = new TaskDefinitionSource(aws.Ecs);

        var found = Assert.IsType<TaskDefinitionLookup.Found>(await source.DescribeAsync(ClientOperations.TaskDefinition, CancellationToken.None));
        var missing = Assert.IsType<TaskDefinitionLookup.Failed>(await source.DescribeAsync("web:99", CancellationToken.None));
        server.Faults.DenyAccess("DescribeTaskDefinition", resource: "worker");
        var denied = Assert.IsType<TaskDefinitionLookup.Failed>(await source.DescribeAsync("worker:1", CancellationToken.None));

        Assert.Equal((WebRoleArn, "web-execution"), (found.Definition.TaskRoleArn, found.Definition.ExecutionRoleArn));
        Assert.Equal("42 & more", found.Definition.Tags["cost-centre"]);
        Assert.Equal(AwsFailureKind.NotFound, missing.Failure.Kind);
        Assert.Equal((AwsFailureKind.AccessDenied, AwsActions.DescribeTaskDefinition), (denied.Failure.Kind, denied.Failure.Operation));
    }

    [Fact]
    public async Task Listing_the_latest_active_revisions_follows_every_page_of_active_revisions()
    {
        var server = fixture.Fresh();
        server.MaxPageSize = 1;
        using var aws = fixture.Connect();
        var counter = new ApiCallCounter();

        TaskDefinitionListing listing;
        using (ApiCallCounting.Begin(counter))
        {
            listing = await new TaskDefinitionSource(aws.Ecs).ListLatestActiveAsync(CancellationToken.None);
        }

        Assert.Null(listing.Failure);
        Assert.Equal(["reports:1", "web:3", "worker:1"], listing.Arns.Select(a => a.Split('/')[^1]));
        // 4 ACTIVE revisions (web:2 and web:3) of 3 families on pages of one: never more pages than families + 1.
        Assert.Equal((0, 4), (server.CallCount("ListTaskDefinitionFamilies"), server.CallCount("ListTaskDefinitions")));
        Assert.Equal(4, counter.Total);
    }

    private static int IamCalls(FakeAwsServer server) => server.Calls.All.Count(c => c.Service == "iam");

    private static RecordedAccount Snapshot()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FakeAwsFixture.FilePath("account.json")));
        return RecordedAccount.Read(document.RootElement, "account.json");
    }

    private static async Task<TaskDefinition> DescribeAsync(AwsConnection aws, string reference) =>
        Assert.IsType<TaskDefinitionLookup.Found>(await new TaskDefinitionSource(aws.Ecs).DescribeAsync(reference, CancellationToken.None)).Definition;

    private static async Task<TaskDefinitionReport> AuditAsync(AwsConnection aws, string reference) =>
        await Auditor.WithAllRules().AuditAsync(await DescribeAsync(aws, reference), PerRole(aws.Iam).Directory);

    private static List<string> Findings(TaskDefinitionReport report) => [.. report.Findings.Select(Line)];

    private static string Line(Finding f) => $"{f.RuleId} {f.Severity} {f.RoleSlot} {f.RoleArn} {f.Source} | {f.Message}";
}
