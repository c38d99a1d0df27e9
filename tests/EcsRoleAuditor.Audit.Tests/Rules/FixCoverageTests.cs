using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>
/// What <see cref="FixCoverage"/> claims, checked by the audit itself: a task definition re-registered with the
/// execution role fix writes (the role holding that policy and trust and nothing else, the other roles as they were)
/// shows none of the findings the reports and alerts say fix settles.
/// </summary>
public sealed class FixCoverageTests
{
    [Fact]
    public async Task After_the_written_execution_role_is_applied_no_finding_fix_claims_to_settle_is_left()
    {
        var inputs = new List<(string Name, TaskDefinition Definition, IRoleDirectory Roles)>();
        using (var account = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", "account.json"))))
        using (var definitions = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", "task-definitions.json"))))
        {
            var demo = RecordedAccount.Read(account.RootElement, "demo account");
            inputs.AddRange(TaskDefinitionReader.Read(definitions.RootElement, "demo task definitions").Select(d => ($"demo {d.DisplayName}", d, (IRoleDirectory)demo)));
        }
        foreach (var rule in RuleCatalog.All)
        {
            var scenario = Scenario.Parse(rule.Examples.Bad.ScenarioJson, $"{rule.Descriptor.Id} bad example");
            inputs.Add(($"{rule.Descriptor.Id} bad example", scenario.TaskDefinition, scenario));
        }
        foreach (var (name, json) in ExecutionRoleScenarios)
        {
            var scenario = Scenario.Parse(json, name);
            inputs.Add((name, scenario.TaskDefinition, scenario));
        }
        var auditor = Auditor.WithAllRules();
        var settledBefore = new HashSet<string>(StringComparer.Ordinal);
        var left = new List<string>();
        foreach (var (name, definition, roles) in inputs)
        {
            var fix = ExecutionRoleFix.For(definition);
            if (!fix.Placeholders.IsEmpty)
            {
                continue; // fix says the role is unfinished (the account is unknown): nothing is claimed settled by applying it as is.
            }
            var before = await auditor.AuditAsync(definition, roles);
            settledBefore.UnionWith(before.ActiveFindings.Where(FixCoverage.Settles).Select(f => f.RuleId));
            var after = await auditor.AuditAsync(definition with { ExecutionRoleArn = fix.RoleArn }, new WithWrittenRole(roles, Written(fix)));
            left.AddRange(after.ActiveFindings.Where(FixCoverage.Settles).Select(f => $"{name}: {f.RuleId} {f.RoleSlot} {f.Message}"));
        }

        Assert.Empty(left);
        // The check means something: the demo and the examples have findings of most of the rules fix settles.
        Assert.Superset(new HashSet<string>(["ERA001", "ERA002", "ERA003", "ERA011", "ERA012", "ERA020", "ERA021", "ERA022", "ERA040", "ERA042", "ERA043"], StringComparer.Ordinal), settledBefore);
    }

    // The rule examples put trust and breadth problems on the task role; these put them on the execution role.
    private static readonly (string Name, string Json)[] ExecutionRoleScenarios =
    [
        ("a broad execution role trusted by anyone in ECS and by another account", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","family":"web","revision":3,
              "executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"},
                                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]},
                       "inline":{"everything":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
                                 {"Effect":"Allow","Action":["dynamodb:PutItem","sqs:SendMessage"],"Resource":"*"}]}},
                       "managed":{"arn:aws:iam::aws:policy/AdministratorAccess":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}}]}
            """),
        ("the service-linked role as execution role", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3","family":"web","revision":3,
              "executionRoleArn":"arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
              "containerDefinitions":[{"name":"web","image":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS","path":"/aws-service-role/ecs.amazonaws.com/",
                       "trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}}]}
            """),
    ];

    // The role as fix writes it: its trust and its policy, nothing else.
    private static Role Written(ExecutionRoleFix fix)
    {
        var arn = Arn.Parse(fix.RoleArn);
        return new Role(fix.RoleArn, arn.ResourceName, "/" + arn.ResourceId[..^arn.ResourceName.Length],
            new RolePolicy(new FindingSource(SourceKind.TrustPolicy, "trust policy"), PolicyParser.Parse(fix.TrustPolicyJson, "trust policy", PolicyKind.Resource)),
            fix.PolicyJson is { } policy ? [new RolePolicy(new FindingSource(SourceKind.InlinePolicy, "execution"), PolicyParser.Parse(policy, "execution"))] : [],
            null, ImmutableDictionary<string, string>.Empty, []);
    }

    private sealed class WithWrittenRole(IRoleDirectory roles, Role written) : IRoleDirectory
    {
        public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken) =>
            string.Equals(roleReference, written.Arn, StringComparison.OrdinalIgnoreCase)
                ? ValueTask.FromResult<RoleLookup>(new RoleLookup.Found(written))
                : roles.FindAsync(roleReference, cancellationToken);
    }
}
