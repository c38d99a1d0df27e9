using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

/// <summary>Scenario JSON for the breadth rule tests: a task definition with a task role and an execution role whose policies the test writes.</summary>
internal static class BreadthScenario
{
    public const string TaskRoleArn = "arn:aws:iam::111122223333:role/app-task";
    public const string ExecutionRoleArn = "arn:aws:iam::111122223333:role/app-execution";

    /// <summary>A role entry: inline policies by name, managed policies by ARN, an optional boundary document.</summary>
    public static string Role(string arn, IEnumerable<(string Name, string Json)>? inline = null, IEnumerable<(string Arn, string Json)>? managed = null, string? boundary = null) =>
        $$"""
        {"arn":{{Quote(arn)}}
         {{(inline is null ? "" : $",\"inline\":{{{string.Join(",", inline.Select(p => $"{Quote(p.Name)}:{p.Json}"))}}}")}}
         {{(managed is null ? "" : $",\"managed\":{{{string.Join(",", managed.Select(p => $"{Quote(p.Arn)}:{p.Json}"))}}}")}}
         {{(boundary is null ? "" : $",\"boundary\":{{\"arn\":\"arn:aws:iam::111122223333:policy/boundary\",\"document\":{boundary}}}")}}}
        """;

    /// <summary>A role with the real AWS managed policy of that name attached.</summary>
    public static string RoleWithManaged(string arn, string policyName, params (string Name, string Json)[] inline)
    {
        var policy = ManagedPolicyCorpus.Get(policyName);
        return Role(arn, inline.Length == 0 ? null : inline, [(policy.Arn, policy.DocumentJson)]);
    }

    /// <summary>A policy document of the given statements.</summary>
    public static string Document(params string[] statements) => $"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(",", statements)}]}}";

    /// <summary>The scenario: task and execution role as given (null: the slot names no role), plus extra container JSON.</summary>
    public static string Scenario(string? taskRole, string? executionRole, string? environment = null, string? taskRoleReference = null, string? executionRoleReference = null)
    {
        var roles = new[] { taskRole, executionRole }.OfType<string>().Distinct();
        var task = taskRoleReference ?? (taskRole is null ? null : TaskRoleArn);
        var execution = executionRoleReference ?? (executionRole is null ? null : ExecutionRoleArn);
        return $$"""
            {"taskDefinition":{"family":"app"{{(task is null ? "" : $",\"taskRoleArn\":{Quote(task)}")}}{{(execution is null ? "" : $",\"executionRoleArn\":{Quote(execution)}")}},
              "containerDefinitions":[{"name":"app","image":"nginx:1.27"{{(environment is null ? "" : $",\"environment\":{environment}")}}}]},
             "roles":[{{string.Join(",", roles)}}]}
            """;
    }

    /// <summary>Audits the scenario and returns the findings of the given rules.</summary>
    public static async Task<List<Finding>> Audited(string scenarioJson, params RuleDescriptor[] rules)
    {
        var report = await RuleExampleTests.Audit(scenarioJson, "breadth test");
        return [.. report.Findings.Where(f => rules.Length == 0 || rules.Contains(f.Rule))];
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
