using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Tests.Rules.Trust;

/// <summary>Scenarios of one task definition whose task role has a given trust policy, in any partition, region and account.</summary>
internal static class TrustScenarios
{
    public const string Account = "111122223333";
    public const string TaskDefinitionArn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3";
    public const string RoleArn = "arn:aws:iam::111122223333:role/web-task";

    /// <summary>Audits a task definition (with <paramref name="taskDefinitionArn"/>, or none when null) whose task role has the statements.</summary>
    public static Task<TaskDefinitionReport> AuditTrust(string statements, string? taskDefinitionArn = TaskDefinitionArn, string roleArn = RoleArn)
    {
        var arnField = taskDefinitionArn is null ? "" : $"\"taskDefinitionArn\":\"{taskDefinitionArn}\",";
        return RuleExampleTests.Audit($$$"""
            {"taskDefinition":{{{{arnField}}}"family":"web","revision":3,"taskRoleArn":"{{{roleArn}}}","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"{{{roleArn}}}","trust":{"Version":"2012-10-17","Statement":[{{{statements}}}]}}]}
            """, "trust scenario");
    }

    /// <summary>An Allow of sts:AssumeRole for ecs-tasks.amazonaws.com with the condition block (JSON object), optionally with a Sid.</summary>
    public static string EcsTasksWhen(string condition, string? sid = null) =>
        "{" + (sid is null ? "" : $"\"Sid\":\"{sid}\",")
        + $$$"""
            "Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{{{condition}}}}
            """;

    public static IEnumerable<Finding> Of(this TaskDefinitionReport report, RuleDescriptor rule) => report.Findings.Where(f => f.Rule == rule);
}
