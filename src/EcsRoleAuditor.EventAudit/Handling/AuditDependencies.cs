using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Pipeline;
using EcsRoleAuditor.State;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// What the handler needs from the outside world. The Lambda binds each to the real clients and the runtime's
/// observability; the CLI's <c>event</c> command binds them to the same clients (<c>--live</c>) or to AWS CLI output
/// files, and prints the alerts instead of publishing them unless asked.
/// </summary>
/// <param name="Sources">ECS and IAM, live or recorded: what the audit pipeline reads.</param>
/// <param name="Sns">SNS: Publish.</param>
/// <param name="Log">Log lines.</param>
/// <param name="Metrics">Metrics.</param>
/// <param name="Time">The clock (deadlines, durations).</param>
public sealed record AuditDependencies(AuditSources Sources, ISnsApi Sns, IAuditLog Log, IAuditMetrics Metrics, TimeProvider Time)
{
    /// <summary>The findings store (STATE_TABLE, or the CLI's state file); null: stateless, every audit alerts what it finds.</summary>
    public IFindingStore? Findings { get; init; }

    /// <summary>Organization mode: each member account's ECS and IAM, read with the reader role assumed there; null otherwise.</summary>
    public Aws.Connection.IMemberAccounts? Members { get; init; }

    /// <summary>Organization mode without ACCOUNTS: the organization's account list; null otherwise.</summary>
    public IOrganizationsApi? Organizations { get; init; }

    /// <summary>Security Hub of the function's own account and region (SECURITY_HUB); null when not imported into.</summary>
    public ISecurityHubApi? SecurityHub { get; init; }

    /// <summary>Organization mode: the queue the schedule fans the sweep out over; null otherwise.</summary>
    public ISqsApi? SweepQueue { get; init; }

    /// <summary>The ports bound to live AWS clients.</summary>
    /// <param name="ecs">The ECS client.</param>
    /// <param name="iam">The IAM client.</param>
    /// <param name="sns">Where alerts go.</param>
    /// <param name="accountId">The audited account (roles of other accounts are unreadable, not looked up by name here), when known.</param>
    /// <param name="log">Log lines.</param>
    /// <param name="metrics">Metrics.</param>
    /// <param name="time">The clock.</param>
    public static AuditDependencies ForAws(IEcsApi ecs, IIamApi iam, ISnsApi sns, string? accountId, IAuditLog log, IAuditMetrics metrics, TimeProvider time) =>
        new(new AuditSources(ecs, iam, new IamRoleDirectoryOptions(AccountId: accountId)), sns, log, metrics, time);
}
