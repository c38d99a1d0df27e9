using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

/// <summary>Reports that exercise every field: suppressed, conditional, role-less, and text full of characters formats must escape.</summary>
internal static class ReportSamples
{
    public const string TaskRole = "arn:aws:iam::123456789012:role/web-task";
    public const string ExecutionRole = "arn:aws:iam::123456789012:role/web-execution";
    public const string AwkwardPolicyName = "pipe|tick`quote\"apos'<lt>gt";
    public const string NonAscii = "Zugriff für Ärzte — 日本語";

    public static readonly RuleDescriptor AdminRule = new(
        "ERA001", "Task role has full administrator access", Severity.Critical,
        "A compromised container can take over the account.", "Scope the task role to the actions the application calls.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html", "https://example.com/second"]);

    public static readonly RuleDescriptor SecretsRule = new(
        "ERA021", "Execution role cannot do what the task definition needs", Severity.High,
        "The task fails to start when the agent cannot read its secrets.", "Grant the execution role the missing actions.", []);

    public static readonly RuleDescriptor MissingRoleRule = new(
        "ERA030", "Task definition names no task role", Severity.Info,
        "Without a task role the application falls back to no AWS credentials.", "Name a task role if the application calls AWS.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"]);

    public static IReadOnlyList<RuleDescriptor> Rules { get; } = [AdminRule, SecretsRule, MissingRoleRule];

    public static Finding Admin { get; } = new()
    {
        Rule = AdminRule,
        Severity = Severity.Critical,
        RoleArn = TaskRole,
        RoleSlot = RoleSlot.Task,
        Source = new FindingSource(SourceKind.InlinePolicy, AwkwardPolicyName),
        Statement = "AllowEverything",
        Actions = ["*:*"],
        Resources = ["*"],
        Message = $"The task role grants every action on every resource ({NonAscii}).",
        Remediation = "Replace `*` with the actions the application calls | nothing more.",
    };

    public static Finding ConditionalSecrets { get; } = new()
    {
        Rule = SecretsRule,
        Severity = Severity.High,
        RoleArn = ExecutionRole,
        RoleSlot = RoleSlot.Execution,
        Source = new FindingSource(SourceKind.ManagedPolicy, "SecretsRead", "arn:aws:iam::123456789012:policy/SecretsRead", "v3"),
        Statement = "#0",
        Actions = ["secretsmanager:GetSecretValue"],
        Resources = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-*"],
        Conditional = "aws:SourceVpce = vpce-1a2b3c",
        Message = "The execution role can read the secret only through one VPC endpoint.",
        Remediation = "Check that the task's subnets route to vpce-1a2b3c.",
    };

    public static Finding SuppressedBroadRead { get; } = new()
    {
        Rule = AdminRule,
        Severity = Severity.Medium,
        RoleArn = TaskRole,
        RoleSlot = RoleSlot.Task,
        Source = new FindingSource(SourceKind.ManagedPolicy, "ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        Actions = [.. Enumerable.Range(1, 12).Select(i => $"s3:GetObjectVersion{i}")],
        Message = "The task role can read every S3 object.",
        Remediation = "Attach a policy scoped to the application's bucket.",
        Suppressed = true,
        SuppressionReason = "tag ecs-role-auditor:suppress=ERA001 \"accepted by security, ticket SEC-42\"",
    };

    public static Finding NoTaskRole { get; } = new()
    {
        Rule = MissingRoleRule,
        Severity = Severity.Info,
        RoleArn = null,
        RoleSlot = RoleSlot.TaskDefinition,
        Source = new FindingSource(SourceKind.TaskDefinition, "taskRoleArn"),
        Message = "The task definition names no task role.",
        Remediation = "Add taskRoleArn if the application calls AWS.",
    };

    public static TaskDefinitionReport Web { get; } = new(
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7", "web", 7, TaskRole, ExecutionRole,
        [Admin, ConditionalSecrets, SuppressedBroadRead]);

    public static TaskDefinitionReport Worker { get; } = new(null, "worker", null, null, "ecsTaskExecutionRole", [NoTaskRole]);

    public static TaskDefinitionReport CleanApi { get; } = new(
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:2", "api", 2, TaskRole, ExecutionRole, []);

    /// <summary>Two task definitions with findings and one clean one.</summary>
    public static AuditReport Mixed { get; } = new([Web, Worker, CleanApi]);

    /// <summary>One clean task definition.</summary>
    public static AuditReport Clean { get; } = new([CleanApi]);

    /// <summary>Nothing audited.</summary>
    public static AuditReport Empty { get; } = new([]);

    public static TheoryData<string> ReportNames => ["Mixed", "Clean", "Empty"];

    public static AuditReport Named(string name) => name switch
    {
        "Mixed" => Mixed,
        "Clean" => Clean,
        _ => Empty,
    };

    public static string Render(AuditReport report, ReportFormat format, ReportOptions? options = null, IReadOnlyList<RuleDescriptor>? rules = null)
    {
        using var output = new StringWriter();
        ReportWriters.Write(report, rules ?? Rules, format, output, options ?? new ReportOptions { ToolVersion = "1.2.3" });
        return output.ToString();
    }
}
