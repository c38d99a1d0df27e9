using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>What the handler needs from the outside world; Program.cs binds each to the real clients and the runtime's observability.</summary>
/// <param name="Ecs">ECS: DescribeTaskDefinition and the ACTIVE task definition lists.</param>
/// <param name="Iam">IAM: the roles a managed policy is attached to (GetAccountAuthorizationDetails).</param>
/// <param name="Sns">SNS: Publish.</param>
/// <param name="Roles">The role directory of each invocation.</param>
/// <param name="Log">Log lines.</param>
/// <param name="Metrics">Metrics.</param>
/// <param name="Time">The clock (deadlines, durations).</param>
public sealed record AuditDependencies(IEcsApi Ecs, IIamApi Iam, ISnsApi Sns, IRoleDirectoryFactory Roles, IAuditLog Log, IAuditMetrics Metrics, TimeProvider Time);
