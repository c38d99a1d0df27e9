using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.TestData;

/// <summary>Findings built by hand for the tests of what handles findings (fingerprints, the findings store).</summary>
public static class SampleFindings
{
    /// <summary>The execution role of the demo's billing-worker.</summary>
    public const string ExecutionRole = "arn:aws:iam::111122223333:role/billing-worker-execution";

    /// <summary>ERA020, HIGH: an application permission on the execution role, from statement Tables of inline policy app.</summary>
    public static Finding AppPermissionOnExecutionRole { get; } = new()
    {
        Rule = ApplicationPermissionsOnExecutionRoleRule.Rule,
        Severity = Severity.High,
        RoleArn = ExecutionRole,
        RoleSlot = RoleSlot.Execution,
        Source = new FindingSource(SourceKind.InlinePolicy, "app"),
        Statement = "Tables",
        Actions = ["dynamodb:PutItem"],
        Message = "Execution role billing-worker-execution allows dynamodb:PutItem.",
        Remediation = "Move the statement to the task role.",
    };
}
