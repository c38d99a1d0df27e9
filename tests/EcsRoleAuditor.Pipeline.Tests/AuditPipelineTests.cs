using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Pipeline.Tests;

/// <summary>The one audit path: targets to task definitions, the role read plan, the audit, the sink and the outcome.</summary>
public class AuditPipelineTests(FakeAwsDemo fake) : IClassFixture<FakeAwsDemo>
{
    private static AuditPipeline Pipeline(AuditSources? sources = null) => new(sources ?? Demo.Sources(), Auditor.WithAllRules());

    [Fact]
    public async Task Every_active_task_definition_is_audited_and_handed_to_the_sink_as_it_is_known()
    {
        var sink = new CollectingSink();
        using var aws = fake.Connect();

        var outcome = await Pipeline(fake.Sources(aws)).RunAsync(new AuditTargets.AllActive(AllRevisions: false), sink, CancellationToken.None);

        Assert.Equal(["billing-worker:12", "legacy-reports:3", "orders-api:7"], outcome.Reports.Select(r => r.DisplayName).Order(StringComparer.Ordinal));
        Assert.Equal(outcome.Reports, sink.Reports);
        Assert.Empty(outcome.Unfinished);
        Assert.DoesNotContain(outcome.AllReports, r => r.IsIncomplete);
        // The sink sees the run's calls so far, growing with each report.
        Assert.Equal(sink.CallsSoFar.Order(), sink.CallsSoFar);
        Assert.True(sink.CallsSoFar[0] > 0);
        Assert.Equal(outcome.Calls.Total, sink.CallsSoFar[^1]);
    }

    [Fact]
    public async Task A_recorded_run_counts_no_AWS_calls()
    {
        var outcome = await Pipeline().RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);

