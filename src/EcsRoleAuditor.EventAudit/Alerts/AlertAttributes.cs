using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// The SNS message attributes subscription filter policies select on: <c>severity</c> (the highest),
/// <c>severityRank</c> (INFO 0 … CRITICAL 4, for numeric filters such as <c>{"severityRank":[{"numeric":[">=",3]}]}</c>),
/// <c>ruleIds</c>, <c>accountId</c>, <c>region</c>, <c>family</c>, and <c>status</c>: <c>OPEN</c> for alerts,
/// <c>RESOLVED</c> for the findings store's resolved notices (so a subscription can take or leave them); reminders are <c>OPEN</c>.
/// </summary>
internal static class AlertAttributes
{
    /// <summary>The attribute names.</summary>
    public const string Severity = "severity", SeverityRank = "severityRank", RuleIds = "ruleIds", AccountId = "accountId", Region = "region", Family = "family", Status = "status";

    /// <summary>The attributes of <paramref name="alert"/> (from the whole alert, whatever the message shows).</summary>
    public static ImmutableDictionary<string, SnsMessageAttributeValue> For(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var highest = alert.HighestSeverity;
        return new Dictionary<string, SnsMessageAttributeValue>(StringComparer.Ordinal)
        {
            [Severity] = SnsMessageAttributeValue.Text(highest.Name()),
            [SeverityRank] = SnsMessageAttributeValue.Numeric(Rank(highest)),
            [RuleIds] = SnsMessageAttributeValue.TextList(alert.RuleIds),
            [AccountId] = SnsMessageAttributeValue.Text(alert.Scope.AccountId),
            [Region] = SnsMessageAttributeValue.Text(alert.Scope.Region),
            [Family] = SnsMessageAttributeValue.Text(alert.Family),
            [Status] = SnsMessageAttributeValue.Text(alert.Kind == AlertKind.Resolved ? "RESOLVED" : "OPEN"),
        }.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>The numeric rank: INFO 0, LOW 1, MEDIUM 2, HIGH 3, CRITICAL 4.</summary>
    public static int Rank(Audit.Findings.Severity severity) => severity switch
    {
        Audit.Findings.Severity.Critical => 4,
        Audit.Findings.Severity.High => 3,
        Audit.Findings.Severity.Medium => 2,
        Audit.Findings.Severity.Low => 1,
        _ => 0,
    };
}
