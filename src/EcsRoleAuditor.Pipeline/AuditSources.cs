using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Pipeline;

/// <summary>
/// Where a run reads ECS and IAM: the live clients, or recordings of the AWS CLI's output. Every input is one of these
/// two ports, so the offline audit is the live audit over recorded answers.
/// </summary>
/// <param name="Ecs">DescribeTaskDefinition and the ACTIVE lists.</param>
/// <param name="Iam">The role and policy reads.</param>
/// <param name="Roles">The account, policy cache and source name the role directories use.</param>
public sealed record AuditSources(IEcsApi Ecs, IIamApi Iam, IamRoleDirectoryOptions Roles)
{
    /// <summary>The families' newest revisions the findings store remembers (null: none; every role event lists ECS).</summary>
    public IFamilyHeadIndex? Heads { get; init; }

    /// <summary>The DescribeTaskDefinition answers the findings store keeps (null: none; every listed revision is described).</summary>
    public IRevisionCache? Revisions { get; init; }

    /// <summary>The clock the revision cache's answers are stamped with (the store's own).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Sources answered from AWS CLI output files (no credentials, no network).</summary>
    public static AuditSources Recorded(RecordedEcs ecs, RecordedIam iam)
    {
        ArgumentNullException.ThrowIfNull(ecs);
        ArgumentNullException.ThrowIfNull(iam);
        return new AuditSources(ecs, iam, iam.DirectoryOptions);
    }
}