        Assert.Equal(3, outcome.Reports.Length);
        Assert.Equal("0 AWS API calls", outcome.Calls.ToString());
    }

    [Fact]
    public async Task Given_task_definitions_are_audited_without_asking_ECS()
    {
        var definition = Assert.IsType<TaskDefinitionLookup.Found>(await new TaskDefinitionSource(Demo.Ecs()).DescribeAsync("orders-api:7", CancellationToken.None)).Definition;

        using var aws = fake.Connect();

        var outcome = await Pipeline(fake.Sources(aws)).RunAsync(new AuditTargets.Named([new TaskDefinitionTarget("orders-api:7", definition)]), null, CancellationToken.None);

        Assert.Single(outcome.Reports);
        Assert.Equal(0, outcome.Calls.ByOperation().Where(c => c.Key.StartsWith("ecs:", StringComparison.Ordinal)).Sum(c => c.Value));
        Assert.Equal(2, outcome.Calls[AwsActions.GetRole.Action]);
    }

    [Fact]
    public async Task A_role_change_audits_only_the_active_task_definitions_that_name_the_role_ignoring_case()
    {
        var outcome = await Pipeline().RunAsync(new AuditTargets.UsingRole("BILLING-worker-task", AllRevisions: false), null, CancellationToken.None);

        Assert.Equal(["billing-worker:12"], outcome.Reports.Select(r => r.DisplayName));
    }

    [Fact]
    public async Task A_managed_policy_change_audits_the_task_definitions_whose_roles_attach_it()
    {
        var outcome = await Pipeline().RunAsync(
            new AuditTargets.UsingManagedPolicy("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", AllRevisions: false), null, CancellationToken.None);

        Assert.Equal(["billing-worker:12", "orders-api:7"], outcome.Reports.Select(r => r.DisplayName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Role_overrides_replace_the_roles_audited()
    {
        var outcome = await Pipeline().RunAsync(new AuditTargets.Named(
            [new TaskDefinitionTarget("orders-api:7", TaskRoleOverride: "arn:aws:iam::111122223333:role/legacy-reports")]), null, CancellationToken.None);

        Assert.Equal("arn:aws:iam::111122223333:role/legacy-reports", Assert.Single(outcome.Reports).TaskRoleArn);
    }

    [Fact]
    public async Task A_listing_that_fails_is_one_unfinished_step_reported_as_ERA005()
    {
        var sources = Demo.Sources();
        var denied = sources with { Ecs = new DenyingEcs(sources.Ecs, "ListTaskDefinitions") };

        var outcome = await Pipeline(denied).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);

        Assert.Empty(outcome.Reports);
        var unfinished = Assert.Single(outcome.Unfinished);
        Assert.Equal(new UnfinishedAudit("ACTIVE task definitions", "listing them failed (AccessDeniedException)", IsStep: true), unfinished);
        var finding = Assert.Single(Assert.Single(outcome.UnfinishedReports).Findings);
        Assert.Same(IncompleteAuditRule.Rule, finding.Rule);
        Assert.Contains("audit --live --all", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains(outcome.AllReports, r => r.IsIncomplete);
    }

    [Fact]
    public async Task A_task_definition_that_cannot_be_described_is_unfinished_and_the_others_are_audited()
    {
        var outcome = await Pipeline().RunAsync(new AuditTargets.Named([new TaskDefinitionTarget("orders-api:7"), new TaskDefinitionTarget("no-such-family:1")]), null, CancellationToken.None);

        Assert.Equal(["orders-api:7"], outcome.Reports.Select(r => r.DisplayName));
        Assert.Equal(new UnfinishedAudit("no-such-family:1", "DescribeTaskDefinition failed (ClientException)"), Assert.Single(outcome.Unfinished));
        Assert.Contains("--task-definition no-such-family:1", Assert.Single(outcome.UnfinishedReports).Findings[0].Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deadline_during_the_audits_leaves_the_rest_unfinished_and_keeps_what_was_reported()
    {
        using var deadline = new CancellationTokenSource();
        var sink = new CollectingSink { AfterEach = deadline.Cancel };

        var outcome = await Pipeline().RunAsync(new AuditTargets.AllActive(AllRevisions: false), sink, deadline.Token);

        var audited = Assert.Single(outcome.Reports);
        Assert.Equal([audited], sink.Reports);
        Assert.Equal(2, outcome.Unfinished.Length);
        Assert.All(outcome.Unfinished, u => Assert.Equal("the invocation reached its deadline before auditing it", u.Reason));
        Assert.DoesNotContain(outcome.Unfinished, u => u.Reference == audited.TaskDefinitionArn);
    }

    [Fact]
    public async Task Each_run_counts_only_its_own_calls()
    {
        using var aws = fake.Connect();
        var pipeline = Pipeline(fake.Sources(aws));

        var first = await pipeline.RunAsync(new AuditTargets.Named([new TaskDefinitionTarget("orders-api:7")]), null, CancellationToken.None);
        var second = await pipeline.RunAsync(new AuditTargets.Named([new TaskDefinitionTarget("orders-api:7")]), null, CancellationToken.None);

        // Two roles: two GetRole calls in each run, not four in the second; the managed policy version parsed in the
        // first run is not asked for again (the policy cache outlives runs, as in a warm Lambda).
        Assert.Equal(2, first.Calls[AwsActions.GetRole.Action]);
        Assert.Equal(2, second.Calls[AwsActions.GetRole.Action]);
        Assert.Equal(1, first.Calls[AwsActions.GetPolicyVersion.Action]);
        Assert.Equal(0, second.Calls[AwsActions.GetPolicyVersion.Action]);
        Assert.Equal(first.Calls.Total - 1, second.Calls.Total);
    }

    [Fact]
    public async Task The_role_read_plan_follows_the_task_definitions_audited()
    {
        // RoleReadPlan (docs/aws-access.md): two roles cost fewer calls one by one, the five of the three demo task
        // definitions fewer through GetAccountAuthorizationDetails.
        using var aws = fake.Connect();
        var one = await Pipeline(fake.Sources(aws)).RunAsync(new AuditTargets.Named([new TaskDefinitionTarget("orders-api:7")]), null, CancellationToken.None);
        var all = await Pipeline(fake.Sources(aws)).RunAsync(new AuditTargets.AllActive(AllRevisions: false), null, CancellationToken.None);

        Assert.Equal(RoleReadStrategy.PerRole, one.RolePlan!.Strategy);
        Assert.Equal(0, one.Calls[AwsActions.GetAccountAuthorizationDetails.Action]);
        Assert.Equal(2, one.Calls[AwsActions.GetRole.Action]);
        Assert.Equal(RoleReadStrategy.Bulk, all.RolePlan!.Strategy);
        Assert.Equal(1, all.Calls[AwsActions.GetAccountAuthorizationDetails.Action]);
        Assert.Equal(0, all.Calls[AwsActions.GetRole.Action]);
    }

    [Fact]
    public async Task A_throttled_then_answered_request_counts_twice()
    {
        fake.Server.Reset().Faults.Throttle("DescribeTaskDefinition", times: 1);
        using var aws = fake.Connect();

        var outcome = await Pipeline(fake.Sources(aws)).RunAsync(new AuditTargets.Named([new TaskDefinitionTarget("orders-api:7")]), null, CancellationToken.None);

        Assert.Single(outcome.Reports);
        Assert.Equal(2, fake.Server.CallCount("DescribeTaskDefinition"));
        Assert.Equal(2, outcome.Calls[AwsActions.DescribeTaskDefinition.Action]);
    }

    [Fact]
    public async Task Concurrent_runs_in_one_process_count_separately()
    {
        using var aws = fake.Connect();
        AuditTargets one = new AuditTargets.Named([new TaskDefinitionTarget("orders-api:7")]);
        AuditTargets all = new AuditTargets.AllActive(AllRevisions: false);
        // Each run its own policy cache, so neither can ride on a read the other started.
        Task<AuditOutcome> Run(AuditTargets targets) => Pipeline(fake.Sources(aws)).RunAsync(targets, null, CancellationToken.None);
        var aloneOne = await Run(one);
        var aloneAll = await Run(all);
        var sentBefore = fake.Server.Calls.All.Count;

        var together = await Task.WhenAll(Run(one), Run(all));

        Assert.Equal(aloneOne.Calls.ByOperation(), together[0].Calls.ByOperation());
        Assert.Equal(aloneAll.Calls.ByOperation(), together[1].Calls.ByOperation());
        Assert.Equal(fake.Server.Calls.All.Count - sentBefore, together[0].Calls.Total + together[1].Calls.Total);
    }

    [Fact]
    public async Task Per_role_and_bulk_reads_of_one_recording_give_the_same_reports()
    {
        var iam = Demo.Iam();
        var definitions = (await Pipeline().RunAsync(new AuditTargets.AllActive(false), null, CancellationToken.None)).Reports;
        var describe = new TaskDefinitionSource(Demo.Ecs());
        foreach (var report in definitions)
        {
            var definition = Assert.IsType<TaskDefinitionLookup.Found>(await describe.DescribeAsync(report.TaskDefinitionArn!, CancellationToken.None)).Definition;
            using var perRole = new IamRoleDirectory(iam, iam.DirectoryOptions);
            var bulk = new AuthorizationDetailsDirectory(iam, iam.DirectoryOptions);

            var a = await Auditor.WithAllRules().AuditAsync(definition, perRole);
            var b = await Auditor.WithAllRules().AuditAsync(definition, bulk);

            Assert.Equal(a.Findings.Select(Said), b.Findings.Select(Said));
        }
    }

    private static string Said(Finding f) =>
        $"{f.RuleId} {f.Severity} {f.RoleArn} {f.RoleSlot} {f.Source} {f.Statement} {string.Join(",", f.Actions)} {string.Join(",", f.Resources)} {f.Conditional} {f.Message} {f.Remediation}";

    private sealed class CollectingSink : IAuditSink
    {
        public List<TaskDefinitionReport> Reports { get; } = [];

        public List<long> CallsSoFar { get; } = [];

        public Action? AfterEach { get; init; }

        public Task ReportedAsync(TaskDefinitionReport report, TaskDefinition definition, TimeSpan duration, long apiCallsSoFar)
        {
            Reports.Add(report);
            CallsSoFar.Add(apiCallsSoFar);
            AfterEach?.Invoke();
            return Task.CompletedTask;
        }
    }
}
