using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Pipeline;

/// <summary>The task definitions <see cref="AuditPipeline.ResolveAsync"/> read, what it could not read, and the calls it made.</summary>
/// <param name="Definitions">The task definitions read, in the order of the targets.</param>
/// <param name="Unfinished">What could not be read (a task definition, or the listing of the ACTIVE ones), and why.</param>
/// <param name="Calls">The AWS requests sent.</param>
public sealed record TaskDefinitionResolution(IReadOnlyList<TaskDefinition> Definitions, IReadOnlyList<UnfinishedAudit> Unfinished, ApiCallCounter Calls);
