using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// What the handler needs from the outside world. The Lambda binds each to the real clients and the runtime's
/// observability; the CLI's <c>event</c> command binds them to the same clients (<c>--live</c>) or to AWS CLI output
/// files, and prints the alerts instead of publishing them unless asked.
/// </summary>
/// <param name="Ecs">ECS: DescribeTaskDefinition and the ACTIVE task definition lists.</param>
/// <param name="PolicyUsers">The roles a managed policy shapes (for CreatePolicyVersion/SetDefaultPolicyVersion events).</param>
/// <param name="Sns">SNS: Publish.</param>
/// <param name="Roles">The role directory of each invocation.</param>
/// <param name="Log">Log lines.</param>
/// <param name="Metrics">Metrics.</param>
/// <param name="Time">The clock (deadlines, durations).</param>
public sealed record AuditDependencies(IEcsApi Ecs, IPolicyAttachments PolicyUsers, ISnsApi Sns, IRoleDirectoryFactory Roles, IAuditLog Log, IAuditMetrics Metrics, TimeProvider Time)
{
    /// <summary>
    /// The ports bound to live AWS clients, every ECS and IAM call counted in <paramref name="calls"/>: per-role IAM reads
    /// for an event, the bulk GetAccountAuthorizationDetails path for the sweep.
    /// </summary>
    /// <param name="ecs">The ECS client.</param>
    /// <param name="iam">The IAM client.</param>
    /// <param name="sns">Where alerts go.</param>
    /// <param name="accountId">The audited account (names bare role references), when known.</param>
    /// <param name="calls">Counts the ECS and IAM calls.</param>
    /// <param name="log">Log lines.</param>
    /// <param name="metrics">Metrics.</param>
    /// <param name="time">The clock.</param>
    public static AuditDependencies ForAws(IEcsApi ecs, IIamApi iam, ISnsApi sns, string? accountId, ApiCallCounter calls, IAuditLog log, IAuditMetrics metrics, TimeProvider time)
    {
        var countedIam = new CountingIamApi(iam, calls);
        return new AuditDependencies(new CountingEcsApi(ecs, calls), new PolicyAttachments(countedIam), sns,
            new ResolutionRoleDirectories(countedIam, accountId), log, metrics, time);
    }
}
