using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.TestData;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>
/// One task definition audited with every rule (target ≤ 1 ms), roles already read: the demo's three task definitions
/// (recommended, swapped jobs, one over-powered role) and a heavy one whose task role holds ReadOnlyAccess +
/// AmazonECS_FullAccess and whose execution role holds AmazonECSTaskExecutionRolePolicy + AmazonS3FullAccess.
/// Warm: the catalog has expanded these patterns before (every audit after the first in a Lambda process).
/// Cold: the heavy audit on a catalog no one has used, loaded before the measurement as in EffectivePermissionsBenchmark.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AuditBenchmark
{
    private const int ColdInvocations = 32;

    private RecordedAccount _account = null!;
    private Dictionary<string, TaskDefinition> _demo = null!;
    private Scenario _heavy = null!;
    private readonly Auditor _auditor = Auditor.WithAllRules();
    private readonly Queue<Auditor> _coldAuditors = new(ColdInvocations);

    [GlobalSetup]
    public void Setup()
    {
        var demo = Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");
        using (var iam = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(demo, "account.json"))))
        {
            _account = RecordedAccount.Read(iam.RootElement, "account.json");
        }
        using (var definitions = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(demo, "task-definitions.json"))))
        {
            _demo = TaskDefinitionReader.Read(definitions.RootElement, "task-definitions.json").ToDictionary(d => d.Family);
        }
        _heavy = Scenario.Parse(HeavyScenario(), "heavy");
        foreach (var name in _demo.Keys)
        {
            _ = Run(_auditor, _demo[name], _account);
        }
        _ = Run(_auditor, _heavy.TaskDefinition, _heavy);
    }

    [IterationSetup(Target = nameof(HeavyCold))]
    public void LoadFreshCatalogs()
    {
        _coldAuditors.Clear();
        for (var i = 0; i < ColdInvocations; i++)
        {
            _coldAuditors.Enqueue(new Auditor(RuleCatalog.All, [], ActionCatalog.LoadEmbedded()));
        }
    }

    /// <summary>orders-api:7, wired the way AWS recommends: no finding.</summary>
    [Benchmark(Baseline = true)]
    public TaskDefinitionReport Recommended() => Run(_auditor, _demo["orders-api"], _account);

    /// <summary>billing-worker:12, the two roles' jobs swapped.</summary>
    [Benchmark]
    public TaskDefinitionReport Swapped() => Run(_auditor, _demo["billing-worker"], _account);

    /// <summary>legacy-reports:3, one role with PassRole on * in both slots.</summary>
    [Benchmark]
    public TaskDefinitionReport OverPowered() => Run(_auditor, _demo["legacy-reports"], _account);

    /// <summary>Four broad AWS managed policies on the two roles.</summary>
    [Benchmark]
    public TaskDefinitionReport Heavy() => Run(_auditor, _heavy.TaskDefinition, _heavy);

    /// <summary>The heavy audit on a fresh catalog (first audit of a Lambda cold start, catalog load excluded).</summary>
    [Benchmark]
    [InvocationCount(ColdInvocations)]
    public TaskDefinitionReport HeavyCold() => Run(_coldAuditors.Dequeue(), _heavy.TaskDefinition, _heavy);

    /// <summary>
    /// orders-api:7 with its roles read afresh, as a Lambda invocation reads them: what a role can do is computed again
    /// (the warm cases above reuse it, as a sweep auditing several task definitions of one role does).
    /// </summary>
    [Benchmark]
    public TaskDefinitionReport RecommendedFreshRoles() => Run(_auditor, _demo["orders-api"], new FreshRoles(_account));

    /// <summary>legacy-reports:3 with its role read afresh.</summary>
    [Benchmark]
    public TaskDefinitionReport OverPoweredFreshRoles() => Run(_auditor, _demo["legacy-reports"], new FreshRoles(_account));

    /// <summary>The heavy audit with its roles read afresh (their documents parsed before: the statements' expansions are reused).</summary>
    [Benchmark]
    public TaskDefinitionReport HeavyFreshRoles() => Run(_auditor, _heavy.TaskDefinition, new FreshRoles(_heavy));

    /// <summary>A directory whose every answer is a new Role object, as a fresh read of IAM gives.</summary>
    private sealed class FreshRoles(IRoleDirectory inner) : IRoleDirectory
    {
        public async ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
        {
            var lookup = await inner.FindAsync(roleReference, cancellationToken);
            return lookup is RoleLookup.Found found ? new RoleLookup.Found(found.Role with { }) : lookup;
        }
    }

    private static TaskDefinitionReport Run(Auditor auditor, TaskDefinition definition, IRoleDirectory roles) =>
        auditor.AuditAsync(definition, roles).GetAwaiter().GetResult();

    private static string HeavyScenario()
    {
        static string Managed(params string[] names) =>
            string.Join(",", names.Select(ManagedPolicyCorpus.Get).Select(p => $"{JsonSerializer.Serialize(p.Arn)}:{p.DocumentJson}"));
        const string Definition = """
            {"family":"heavy","revision":1,
             "taskRoleArn":"arn:aws:iam::111122223333:role/heavy-task","executionRoleArn":"arn:aws:iam::111122223333:role/heavy-execution",
             "containerDefinitions":[{"name":"app","image":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/heavy:1",
               "secrets":[{"name":"DB","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf"}],
               "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/heavy","awslogs-region":"eu-west-1","awslogs-stream-prefix":"ecs"}}}]}
            """;
        return "{\"taskDefinition\":" + Definition + ",\"roles\":["
            + "{\"arn\":\"arn:aws:iam::111122223333:role/heavy-task\",\"managed\":{" + Managed("ReadOnlyAccess", "AmazonECS_FullAccess") + "}},"
            + "{\"arn\":\"arn:aws:iam::111122223333:role/heavy-execution\",\"managed\":{" + Managed("AmazonECSTaskExecutionRolePolicy", "AmazonS3FullAccess") + "}}]}";
    }
}
