using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.EventAudit.Alerts;

namespace EcsRoleAuditor.EventAudit.Tests.Alerts;

/// <summary>Alerts built from synthetic findings, for the tests of the bodies, the subject and the size budget.</summary>
internal static class SampleAlerts
{
    public static readonly AlertScope Scope = new("aws", "eu-west-1", "111122223333");

    public static Finding Finding(int index, int listLength = 2, Severity severity = Severity.High) => new()
    {
        Rule = index % 2 == 0 ? ApplicationPermissionsOnExecutionRoleRule.Rule : WriteOnAnyResourceRule.Rule,
        Severity = severity,
        RoleArn = "arn:aws:iam::111122223333:role/web-api-execution",
        RoleSlot = RoleSlot.Execution,
        Source = new FindingSource(SourceKind.InlinePolicy, "app-data"),
        Statement = $"Statement{index}",
        Actions = [.. Enumerable.Range(0, listLength).Select(i => $"s3:Action{index}x{i}")],
        Resources = [.. Enumerable.Range(0, listLength).Select(i => $"arn:aws:s3:::bucket-{index}-{i}/*")],
        Message = $"Finding number {index} of the execution role.",
        Remediation = $"Move statement {index} to the task role.",
    };

    public static Alert WithFindings(string family, int revision, int count, int listLength = 2) =>
        new(AlertKind.Violations,
            [new TaskDefinitionReport($"arn:aws:ecs:eu-west-1:111122223333:task-definition/{family}:{revision}", family, revision,
                "arn:aws:iam::111122223333:role/web-api-task", "arn:aws:iam::111122223333:role/web-api-execution",
                [.. Enumerable.Range(0, count).Select(i => Finding(i, listLength))])],
            Scope);
}
