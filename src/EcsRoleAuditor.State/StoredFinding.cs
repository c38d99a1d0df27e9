using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.State;

/// <summary>Where a finding stands in the store.</summary>
public enum FindingStatus
{
    /// <summary>The newest audit of its family shows it.</summary>
    Open,
    /// <summary>An audit of its family no longer shows it.</summary>
    Resolved,
    /// <summary>The newest audit shows it, suppressed (never alerted).</summary>
    Suppressed,
}

/// <summary>Why an alert names a finding.</summary>
public enum AlertReason
{
    /// <summary>Never alerted before.</summary>
    New,
    /// <summary>Resolved earlier, found again.</summary>
    Reopened,
    /// <summary>Open and alerted at a lower severity.</summary>
    SeverityRose,
}

/// <summary>A task definition family in an account and region: the unit the store tracks findings by.</summary>
/// <param name="Account">The 12-digit account.</param>
/// <param name="Region">The region.</param>
/// <param name="Family">The family.</param>
public sealed record FamilyKey(string Account, string Region, string Family)
{
    /// <summary>The family of a report, from its task definition ARN; null when the report has none (nothing to key it by).</summary>
    public static FamilyKey? Of(TaskDefinitionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Arn.TryParse(report.TaskDefinitionArn, out var arn) && arn.Account.Length > 0 && arn.Region.Length > 0
            ? new FamilyKey(arn.Account, arn.Region, report.Family)
            : null;
    }
}

/// <summary>A finding as the store remembers it.</summary>
/// <param name="Fingerprint">The <see cref="FindingFingerprint"/>.</param>
/// <param name="Family">Its family.</param>
/// <param name="RuleId">The rule, e.g. <c>ERA020</c>.</param>
/// <param name="Slot">Which role.</param>
/// <param name="RoleArn">The role, when the finding names one.</param>
/// <param name="Severity">Its severity in the newest evidence.</param>
/// <param name="Status">Open, resolved or suppressed.</param>
/// <param name="FirstSeen">When an audit first showed it.</param>
/// <param name="LastSeen">When an audit last showed it.</param>
/// <param name="LastAlerted">When an alert (or resolved notice) about it was last delivered.</param>
/// <param name="AlertedSeverity">The severity it was last alerted at; null when never alerted since it opened.</param>
/// <param name="EvidenceRevision">The revision of the newest audit that showed it or resolved it: older evidence never overrides it.</param>
/// <param name="Message">The finding's sentence from the newest evidence (bounded).</param>
/// <param name="Source">Where it sits, e.g. <c>inline policy app</c> (bounded).</param>
/// <param name="PendingClaim">The claim of an alert decided but not yet confirmed delivered, or null.</param>
/// <param name="PendingReason">What that alert says (<c>RESOLVED</c> for a resolved notice).</param>
/// <param name="PendingSince">When the claim was made.</param>
/// <param name="ResolvedAt">When it was resolved, while it is.</param>
public sealed record StoredFinding(
    string Fingerprint,
    FamilyKey Family,
    string RuleId,
    RoleSlot Slot,
    string? RoleArn,
    Severity Severity,
    FindingStatus Status,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset? LastAlerted,
    Severity? AlertedSeverity,
    int EvidenceRevision,
    string Message,
    string Source,
    string? PendingClaim,
    string? PendingReason,
    DateTimeOffset? PendingSince,
    DateTimeOffset? ResolvedAt);

/// <summary>One change of a finding's status, as <c>findings history</c> shows it.</summary>
/// <param name="Fingerprint">The finding.</param>
/// <param name="At">When.</param>
/// <param name="Status">The status it changed to.</param>
/// <param name="Severity">Its severity then.</param>
/// <param name="Revision">The revision whose audit made the change.</param>
/// <param name="ExpiresAt">When the store may forget it.</param>
public sealed record FindingChange(string Fingerprint, DateTimeOffset At, FindingStatus Status, Severity Severity, int Revision, DateTimeOffset ExpiresAt);
