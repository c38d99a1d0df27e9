using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Configuration;

/// <summary>The function's configuration, read once at init from its environment variables.</summary>
/// <param name="AlertTopicArn">ALERT_TOPIC_ARN: the SNS topic alerts go to.</param>
/// <param name="MinSeverity">MIN_SEVERITY: the lowest severity that raises an alert (default MEDIUM).</param>
/// <param name="Suppressions">SUPPRESSIONS: configured suppressions (the JSON of <see cref="SuppressionConfig"/>).</param>
/// <param name="SweepAllRevisions">SWEEP_ALL_REVISIONS: audit every ACTIVE revision, not only each family's latest (default false).</param>
/// <param name="LogLevel">LOG_LEVEL: the lowest level written to the log (default INFO).</param>
public sealed record AuditorSettings(
    string AlertTopicArn,
    Severity MinSeverity,
    ImmutableArray<Suppression> Suppressions,
    bool SweepAllRevisions,
    LogLevel LogLevel)
{
    /// <summary>STATE_TABLE: the findings store's DynamoDB table; null without one (stateless: every audit alerts what it finds).</summary>
    public string? StateTable { get; init; }

    /// <summary>REMIND_AFTER_DAYS: with the store, a sweep reminds of findings still open this many days after their last alert; null: never.</summary>
    public int? RemindAfterDays { get; init; }

    /// <summary>HISTORY_DAYS: how long the store keeps history (default 400).</summary>
    public int HistoryDays { get; init; } = State.StoreRules.DefaultHistoryDays;

    /// <summary>SECURITY_HUB: import findings into AWS Security Hub (docs/security-hub.md); default false.</summary>
    public bool SecurityHub { get; init; }

    /// <summary>Organization mode (ORGANIZATION_ID set); null: the function audits its own account and region only.</summary>
    public OrganizationSettings? Organization { get; init; }

    /// <summary>The account of the alert topic, which is the function's own account (in organization mode, the central one): it names bare role references. Null when the ARN has no account field.</summary>
    public string? AccountId => Arn.TryParse(AlertTopicArn, out var topic) && topic.Account.Length > 0 ? topic.Account : null;
}
