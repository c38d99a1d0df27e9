using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;
using EcsRoleAuditor.TestData.Scenarios;
using Xunit.Abstractions;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>
/// Every remediation over a corpus — the demo account, every rule's examples, and every current AWS managed policy as a
/// task role and as an execution role — asks only for changes AWS allows, and the statements a fix adds do fix:
/// <list type="bullet">
/// <item>no edit of an AWS managed policy ("You cannot change the permissions defined in AWS managed policies":
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies);</item>
/// <item>nothing changed on a service-linked role ("An IAM administrator can view, but not edit the permissions for
/// service-linked roles": https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html), and such a
/// role used by a task definition is ERA002 alone;</item>
/// <item>no service-role policy attached to another role ("AWS service role policies can only be attached to the
/// service-linked role for that service": https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html);</item>
/// <item>no Allow a Deny or the boundary would override: the statements a fix adds, added to the role, make the finding go.</item>
/// </list>
/// </summary>
public sealed class RemediationConstraintTests(ITestOutputHelper output)
{
    private const string PartialSecret = $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:prod/api-token";

    private static JsonObject CorpusContainer => Container(extra: Merge(Awslogs, Secrets(("DB_PASSWORD", SecretArn), ("API_KEY", "prod/api-key"), ("TOKEN", PartialSecret))));

