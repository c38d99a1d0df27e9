using System.Collections.Immutable;

namespace EcsRoleAuditor.EventAudit.Configuration;

/// <summary>
/// Organization mode (docs/organization.md): the central function audits every member account with the reader role
/// it assumes there, and its schedule fans the sweep out over an SQS queue, one message per account and region.
/// </summary>
/// <param name="OrganizationId">ORGANIZATION_ID, e.g. <c>o-a1b2c3d4e5</c>.</param>
/// <param name="ReaderRoleName">READER_ROLE_NAME: the role assumed in each account (default <c>EcsRoleAuditorReader</c>).</param>
/// <param name="Regions">AUDIT_REGIONS: where each account is swept, and where an IAM event re-audits (default: the function's region).</param>
/// <param name="Accounts">ACCOUNTS: the accounts swept; empty: the organization's ACTIVE accounts, listed at each sweep.</param>
/// <param name="SweepQueueUrl">SWEEP_QUEUE_URL: where the schedule's planner sends one message per account and region.</param>
public sealed record OrganizationSettings(string OrganizationId, string ReaderRoleName, ImmutableArray<string> Regions, ImmutableArray<string> Accounts, string SweepQueueUrl)
{
    /// <summary>EXCLUDED_ACCOUNTS: accounts never audited, e.g. left out of the member stack set on purpose (no ERA005 for them).</summary>
    public ImmutableArray<string> ExcludedAccounts { get; init; } = [];

    /// <summary>True when events from <paramref name="accountId"/> are audited and sweeps cover it (if listed or in the organization).</summary>
    public bool Audits(string accountId) =>
        !ExcludedAccounts.Contains(accountId) && (Accounts.IsEmpty || Accounts.Contains(accountId));

    /// <summary>The reader role member.yaml creates.</summary>
    public const string DefaultReaderRoleName = "EcsRoleAuditorReader";
}