    [Fact]
    public async Task The_demo_account_and_the_rule_examples_propose_only_changes_AWS_allows_and_that_fix()
    {
        var inputs = new List<(string Name, TaskDefinition Definition, IRoleDirectory Roles)>();
        var root = RepositoryPaths.Root;
        using (var account = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "src", "EcsRoleAuditor.Cli", "Demo", "account.json"))))
        using (var definitions = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "src", "EcsRoleAuditor.Cli", "Demo", "task-definitions.json"))))
        {
            var snapshot = RecordedAccount.Read(account.RootElement, "demo account");
            inputs.AddRange(TaskDefinitionReader.Read(definitions.RootElement, "demo task definitions").Select(d => ($"demo {d.DisplayName}", d, (IRoleDirectory)snapshot)));
        }
        foreach (var rule in RuleCatalog.All)
        {
            foreach (var (kind, example) in new[] { ("bad", rule.Examples.Bad), ("good", rule.Examples.Good) })
            {
                var scenario = Scenario.Parse(example.ScenarioJson, $"{rule.Descriptor.Id} {kind} example");
                inputs.Add(($"{rule.Descriptor.Id} {kind} example", scenario.TaskDefinition, scenario));
            }
        }
        var violations = new List<string>();
        foreach (var (name, definition, roles) in inputs)
        {
            violations.AddRange(await Violations(name, definition, roles));
        }
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public async Task Every_AWS_managed_policy_as_task_or_execution_role_gets_remediations_AWS_allows_and_that_fix()
    {
        var violations = new List<string>();
        var findings = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (var policy in ManagedPolicyCorpus.All)
        {
            var appRole = Role(TaskRoleArn, inline: new() { ["app"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:jobs"}]}""" });
            var agentRole = Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], new() { ["secrets"] = SecretReads });
            foreach (var (slot, scenarioJson) in new[]
            {
                ("task", Build(CorpusContainer, agentRole, WithManaged(TaskRoleArn, policy))),
                ("execution", Build(CorpusContainer, WithManaged(ExecutionRoleArn, policy), appRole)),
            })
            {
                var scenario = Scenario.Parse(RunningOn(scenarioJson, "FARGATE"), $"{policy.Name} as {slot} role");
                var report = await Auditor.WithAllRules().AuditAsync(scenario.TaskDefinition, scenario);
                findings += report.Findings.Length;
                violations.AddRange(await Violations($"{policy.Name} as {slot} role", scenario.TaskDefinition, scenario, report));
            }
        }
        output.WriteLine($"{ManagedPolicyCorpus.All.Count} policies, {findings} findings, {_verifiedFixes} fixes applied, {started.Elapsed.TotalSeconds:F1} s");
        Assert.True(violations.Count == 0, $"{violations.Count} violations:\n{string.Join('\n', violations.Take(40))}");
        Assert.True(_verifiedFixes > 1000, $"only {_verifiedFixes} fixes were applied and checked");
    }

    [Fact]
    public async Task The_ECS_service_linked_role_as_task_or_execution_role_is_ERA002_alone()
    {
        var serviceLinked = new JsonObject
        {
            ["arn"] = $"arn:aws:iam::{Account}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
            ["path"] = "/aws-service-role/ecs.amazonaws.com/",
            ["trust"] = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""),
            ["managed"] = new JsonObject { [ManagedPolicyCorpus.Get("AmazonECSServiceRolePolicy").Arn] = JsonNode.Parse(ManagedPolicyCorpus.Get("AmazonECSServiceRolePolicy").DocumentJson) },
        };
        foreach (var (task, execution) in new[] { (serviceLinked, (JsonObject?)null), (Role(TaskRoleArn), serviceLinked), (serviceLinked, serviceLinked) })
        {
            var json = Build(CorpusContainer, execution, task);
            var scenario = Scenario.Parse(json, "service-linked role");
            var report = await Auditor.WithAllRules().AuditAsync(scenario.TaskDefinition, scenario);
            var onTheRole = report.Findings.Where(f => f.RoleArn == serviceLinked["arn"]!.GetValue<string>()).ToList();
            // AWSServiceRoleForECS trusts ecs.amazonaws.com, not ecs-tasks: ECS cannot assume it for a task (Amazon ECS Developer
            // Guide, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html). One finding says it all.
            Assert.Equal(ServiceLinkedRoleRule.Rule, Assert.Single(onTheRole).Rule);
            Assert.Empty(await Violations("service-linked role", scenario.TaskDefinition, scenario, report));
        }
    }

    private const string SecretReads = $$"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":["{{SecretArn}}","{{PartialSecret}}-??????"]},
          {"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:eu-west-1:111122223333:parameter/prod/api-key"}]}
        """;

    private static JsonObject WithManaged(string arn, ManagedPolicy policy) => new()
    {
        ["arn"] = arn,
        ["managed"] = new JsonObject { [policy.Arn] = JsonNode.Parse(policy.DocumentJson) },
    };

    // Fixes applied and found to resolve their finding: the corpus test asserts there are many, so it cannot pass by checking none.
    private int _verifiedFixes;

    private async Task<List<string>> Violations(string name, TaskDefinition definition, IRoleDirectory roles, TaskDefinitionReport? report = null)
    {
        report ??= await Auditor.WithAllRules().AuditAsync(definition, roles);
        var violations = new List<string>();
        foreach (var finding in report.Findings)
        {
            var where = $"{name}: {finding.RuleId} {finding.Source}";
            foreach (var change in finding.Changes)
            {
                if (change.Kind is ChangeKind.EditStatement or ChangeKind.RemoveStatement && change.Policy is { IsAwsManagedPolicy: true })
                {
                    violations.Add($"{where}: asks to {change.Kind} in the AWS managed policy {change.Policy.Arn}");
                }
                if (change.RoleArn is { } roleArn && ServiceLinkedRoleRule.IsServiceLinkedArn(roleArn))
                {
                    violations.Add($"{where}: asks to {change.Kind} on the service-linked role {roleArn}");
                }
                if (change.Kind == ChangeKind.AttachPolicy && change.Policy is { } attached && PlacementPolicyText.IsServiceRolePolicy(attached))
                {
                    violations.Add($"{where}: asks to attach the service-role policy {attached.Arn} to {change.RoleArn}");
                }
            }
            if (finding.Source.IsAwsManagedPolicy && finding.Remediation.Contains($"In {finding.Source}", StringComparison.Ordinal))
            {
                violations.Add($"{where}: the remediation edits the AWS managed policy: {finding.Remediation}");
            }
            if (finding.Statement is not null && finding.Source.Kind is SourceKind.InlinePolicy or SourceKind.ManagedPolicy && finding.Rule != UnknownActionRule.Rule && finding.Rule != MalformedPolicyRule.Rule && finding.Changes.IsEmpty)
            {
                violations.Add($"{where}: a finding about a statement proposes no structured change");
            }
            foreach (var add in finding.Changes.Where(c => c.Kind == ChangeKind.AddStatements && c.PolicyJson is not null && c.RoleArn is not null))
            {
                // Only a fix that adds statements alone is applied here; one that also changes the boundary or a Deny says so in its changes.
                if (finding.Changes.Any(c => c.Kind is ChangeKind.EditBoundary or ChangeKind.EditStatement or ChangeKind.DetachPolicy))
                {
                    continue;
                }
                var fixedRoles = new WithAddedPolicy(roles, add.RoleArn!, add.PolicyJson!);
                var after = await Auditor.WithAllRules().AuditAsync(definition, fixedRoles);
                if (after.Findings.Any(f => f.Rule == finding.Rule && f.Source == finding.Source && f.RoleSlot == finding.RoleSlot && f.Actions.Intersect(finding.Actions).Any()))
                {
                    violations.Add($"{where}: adding the fix's statements to {add.RoleArn} does not resolve it: {add.PolicyJson}");
                }
                else
                {
                    _verifiedFixes++;
                }
            }
        }
        return violations;
    }

    /// <summary>The roles of a directory, one of them with one more inline policy.</summary>
    private sealed class WithAddedPolicy(IRoleDirectory inner, string roleArn, string statementsJson) : IRoleDirectory
    {
        public async ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
        {
            var found = await inner.FindAsync(roleReference, cancellationToken);
            if (found is not RoleLookup.Found { Role: var role } || !string.Equals(role.Arn, roleArn, StringComparison.OrdinalIgnoreCase))
            {
                return found;
            }
            var document = PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":{{statementsJson}}}""", "remediation", PolicyKind.Identity);
            return new RoleLookup.Found(role with { Policies = role.Policies.Add(new RolePolicy(new FindingSource(SourceKind.InlinePolicy, "remediation"), document)) });
        }
    }
}
